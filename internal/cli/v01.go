// The `dockerlab v0.1` command group: Docker 0.1.0 (March 2013). As in
// 2013, one binary is both the daemon and the client (docker/docker.go;
// reader's notes 002, sections "创建tcp服务端" and "command"; reference
// docs/upstream/v0.1.0.md §4):
//
//	dockerlab v0.1 daemon [--addr 127.0.0.1:4242] [--root DIR]   (docker -d)
//	dockerlab v0.1 COMMAND ARGS…                                  (docker COMMAND …)
//	dockerlab v0.1 setup-bridge                                   (what lxc-net did)
//
// The client sends the command to the daemon with rcli.Call, forwards its
// stdin and half-closes, then prints everything until the daemon closes.
// When no daemon answers it runs the command in-process with
// rcli.LocalCall, as the 2013 client did. The v0_1 package does the work.
package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"os/signal"
	"slices"
	"strings"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/dockerlab/dockerlab/internal/hostflags"
	docker "github.com/dockerlab/dockerlab/v0_1"
	"github.com/dockerlab/dockerlab/v0_1/rcli"
)

// v01DefaultAddr is 0.1.0's fixed daemon address.
const v01DefaultAddr = "127.0.0.1:4242"

func newV01Cmd() *cobra.Command {
	var (
		addr, root, registry string
		wait                 time.Duration
	)
	cmd := &cobra.Command{
		Use:   "v0.1 COMMAND [ARG...]",
		Short: "Docker 0.1.0 (March 2013): the rcli daemon and client, images, tags and containers",
		Long: `Docker 0.1.0's commands, sent to a 'dockerlab v0.1 daemon' over rcli (a JSON
line on TCP 127.0.0.1:4242), or run in this process when no daemon answers,
as the 2013 client did. 'dockerlab v0.1 help' prints 0.1.0's own list.

Working now: help, version, info, import, images, tag, history, rmi,
inspect, and the container commands: run (-d -p -e -u -m -i), ps, logs,
wait, port, stop, kill, start, restart, rm, attach, diff, commit, export.
pull, push and login speak 0.1.0's registry protocol to --registry (a
'dockerlab registry serve'; 0.1.0's registry.docker.io is gone).

The daemon needs the bridge lxcbr0: make it with 'dockerlab v0.1 setup-bridge'.`,
		Args: cobra.ArbitraryArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runV01Client(cmd, addr, root, registry, wait, args)
		},
	}
	cmd.Flags().SetInterspersed(false) // flags after COMMAND are the command's
	cmd.PersistentFlags().StringVar(&addr, "addr", v01DefaultAddr, "the daemon's address (loopback only)")
	cmd.PersistentFlags().StringVar(&root, "root", "", "the runtime's directory (default "+docker.DefaultRoot()+")")
	cmd.PersistentFlags().StringVar(&registry, "registry", "", "the registry pull, push and login use, e.g. http://127.0.0.1:5000 (default "+docker.REGISTRY_ENDPOINT+")")
	cmd.Flags().DurationVar(&wait, "wait", 0, "keep retrying the daemon this long (while it starts) before running in-process")
	cmd.AddCommand(newV01DaemonCmd(&addr, &root, &registry), newV01SetupBridgeCmd())
	return cmd
}

func newV01DaemonCmd(addr, root, registry *string) *cobra.Command {
	var debug bool
	cmd := &cobra.Command{
		Use:   "daemon [--addr 127.0.0.1:4242] [--root DIR]",
		Short: "Run the v0.1 daemon (docker -d): NewRuntime, then rcli.ListenAndServe",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			rcli.DEBUG_FLAG = debug || hostflags.Debug
			log.SetOutput(cmd.ErrOrStderr())
			h, err := hostflags.Open()
			if err != nil {
				return err
			}
			defer h.Close()
			srv, err := docker.NewServer(h, *root)
			if err != nil {
				return withV01Fix(err)
			}
			if *registry != "" {
				srv.SetRegistry(*registry)
			}
			listener, err := rcli.Listen("tcp", *addr)
			if err != nil {
				return err
			}
			// 0.1.0 ran until killed; here SIGINT/SIGTERM close the
			// socket and the daemon exits 0.
			ctx, stop := signal.NotifyContext(cmd.Context(), syscall.SIGINT, syscall.SIGTERM)
			defer stop()
			go func() { <-ctx.Done(); listener.Close() }()
			log.Printf("Listening for RCLI/tcp on %s (root %s)", listener.Addr(), srv.Runtime().Root())
			err = rcli.ServeListener(listener, srv)
			if ctx.Err() != nil {
				return nil
			}
			return err
		},
	}
	cmd.Flags().BoolVarP(&debug, "debug-rcli", "D", false, "debug mode (0.1.0's -D)")
	return cmd
}

func newV01SetupBridgeCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "setup-bridge",
		Short: "Create lxcbr0 with 10.0.3.1/24 and set it up, as Ubuntu's lxc-net did for Docker 0.1.0",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			h, err := hostflags.Open()
			if err != nil {
				return err
			}
			defer h.Close()
			return docker.SetupBridge(h, cmd.OutOrStdout())
		},
	}
}

// runV01Client is docker/docker.go's runCommand.
func runV01Client(cmd *cobra.Command, addr, root, registry string, wait time.Duration, args []string) error {
	stdin, stdout := cmd.InOrStdin(), cmd.OutOrStdout()
	conn, err := dialV01(cmd.Context(), addr, wait, args)
	if err != nil {
		// No daemon: run the command here, as the 2013 client did.
		hostflags.Debugf("v0.1: no daemon on %s (%v): running in-process", addr, err)
		if err := checkV01Command(stdout, args); err != nil {
			return err
		}
		h, err := hostflags.Open()
		if err != nil {
			return err
		}
		defer h.Close()
		srv, err := docker.NewServer(h, root)
		if err != nil {
			return withV01Fix(err)
		}
		if registry != "" {
			srv.SetRegistry(registry)
		}
		if err := rcli.LocalCall(srv, io.NopCloser(stdin), stdout, args...); err != nil {
			fmt.Fprintf(stdout, "Error: %s\n", err)
			return quietError{err.Error()}
		}
		return nil
	}
	defer conn.Close()
	go func() {
		// stdin goes to the daemon; the half-close tells it stdin ended.
		io.Copy(conn, stdin)
		conn.CloseWrite()
	}()
	// The answer ends when the daemon closes. Unlike 0.1.0, the client
	// does not wait for its own stdin to end (reference §9.21).
	_, err = io.Copy(stdout, conn)
	return err
}

// withV01Fix adds to a DOCKER chain that another daemon's rules hold
// (docker.ErrDockerChainInUse) the command that gives a clean machine.
func withV01Fix(err error) error {
	if !errors.Is(err, docker.ErrDockerChainInUse) {
		return err
	}
	var fix string
	switch {
	case hostflags.Backend != "linux":
		fix = fmt.Sprintf("dockerlab --backend fake --fake-state %s fake reset", hostflags.FakeState)
	case hostflags.Sandbox:
		fix = fmt.Sprintf("dockerlab --backend linux --sandbox-name %s sandbox reset", hostflags.SandboxName)
	default:
		fix = "in the host's own tables (--sandbox=false), by hand: iptables -t nat -S | grep DOCKER, then -D each jump and -X DOCKER"
	}
	return fmt.Errorf("%w\n  fix: %s\n  (or give Docker 0.1.0 a machine of its own: --fake-state FILE, or --sandbox-name NAME)", err, fix)
}

// checkV01Command refuses an unknown command before the in-process
// runtime is built: the 2013 client built it first, so a typo with no
// daemon running failed on the missing bridge instead of saying "No such
// command". The words are 0.1.0's, then the nearest commands.
func checkV01Command(stdout io.Writer, args []string) error {
	if len(args) == 0 || strings.HasPrefix(args[0], "-") || args[0] == "" {
		return nil // help, or a flag the command line parser will answer
	}
	names := rcli.Commands((*docker.Server)(nil))
	word := strings.ToLower(args[0])
	if slices.Contains(names, word) {
		return nil
	}
	fmt.Fprintf(stdout, "Error: No such command: %s\n", args[0])
	if near := nearest(word, names); len(near) > 0 {
		fmt.Fprintf(stdout, "Did you mean: %s?\n", strings.Join(near, ", "))
	}
	fmt.Fprintln(stdout, "'dockerlab v0.1 help' lists Docker 0.1.0's commands.")
	return quietError{"No such command: " + args[0]}
}

// dialV01 connects to the daemon, retrying for wait while it starts.
func dialV01(ctx context.Context, addr string, wait time.Duration, args []string) (*net.TCPConn, error) {
	deadline := time.Now().Add(wait)
	for {
		conn, err := rcli.Call("tcp", addr, args...)
		if err == nil || time.Now().After(deadline) || ctx.Err() != nil {
			return conn, err
		}
		var opErr *net.OpError
		if !errors.As(err, &opErr) {
			return nil, err
		}
		time.Sleep(100 * time.Millisecond)
	}
}
