// The `dockerlab v1.2` command group: Docker 1.2.0's one binary, client
// and daemon (book ch.2-6; reference docs/upstream/v1.2.0.md §2.1):
//
//	dockerlab v1.2 daemon [flags]                 (docker -d)
//	dockerlab v1.2 [-H …] [--tls…] COMMAND ARGS…  (docker COMMAND …)
//	dockerlab v1.2 request PATH                   (a bare GET, for checking)
//
// As upstream's main did, the flags before COMMAND are the client's own
// (-H, DOCKER_HOST, --tls, --tlsverify, --tlscacert/--tlscert/--tlskey,
// -D, -v); COMMAND and everything after it go to DockerCli.Cmd, which
// finds CmdCOMMAND by reflection (v1_2/api/client). v1_2/docker holds
// both halves of main: MainDaemon and MainClient.
package cli

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/dockerlab/dockerlab/internal/hostflags"
	"github.com/dockerlab/dockerlab/v1_2/api/client"
	"github.com/dockerlab/dockerlab/v1_2/docker"
)

func newV12Cmd() *cobra.Command {
	var f docker.ClientFlags
	cmd := &cobra.Command{
		Use:   "v1.2 [OPTIONS] COMMAND [arg...]",
		Short: "Docker 1.2.0 (August 2014): the daemon and the client of 《Docker源码分析》",
		Long: `Docker 1.2.0: 'dockerlab v1.2 daemon' is docker -d; any other COMMAND is the
client (docker COMMAND), talking Remote API v1.14 to that daemon over -H
(default $DOCKER_HOST, else the daemon's default socket).

Client commands: attach build commit cp create diff events export history
images import info inspect kill load logs pause port ps restart rm rmi run
save start stop tag top unpause version wait. 'dockerlab v1.2 help' prints
the list as Docker 1.2 did; 'dockerlab v1.2 COMMAND --help' its flags;
--trace prints each step of book ch.2 on stderr.
No registry: pull, push and search (and run's pull of a missing image)
reach the daemon, which answers that it has none; login is not there.

A first session, from the repository's top (make images), in two
terminals (as root add --backend linux to the daemon for the real kernel):
  dockerlab v1.2 daemon
  dockerlab v1.2 import - busybox < build/images/busybox.tar
  dockerlab v1.2 run busybox echo hello
  dockerlab v1.2 run -d -p 8080:80 --name web busybox httpd -f -p 80
  dockerlab v1.2 ps; dockerlab v1.2 logs web; dockerlab v1.2 rm -f web
The stock docker CLI works too, with DOCKER_HOST=unix://SOCKET (the daemon
prints "Listening for HTTP on unix (SOCKET)": /run/dockerlab/v1.2/docker.sock
as root, /tmp/dockerlab-UID/v1.2/docker.sock otherwise).`,
		Args: cobra.ArbitraryArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runV12Client(cmd, &f, args)
		},
	}
	cmd.Flags().SetInterspersed(false) // flags after COMMAND are the command's
	f.InstallFlags(cmd.Flags())
	cmd.AddCommand(newV12DaemonCmd(), newV12RequestCmd())
	return cmd
}

// runV12Client is main's client mode on the command's streams.
func runV12Client(cmd *cobra.Command, f *docker.ClientFlags, args []string) error {
	var in io.ReadCloser
	switch r := cmd.InOrStdin().(type) {
	case *os.File:
		in = r // a terminal can be made raw for run -it
	case io.ReadCloser:
		in = r
	default:
		in = io.NopCloser(r)
	}
	err := docker.MainClient(f, args, docker.ClientStreams{In: in, Out: cmd.OutOrStdout(), Err: cmd.ErrOrStderr()})
	var st *client.StatusError
	if errors.As(err, &st) {
		return exitStatusError{code: st.StatusCode, msg: st.Status}
	}
	if errors.Is(err, client.ErrConnectionRefused) {
		// Upstream's words name `docker -d`; say what that is here.
		return fmt.Errorf("%w\n(here 'docker -d' is 'dockerlab v1.2 daemon'; this client tried %s)", err, clientHost(f))
	}
	return err
}

// clientHost is the address the client dials, chosen as MainClient
// chooses it: -H, else $DOCKER_HOST, else the default socket.
func clientHost(f *docker.ClientFlags) string {
	if len(f.Hosts) > 0 {
		return f.Hosts[0]
	}
	if h := os.Getenv("DOCKER_HOST"); h != "" {
		return h
	}
	return "unix://" + docker.DefaultUnixSocket()
}

// exitStatusError ends dockerlab with code (upstream: os.Exit with a
// StatusError's code, after printing its Status if any).
type exitStatusError struct {
	code int
	msg  string
}

// Error is the message to print, "" for none (run's own exit code).
func (e exitStatusError) Error() string { return e.msg }

// ExitStatus is the process exit status.
func (e exitStatusError) ExitStatus() int { return e.code }

func newV12DaemonCmd() *cobra.Command {
	var f docker.DaemonFlags
	cmd := &cobra.Command{
		Use:   "daemon [flags]",
		Short: "Run the v1.2 daemon (docker -d): engine, builtins, NewDaemon, serveapi",
		Long: `Run Docker 1.2.0's daemon as mainDaemon did (book ch.3), with NewDaemon's
steps in upstream's order (ch.4) and the bridge network (ch.6), on the
machine --backend selects. --trace prints one line per step, numbered by the
book's sections. SIGINT/SIGTERM run the shutdown hooks and stop it.

It serves Remote API v1.14 (every route of Docker 1.2, with and without a
/v1.x prefix, and /v1.15 … /v1.24 for later clients) on each -H; the
client is 'dockerlab v1.2 COMMAND'. Containers run through the native
execdriver on the selected backend.`,
		RunE: func(cmd *cobra.Command, args []string) error {
			// -D shadows the shared --debug on this command; keep both meanings.
			hostflags.Debug = hostflags.Debug || f.Debug
			h, err := hostflags.Open()
			if err != nil {
				return err
			}
			defer h.Close()
			return docker.MainDaemon(cmd.Context(), h, &f, args,
				docker.Streams{Stdout: cmd.OutOrStdout(), Stderr: cmd.ErrOrStderr()})
		},
	}
	f.InstallFlags(cmd.Flags())
	return cmd
}

func newV12RequestCmd() *cobra.Command {
	var (
		host string
		wait time.Duration
	)
	cmd := &cobra.Command{
		Use:   "request PATH",
		Short: "GET PATH from a v1.2 daemon and print the answer (e.g. /_ping, /version, /info)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			body, err := docker.Get(host, args[0], wait)
			if err != nil {
				return err
			}
			fmt.Fprintln(cmd.OutOrStdout(), strings.TrimRight(body, "\n"))
			return nil
		},
	}
	cmd.Flags().StringVarP(&host, "host", "H", "", "the daemon's address (unix:///path or tcp://host:port; default: the daemon's default socket)")
	cmd.Flags().DurationVar(&wait, "wait", 0, "keep retrying the connection this long while the daemon starts")
	return cmd
}
