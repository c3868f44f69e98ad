// `dockerlab fake reset|show`: the fake backend's one simulated machine,
// shared by every `dockerlab --backend fake` command through its state
// file (docs/design.md "The backend": the fake is one machine in a locked file).
package cli

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/dockerlab/dockerlab/backend"
	"github.com/dockerlab/dockerlab/backend/fake"
	"github.com/dockerlab/dockerlab/internal/hostflags"
)

func newFakeCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "fake",
		Short: "The fake backend's simulated machine: reset it, show it",
		Long: `The fake backend is one simulated machine whose state lives in a file
(--fake-state, env DOCKERLAB_FAKE_STATE), shared by every command run with
--backend fake. These commands work on it whatever --backend says.`,
	}
	return groupOf(cmd,
		&cobra.Command{
			Use:   "reset",
			Short: "Make the fake machine fresh again: lo, eth0 10.0.2.15/24, a default route, empty tables",
			Args:  cobra.NoArgs,
			RunE: func(cmd *cobra.Command, args []string) error {
				k, err := openFake()
				if err != nil {
					return err
				}
				defer k.Close()
				if err := k.Reset(); err != nil {
					return fmt.Errorf("reset the fake machine at %s: %w", hostflags.FakeState, err)
				}
				fmt.Fprintf(cmd.OutOrStdout(), "fake machine at %s is fresh: lo, eth0 10.0.2.15/24, default via 10.0.2.2, empty iptables, ip_forward=0\n", hostflags.FakeState)
				return nil
			},
		},
		&cobra.Command{
			Use:   "show",
			Short: "Show the fake machine: net show of its root namespace, then its processes",
			Args:  cobra.NoArgs,
			RunE: func(cmd *cobra.Command, args []string) error {
				k, err := openFake()
				if err != nil {
					return err
				}
				defer k.Close()
				out := cmd.OutOrStdout()
				if err := showNet(out, k, "", false); err != nil {
					return err
				}
				procs, err := backend.DumpProcs(k)
				if err != nil {
					return err
				}
				fmt.Fprintf(out, "# processes\n%s", procs)
				return nil
			},
		},
	)
}

func openFake() (*fake.Kernel, error) {
	if hostflags.FakeState == "" {
		return nil, fmt.Errorf("--fake-state is empty: give the path of the fake machine's state file")
	}
	hostflags.Debugf("opening the fake machine at %s", hostflags.FakeState)
	k, err := fake.Open(hostflags.FakeState)
	if err != nil {
		return nil, fmt.Errorf("open the fake machine at %s: %w", hostflags.FakeState, err)
	}
	return k, nil
}
