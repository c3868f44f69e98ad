// Package runconfig is the configuration of one container in Docker 1.2.0:
// Config (what travels with the image: command, env, ports) and HostConfig
// (what belongs to this host: binds, published ports, links, network mode),
// the `docker run` flag parser that fills both, and the helpers the daemon
// uses on them (Merge with the image's config, Compare for the build cache).
//
// Upstream: runconfig/config.go at v1.2.0 (Config).
// Book: ch.7 §7.3 (Client配置: runconfig.ParseSubcommand in CmdRun, then the
// config is sent as the JSON body of POST /containers/create).
package runconfig

import "github.com/dockerlab/dockerlab/v1_2/nat"

// Config holds what can move with an image from host to host. The field
// names are the JSON keys of the create request and of `docker inspect`.
type Config struct {
	Hostname        string
	Domainname      string
	User            string
	Memory          int64  // memory limit in bytes; 0 is none
	MemorySwap      int64  // memory + swap in bytes; -1 turns swap off
	CpuShares       int64  // relative CPU weight
	Cpuset          string // CPUs allowed, e.g. "0-2" or "0,1"
	AttachStdin     bool
	AttachStdout    bool
	AttachStderr    bool
	PortSpecs       []string // deprecated before 1.2: "8080/tcp" forms; Merge turns them into ExposedPorts
	ExposedPorts    map[nat.Port]struct{}
	Tty             bool // give the process a terminal
	OpenStdin       bool // keep stdin open
	StdinOnce       bool // close stdin when the first attached client goes
	Env             []string
	Cmd             []string
	Image           string // the image as the user named it (may be a tag)
	Volumes         map[string]struct{}
	WorkingDir      string
	Entrypoint      []string
	NetworkDisabled bool
	OnBuild         []string
}
