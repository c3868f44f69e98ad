// Package docker is Docker 1.2.0's main package as a library: the flags,
// mainDaemon and the client half of main. dockerlab has one binary, so
// `dockerlab v1.2 daemon` (internal/cli) calls MainDaemon and
// `dockerlab v1.2 COMMAND` calls MainClient (client.go) instead of a
// main() of their own.
//
// Upstream: docker/docker.go at v1.2.0, docker/flags.go at v1.2.0,
// docker/daemon.go at v1.2.0. See docs/upstream/v1.2.0.md §2.1-2.2.
// Book: ch.3 (启动Docker Daemon) §3.2-3.3; ch.2 §2.2 (flag解析) for the flags
// both modes share.
package docker

import (
	"os"
	"path/filepath"

	"github.com/spf13/pflag"

	"github.com/dockerlab/dockerlab/v1_2/daemon"
)

// DaemonFlags are the flags of `docker -d` that mainDaemon reads itself;
// the rest fill Config (daemon.Config.InstallFlags).
type DaemonFlags struct {
	Hosts []string // -H, as typed; ValidateHost normalises them
	Group string   // -G: group of the unix socket
	Debug bool     // -D: DEBUG=1 in the environment
	Trace bool     // --trace (dockerlab): print each step
	// DefaultRegistry (dockerlab's --default-registry): the registry of
	// names without a host ("busybox"), instead of Docker Hub.
	DefaultRegistry string
	TLS             TLSFlags // --tls, --tlsverify, --tlscacert, --tlscert, --tlskey
	Config          daemon.Config
}

// InstallFlags adds Docker 1.2's daemon flags, and --trace, to flags.
func (f *DaemonFlags) InstallFlags(flags *pflag.FlagSet) {
	flags.StringArrayVarP(&f.Hosts, "host", "H", nil, "The socket(s) to bind to in daemon mode\nspecified using one or more tcp://host:port, unix:///path/to/socket")
	flags.StringVarP(&f.Group, "group", "G", "docker", "Group to assign the unix socket specified by -H when running in daemon mode\nuse '' (the empty string) to disable setting of a group")
	flags.BoolVarP(&f.Debug, "debug", "D", false, "Enable debug mode")
	flags.BoolVar(&f.Trace, "trace", false, "dockerlab: print one line per step of mainDaemon and NewDaemon (book ch.3 and ch.4 sections)")
	flags.StringVar(&f.DefaultRegistry, "default-registry", "", "dockerlab: the registry (host[:port]) of names without one, e.g. 127.0.0.1:5000 for `pull busybox`; Docker Hub when empty")
	f.TLS.Install(flags)
	f.Config.InstallFlags(flags)
}

// TLSFlags are the TLS flags the client and the daemon share (upstream
// docker/flags.go; book ch.2 §2.2, note 004 section 五(一)). Their file
// defaults sit in $DOCKER_CERT_PATH, or ~/.docker without it.
type TLSFlags struct {
	TLS       bool   // --tls: use TLS (--tlsverify implies it)
	TLSVerify bool   // --tlsverify: verify the other side's certificate
	CACert    string // --tlscacert: trust only certificates signed by this CA
	Cert      string // --tlscert: this side's certificate
	Key       string // --tlskey: this side's key
}

// Default file names inside the certificate directory.
const (
	defaultCaFile   = "ca.pem"
	defaultKeyFile  = "key.pem"
	defaultCertFile = "cert.pem"
)

// dockerCertPath is $DOCKER_CERT_PATH, or $HOME/.docker.
func dockerCertPath() string {
	if p := os.Getenv("DOCKER_CERT_PATH"); p != "" {
		return p
	}
	return filepath.Join(os.Getenv("HOME"), ".docker")
}

// Install adds --tls, --tlsverify, --tlscacert, --tlscert and --tlskey.
func (f *TLSFlags) Install(flags *pflag.FlagSet) {
	certPath := dockerCertPath()
	flags.BoolVar(&f.TLS, "tls", false, "Use TLS; implied by tls-verify flags")
	flags.BoolVar(&f.TLSVerify, "tlsverify", false, "Use TLS and verify the remote (daemon: verify client, client: verify daemon)")
	flags.StringVar(&f.CACert, "tlscacert", filepath.Join(certPath, defaultCaFile), "Trust only remotes providing a certificate signed by the CA given here")
	flags.StringVar(&f.Cert, "tlscert", filepath.Join(certPath, defaultCertFile), "Path to TLS certificate file")
	flags.StringVar(&f.Key, "tlskey", filepath.Join(certPath, defaultKeyFile), "Path to TLS key file")
}
