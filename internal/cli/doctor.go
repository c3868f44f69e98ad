// `dockerlab doctor`: can this machine run the linux backend? One line per
// check from internal/doctor, a hint under each that is not ok.
package cli

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/dockerlab/dockerlab/internal/doctor"
	"github.com/dockerlab/dockerlab/internal/hostflags"
)

// doctorEnv is the machine doctor looks at (tests swap in a pretend one).
var doctorEnv = doctor.SystemEnv

func newDoctorCmd() *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "doctor",
		Short: "Check what the linux backend needs (root, cgroups, iptables, bridge, veth, overlayfs, busybox)",
		Long: `Check what the linux backend needs and say how to fix what is missing.

[ok] is fine, [warn] means some chapters will miss something, [FAIL] means the
linux backend cannot work here at all (not Linux, not root, no namespaces, no
bridge or veth). The fake backend needs none of it.

The exit status is 1 only when a check FAILs and --backend linux was chosen.
ip_forward and the FORWARD policy are the host's and only shown: dockerlab
never changes them (it sets its own in the sandbox namespace).`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			checks := doctor.Run(doctorEnv())
			out := cmd.OutOrStdout()
			if asJSON {
				if err := doctor.WriteJSON(out, checks); err != nil {
					return err
				}
			} else {
				doctor.Write(out, checks)
				fmt.Fprintln(out)
				if doctor.Failed(checks) {
					fmt.Fprintln(out, "linux backend: cannot work here (see the FAIL lines); the fake backend works anywhere: --backend fake")
				} else {
					fmt.Fprintln(out, "linux backend: ready (dockerlab --backend linux …); the fake backend works anywhere")
				}
			}
			if doctor.Failed(checks) && hostflags.Backend == "linux" {
				return quietError{"doctor: the linux backend cannot work here"}
			}
			return nil
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the checks as JSON")
	return cmd
}
