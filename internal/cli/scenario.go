// `dockerlab net scenario [NAME]`: list backend/scenario's set-ups, or run
// one on the selected backend and print the dumps before and after. The
// state is left in place so `net show` can look at it.
package cli

import (
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/dockerlab/dockerlab/backend"
	"github.com/dockerlab/dockerlab/backend/scenario"
	"github.com/dockerlab/dockerlab/internal/hostflags"
)

func newNetScenarioCmd() *cobra.Command {
	var normalize bool
	cmd := &cobra.Command{
		Use:   "scenario [NAME]",
		Short: "List the network scenarios, or run one and print the dumps before and after",
		Long: `Without NAME, list the scenarios. With NAME, run it on the selected backend
and print the root namespace (and each namespace the scenario makes) before
and after. The state stays: look at it with 'dockerlab net show', clean up
with 'dockerlab fake reset' or 'dockerlab sandbox reset'.

--normalize prints the dumps as the parity test compares them (MAC
addresses hidden, ifindexes renumbered), so the output of the fake and the
linux backend can be diffed.`,
		Args: cobra.MaximumNArgs(1),
		ValidArgsFunction: func(cmd *cobra.Command, args []string, toComplete string) ([]string, cobra.ShellCompDirective) {
			var names []string
			for _, s := range scenario.All {
				names = append(names, s.Name+"\t"+s.Title)
			}
			return names, cobra.ShellCompDirectiveNoFileComp
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			out := cmd.OutOrStdout()
			if len(args) == 0 {
				listScenarios(out)
				return nil
			}
			s, ok := scenario.Lookup(args[0])
			if !ok {
				return fmt.Errorf("no scenario %q; there are: %s", args[0], strings.Join(scenarioNames(), ", "))
			}
			h, err := hostflags.Open()
			if err != nil {
				return err
			}
			defer h.Close()
			return runScenario(out, h, s, normalize)
		},
	}
	cmd.Flags().BoolVar(&normalize, "normalize", false, "normalise the dumps (hide MACs, renumber ifindexes) for diffing backends")
	return cmd
}

func listScenarios(w io.Writer) {
	for _, s := range scenario.All {
		fmt.Fprintf(w, "%-20s %s\n", s.Name, s.Title)
	}
}

func scenarioNames() []string {
	var names []string
	for _, s := range scenario.All {
		names = append(names, s.Name)
	}
	return names
}

func runScenario(w io.Writer, h backend.Host, s scenario.Scenario, normalize bool) error {
	fmt.Fprintf(w, "# scenario %s: %s (%s backend)\n", s.Name, s.Title, h.Name())
	for _, l := range wrap(s.Doc, 76) {
		fmt.Fprintf(w, "#   %s\n", l)
	}
	fmt.Fprintln(w, "\n## before")
	if err := dumpScenario(w, h, s, normalize); err != nil {
		return err
	}
	hostflags.Debugf("running scenario %s", s.Name)
	if err := s.Run(h); err != nil {
		return fmt.Errorf("scenario %s: %w (%s)", s.Name, err, cleanupHint(h))
	}
	fmt.Fprintln(w, "\n## after")
	if err := dumpScenario(w, h, s, normalize); err != nil {
		return err
	}
	fmt.Fprintf(w, "\nThe state stays; look at it with `dockerlab net show`; %s.\n", cleanupHint(h))
	return nil
}

// dumpScenario prints the root namespace and each namespace the scenario
// makes (those not there yet say so).
func dumpScenario(w io.Writer, h backend.Host, s scenario.Scenario, normalize bool) error {
	refs := []backend.NSRef{{}}
	for _, name := range s.Namespaces {
		refs = append(refs, backend.NSName(name))
	}
	for _, ref := range refs {
		fmt.Fprintf(w, "### namespace %s\n", nsLabel(h, ref))
		n, err := h.NetNS(ref)
		if errors.Is(err, backend.ErrNotFound) {
			fmt.Fprintln(w, "(does not exist)")
			continue
		}
		if err != nil {
			return err
		}
		d, err := backend.Dump(n)
		if err != nil {
			return err
		}
		if normalize {
			d = backend.Normalize(d)
		}
		fmt.Fprint(w, d)
	}
	return nil
}

func cleanupHint(h backend.Host) string {
	if h.Name() == "linux" && !hostflags.Sandbox {
		return "it ran in the host's own namespace (--sandbox=false): remove what it made by hand with ip(8) and iptables"
	}
	if h.Name() == "linux" {
		return "run `dockerlab sandbox reset` to clean up"
	}
	return "run `dockerlab fake reset` to clean up"
}

// wrap breaks text into lines of at most width runes at spaces (a scenario's
// Doc is one long paragraph).
func wrap(text string, width int) []string {
	var lines []string
	line := ""
	for _, word := range strings.Fields(text) {
		if line != "" && len([]rune(line))+1+len([]rune(word)) > width {
			lines = append(lines, line)
			line = ""
		}
		if line != "" {
			line += " "
		}
		line += word
	}
	if line != "" {
		lines = append(lines, line)
	}
	return lines
}
