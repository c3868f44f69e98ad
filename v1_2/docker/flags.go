// Package docker is Docker 1.2.0's main package as a library: the flags
// and mainDaemon. dockerlab has one binary, so `dockerlab v1.2 daemon`
// (internal/cli) calls MainDaemon instead of a main() of its own.
//
// Upstream: docker/docker.go, docker/flags.go and docker/daemon.go at
// v1.2.0. Reference upstream-v1_2.md §2.1-2.2. Book ch.3 (启动Docker
// Daemon) §3.2-3.3; ch.2 §2.2 (flag解析) for the flags both modes share.
package docker

import (
	"github.com/spf13/pflag"

	"github.com/dockerlab/dockerlab/v1_2/daemon"
)

// DaemonFlags are the flags of `docker -d` that mainDaemon reads itself;
// the rest fill Config (daemon.Config.InstallFlags).
type DaemonFlags struct {
	Hosts  []string // -H, as typed; ValidateHost normalises them
	Group  string   // -G: group of the unix socket
	Debug  bool     // -D: DEBUG=1 in the environment
	Trace  bool     // --trace (dockerlab): print each step
	Config daemon.Config
}

// InstallFlags adds Docker 1.2's daemon flags, and --trace, to flags.
func (f *DaemonFlags) InstallFlags(flags *pflag.FlagSet) {
	flags.StringArrayVarP(&f.Hosts, "host", "H", nil, "The socket(s) to bind to in daemon mode\nspecified using one or more tcp://host:port, unix:///path/to/socket")
	flags.StringVarP(&f.Group, "group", "G", "docker", "Group to assign the unix socket specified by -H when running in daemon mode\nuse '' (the empty string) to disable setting of a group")
	flags.BoolVarP(&f.Debug, "debug", "D", false, "Enable debug mode")
	flags.BoolVar(&f.Trace, "trace", false, "dockerlab: print one line per step of mainDaemon and NewDaemon (book ch.3 and ch.4 sections)")
	f.Config.InstallFlags(flags)
}
