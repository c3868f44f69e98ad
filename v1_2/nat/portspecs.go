// ParsePortSpecs: turn the `-p` values of `docker run` into the exposed
// port set and the host bindings.
//
// Upstream: nat/nat.go at v1.2.0 (ParsePortSpecs, validateProto, the
// PortSpecTemplate constants).
// Book: ch.7 §7.3; ch.12 §12.3.
//
// Accepted forms (1.2 has no port ranges):
//
//	80               expose 80/tcp, host port chosen by the daemon
//	8080:80          host port 8080, every address
//	1.2.3.4:8080:80  host port 8080 on 1.2.3.4 only
//	1.2.3.4::80      any free host port on 1.2.3.4
//	.../udp          any of the above for udp
package nat

import (
	"fmt"
	"net"
	"strconv"
	"strings"

	"github.com/dockerlab/dockerlab/v1_2/opts"
)

const (
	PortSpecTemplate       = "ip:hostPort:containerPort"
	PortSpecTemplateFormat = "ip:hostPort:containerPort | ip::containerPort | hostPort:containerPort"
)

// validateProto: only tcp and udp can be published.
func validateProto(proto string) bool {
	return proto == "tcp" || proto == "udp"
}

// ParsePortSpecs parses every spec; the first bad one stops it.
func ParsePortSpecs(ports []string) (map[Port]struct{}, map[Port][]PortBinding, error) {
	exposed := make(map[Port]struct{}, len(ports))
	bindings := make(map[Port][]PortBinding)

	for _, rawPort := range ports {
		proto := "tcp"
		if i := strings.LastIndex(rawPort, "/"); i != -1 {
			proto = rawPort[i+1:]
			rawPort = rawPort[:i]
		}
		// Pad the short forms out to the full three-part template.
		switch strings.Count(rawPort, ":") {
		case 0:
			rawPort = "::" + rawPort
		case 1:
			rawPort = ":" + rawPort
		}

		parts, err := opts.PartParser(PortSpecTemplate, rawPort)
		if err != nil {
			return nil, nil, err
		}
		containerPort, rawIP, hostPort := parts["containerPort"], parts["ip"], parts["hostPort"]

		if rawIP != "" && net.ParseIP(rawIP) == nil {
			return nil, nil, fmt.Errorf("Invalid ip address: %s", rawIP)
		}
		if containerPort == "" {
			return nil, nil, fmt.Errorf("No port specified: %s<empty>", rawPort)
		}
		if _, err := strconv.ParseUint(containerPort, 10, 16); err != nil {
			return nil, nil, fmt.Errorf("Invalid containerPort: %s", containerPort)
		}
		if _, err := strconv.ParseUint(hostPort, 10, 16); hostPort != "" && err != nil {
			return nil, nil, fmt.Errorf("Invalid hostPort: %s", hostPort)
		}
		if !validateProto(proto) {
			return nil, nil, fmt.Errorf("Invalid proto: %s", proto)
		}

		port := NewPort(proto, containerPort)
		exposed[port] = struct{}{}
		bindings[port] = append(bindings[port], PortBinding{HostIp: rawIP, HostPort: hostPort})
	}
	return exposed, bindings, nil
}
