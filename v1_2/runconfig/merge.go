// Merge: fill the gaps of the user's container config from the image's
// config (the Dockerfile's USER, ENV, EXPOSE, CMD, ENTRYPOINT, WORKDIR,
// VOLUME). The daemon calls it in mergeAndVerifyConfig before it creates a
// container.
//
// Upstream: runconfig/merge.go at v1.2.0.
// Book: ch.8 (create: the image's config under the user's).
package runconfig

import (
	"maps"
	"strings"

	"github.com/dockerlab/dockerlab/v1_2/nat"
)

// Merge changes userConf in place; the user's own values always win.
func Merge(userConf, imageConf *Config) error {
	if userConf.User == "" {
		userConf.User = imageConf.User
	}
	if userConf.Memory == 0 {
		userConf.Memory = imageConf.Memory
	}
	if userConf.MemorySwap == 0 {
		userConf.MemorySwap = imageConf.MemorySwap
	}
	if userConf.CpuShares == 0 {
		userConf.CpuShares = imageConf.CpuShares
	}

	// Exposed ports are a union.
	if len(userConf.ExposedPorts) == 0 {
		// A copy, so adding the user's PortSpecs below cannot change the
		// image's config (upstream shared the map).
		userConf.ExposedPorts = maps.Clone(imageConf.ExposedPorts)
	} else {
		for port := range imageConf.ExposedPorts {
			userConf.ExposedPorts[port] = struct{}{}
		}
	}

	// Old-style PortSpecs of either side become exposed ports too; the
	// user's are consumed (cleared), the image's are left as they were.
	if err := addPortSpecs(userConf, userConf.PortSpecs); err != nil {
		return err
	}
	userConf.PortSpecs = nil
	if err := addPortSpecs(userConf, imageConf.PortSpecs); err != nil {
		return err
	}

	// Env: the image's variables that the user did not set are appended.
	if len(userConf.Env) == 0 {
		userConf.Env = imageConf.Env
	} else {
		for _, imageEnv := range imageConf.Env {
			if !hasEnvKey(userConf.Env, envKey(imageEnv)) {
				userConf.Env = append(userConf.Env, imageEnv)
			}
		}
	}

	// An entrypoint given by the user replaces the image's entrypoint AND
	// its default command: the image's CMD was meant for its entrypoint.
	if len(userConf.Entrypoint) == 0 {
		if len(userConf.Cmd) == 0 {
			userConf.Cmd = imageConf.Cmd
		}
		userConf.Entrypoint = imageConf.Entrypoint
	}
	if userConf.WorkingDir == "" {
		userConf.WorkingDir = imageConf.WorkingDir
	}

	// Volumes are a union.
	if len(userConf.Volumes) == 0 {
		userConf.Volumes = imageConf.Volumes
	} else {
		for k, v := range imageConf.Volumes {
			userConf.Volumes[k] = v
		}
	}
	return nil
}

// addPortSpecs parses specs and adds their ports to conf.ExposedPorts.
// A nil ExposedPorts is made only when there is something to add.
func addPortSpecs(conf *Config, specs []string) error {
	if len(specs) == 0 {
		return nil
	}
	ports, _, err := nat.ParsePortSpecs(specs)
	if err != nil {
		return err
	}
	if conf.ExposedPorts == nil {
		conf.ExposedPorts = make(nat.PortSet)
	}
	for port := range ports {
		conf.ExposedPorts[port] = struct{}{}
	}
	return nil
}

// envKey is the name part of "NAME=value".
func envKey(kv string) string {
	name, _, _ := strings.Cut(kv, "=")
	return name
}

func hasEnvKey(env []string, key string) bool {
	for _, kv := range env {
		if envKey(kv) == key {
			return true
		}
	}
	return false
}
