// The `dockerlab v1.2` command group: Docker 1.2.0's daemon (book ch.3-6)
// and a small client request for checking it by hand. The daemon itself
// lives in v1_2/docker (upstream's docker/ main package as a library).
package cli

import (
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/dockerlab/dockerlab/internal/hostflags"
	"github.com/dockerlab/dockerlab/v1_2/docker"
)

func newV12Cmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "v1.2",
		Short: "Docker 1.2.0 (August 2014): the daemon of 《Docker源码分析》",
	}
	cmd.AddCommand(newV12DaemonCmd(), newV12RequestCmd())
	return cmd
}

func newV12DaemonCmd() *cobra.Command {
	var f docker.DaemonFlags
	cmd := &cobra.Command{
		Use:   "daemon [flags]",
		Short: "Run the v1.2 daemon (docker -d): engine, builtins, NewDaemon, serveapi",
		Long: `Run Docker 1.2.0's daemon as mainDaemon did (book ch.3), with NewDaemon's
steps in upstream's order (ch.4) and the bridge network (ch.6), on the
machine --backend selects. --trace prints one line per step, numbered by the
book's sections. SIGINT/SIGTERM run the shutdown hooks and stop it.

Served so far: GET /_ping, /version, /info; everything else is 404 until the
API issue. Containers cannot run yet: the native execdriver arrives with the
containers issue.`,
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
