// The client half of Docker 1.2's main: the global flags, DOCKER_HOST,
// one -H only, the TLS configuration, NewDockerCli, then cli.Cmd(args...).
//
// Upstream: docker/docker.go at v1.2.0 (main, from "if len(flHosts) == 0" on,
// in client mode), docker/flags.go at v1.2.0. See docs/upstream/v1.2.0.md
// §2.1.
// Book: ch.2 §2.2 (创建Docker Client: flag参数解析, 处理flag信息并收集Docker Client的配置信息,
// 如何创建Docker Client).
// Notes: 004 sections 五(一)-(三), which walk exactly these lines.
//
// dockerlab has one binary with subcommands, so `docker -d` is
// `dockerlab v1.2 daemon` (MainDaemon) and `docker COMMAND` is
// `dockerlab v1.2 COMMAND` (MainClient). The flags before COMMAND are
// upstream's; flags after it belong to the command (api/client Subcmd).
package docker

import (
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/spf13/pflag"

	"github.com/dockerlab/dockerlab/v1_2/api/client"
	"github.com/dockerlab/dockerlab/v1_2/dockerversion"
)

// ClientFlags are the flags of `docker [OPTIONS] COMMAND` that the client
// reads: upstream's flVersion, flDaemon, flDebug, flHosts and the TLS ones.
type ClientFlags struct {
	Version bool     // -v: print the version and quit
	Daemon  bool     // -d: daemon mode, which is `dockerlab v1.2 daemon` here
	Debug   bool     // -D: DEBUG=1, which info reads
	Hosts   []string // -H: where the daemon listens; one only in client mode
	Trace   bool     // --trace (dockerlab): print each step on stderr
	TLS     TLSFlags
}

// InstallFlags adds the client's flags to flags.
func (f *ClientFlags) InstallFlags(flags *pflag.FlagSet) {
	flags.BoolVarP(&f.Version, "version", "v", false, "Print version information and quit")
	flags.BoolVarP(&f.Daemon, "daemon", "d", false, "Enable daemon mode (here it is its own command: dockerlab v1.2 daemon)")
	flags.BoolVarP(&f.Debug, "debug", "D", false, "Enable debug mode")
	flags.StringArrayVarP(&f.Hosts, "host", "H", nil, "The socket to connect to: tcp://host:port or unix:///path/to/socket (default $DOCKER_HOST, else unix://"+DefaultUnixSocket()+")")
	flags.BoolVar(&f.Trace, "trace", false, "dockerlab: print one line per step of main, NewDockerCli and the command (book ch.2 sections) on stderr")
	f.TLS.Install(flags)
}

// ClientStreams are the client's stdin, stdout and stderr.
type ClientStreams struct {
	In  io.ReadCloser
	Out io.Writer
	Err io.Writer
}

// MainClient runs one client command, args being COMMAND and its
// arguments. An error of type *client.StatusError carries the exit
// status (run's container exit code, 2 for a usage mistake).
func MainClient(f *ClientFlags, args []string, s ClientStreams) error {
	trace := func(section, format string, args ...any) {}
	if f.Trace {
		trace = func(section, format string, args ...any) {
			fmt.Fprintf(s.Err, "[trace] %-5s %s\n", section, fmt.Sprintf(format, args...))
		}
	}
	trace("2.2", "flags: -H %q -D=%v --tls=%v --tlsverify=%v; COMMAND and its args: %q", f.Hosts, f.Debug, f.TLS.TLS, f.TLS.TLSVerify, args)

	// 五(二): -v and -D first.
	if f.Version {
		fmt.Fprintf(s.Out, "Docker version %s, build %s\n", dockerversion.VERSION, dockerversion.GITCOMMIT)
		return nil
	}
	if f.Daemon {
		return fmt.Errorf("daemon mode is its own command here: dockerlab v1.2 daemon [flags]")
	}
	if f.Debug {
		os.Setenv("DEBUG", "1")
	}

	// No -H: $DOCKER_HOST, else the default socket. (The daemon ignores
	// DOCKER_HOST; that is MainDaemon's business.)
	hosts, from := f.Hosts, "-H"
	if len(hosts) == 0 {
		defaultHost := os.Getenv("DOCKER_HOST")
		from = "$DOCKER_HOST"
		if defaultHost == "" {
			defaultHost, from = "unix://"+DefaultUnixSocket(), "the default socket"
		}
		hosts = []string{defaultHost}
	}
	if len(hosts) > 1 {
		return fmt.Errorf("Please specify only one -H")
	}
	host, err := ValidateHost(hosts[0])
	if err != nil {
		return err
	}
	protoAddrParts := strings.SplitN(host, "://", 2)
	trace("2.2", "host %s (%s) → proto %q, addr %q", host, from, protoAddrParts[0], protoAddrParts[1])

	tlsConfig, err := clientTLSConfig(&f.TLS)
	if err != nil {
		return err
	}

	// 五(三): 創建 Docker Client, then run the command.
	trace("2.2", "tls: %s", describeTLS(tlsConfig))
	client.DefaultUnixSocket = DefaultUnixSocket()
	cli := client.NewDockerCli(s.In, s.Out, s.Err, protoAddrParts[0], protoAddrParts[1], tlsConfig)
	trace("2.2", "NewDockerCli(stdin, stdout, stderr, %q, %q, tlsConfig) → %s", protoAddrParts[0], protoAddrParts[1], cli)
	if f.Trace {
		cli.SetTrace(s.Err)
	}
	return cli.Cmd(args...)
}

// clientTLSConfig is main's TLS block: nil without --tls/--tlsverify;
// --tlsverify loads the CA and checks the daemon's certificate; a client
// certificate is sent when both its files exist.
func clientTLSConfig(f *TLSFlags) (*tls.Config, error) {
	// Upstream started from InsecureSkipVerify: --tls alone encrypts
	// without checking who answers.
	tlsConfig := &tls.Config{InsecureSkipVerify: true}
	useTLS := f.TLS
	if f.TLSVerify {
		useTLS = true
		file, err := os.ReadFile(f.CACert)
		if err != nil {
			return nil, fmt.Errorf("Couldn't read ca cert %s: %s", f.CACert, err)
		}
		certPool := x509.NewCertPool()
		if !certPool.AppendCertsFromPEM(file) {
			return nil, fmt.Errorf("Couldn't read ca cert %s: no PEM certificate in it", f.CACert)
		}
		tlsConfig.RootCAs = certPool
		tlsConfig.InsecureSkipVerify = false
	}
	if !useTLS {
		return nil, nil
	}
	_, errCert := os.Stat(f.Cert)
	_, errKey := os.Stat(f.Key)
	if errCert == nil && errKey == nil {
		cert, err := tls.LoadX509KeyPair(f.Cert, f.Key)
		if err != nil {
			return nil, fmt.Errorf("Couldn't load X509 key pair: %s. Key encrypted?", err)
		}
		tlsConfig.Certificates = []tls.Certificate{cert}
	}
	return tlsConfig, nil
}

// describeTLS says in words what clientTLSConfig decided.
func describeTLS(c *tls.Config) string {
	switch {
	case c == nil:
		return "off (no --tls, no --tlsverify): tlsConfig is nil, scheme http"
	case c.InsecureSkipVerify:
		return fmt.Sprintf("on without verifying the daemon (--tls), %d client certificate(s)", len(c.Certificates))
	default:
		return fmt.Sprintf("on, the daemon's certificate checked against --tlscacert (--tlsverify), %d client certificate(s)", len(c.Certificates))
	}
}
