// The values of `run` flags that need more than a validator: --net,
// --restart, --device and --lxc-conf.
//
// Upstream: runconfig/parse.go at v1.2.0 (parseNetMode, parseRestartPolicy,
// ParseDevice, parseKeyValueOpts).
// Book: ch.7 §7.3.
// Notes: 001/003 for the network modes.
package runconfig

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/dockerlab/dockerlab/v1_2/opts"
)

// parseNetMode accepts bridge, none, host and container:<name|id>.
func parseNetMode(netMode string) (NetworkMode, error) {
	parts := strings.Split(netMode, ":")
	switch parts[0] {
	case "bridge", "none", "host":
	case "container":
		if len(parts) < 2 || parts[1] == "" {
			return "", fmt.Errorf("invalid container format container:<name|id>")
		}
	default:
		return "", fmt.Errorf("invalid --net: %s", netMode)
	}
	return NetworkMode(netMode), nil
}

// parseRestartPolicy reads "", "no", "always" or "on-failure[:N]". "no"
// gives the empty policy, the same as not saying anything.
func parseRestartPolicy(policy string) (RestartPolicy, error) {
	p := RestartPolicy{}
	if policy == "" {
		return p, nil
	}
	parts := strings.Split(policy, ":")
	switch name := parts[0]; name {
	case "always":
		p.Name = name
		if len(parts) == 2 {
			return p, fmt.Errorf("maximum restart count not valid with restart policy of \"always\"")
		}
	case "no":
	case "on-failure":
		p.Name = name
		if len(parts) == 2 {
			count, err := strconv.Atoi(parts[1])
			if err != nil {
				return p, err
			}
			p.MaximumRetryCount = count
		}
	default:
		return p, fmt.Errorf("invalid restart policy %s", name)
	}
	return p, nil
}

// ParseDevice reads "host[:container[:permissions]]"; the container path
// defaults to the host path, the permissions to "rwm".
func ParseDevice(device string) (DeviceMapping, error) {
	parts := strings.Split(device, ":")
	if len(parts) > 3 {
		return DeviceMapping{}, fmt.Errorf("Invalid device specification: %s", device)
	}
	m := DeviceMapping{PathOnHost: parts[0], CgroupPermissions: "rwm"}
	if len(parts) >= 2 {
		m.PathInContainer = parts[1]
	}
	if len(parts) == 3 {
		m.CgroupPermissions = parts[2]
	}
	if m.PathInContainer == "" {
		m.PathInContainer = m.PathOnHost
	}
	return m, nil
}

// parseKeyValueOpts turns every --lxc-conf "key=value" into a pair.
func parseKeyValueOpts(list opts.ListOpts) ([]KeyValuePair, error) {
	out := make([]KeyValuePair, list.Len())
	for i, o := range list.GetAll() {
		k, v, err := opts.ParseKeyValueOpt(o)
		if err != nil {
			return nil, err
		}
		out[i] = KeyValuePair{Key: k, Value: v}
	}
	return out, nil
}
