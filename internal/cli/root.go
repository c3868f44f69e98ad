// Package cli is the dockerlab command line (cobra): the root command with
// the shared flags of internal/hostflags, and the commands that look at a
// machine rather than reproduce Docker — version, doctor, net, sandbox,
// fake (docs/design.md "Layout": cmd/dockerlab, the one binary). The v0_1 and
// v1_2 commands hang off the same root, and so does lab, the classroom
// exercises (internal/lab).
package cli

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/dockerlab/dockerlab/internal/hostflags"
	"github.com/dockerlab/dockerlab/internal/lab"
)

const long = `dockerlab rebuilds Docker 0.1.0 (March 2013) and Docker 1.2.0 (August 2014)
as small, readable Go, for readers of 《Docker源码分析》 and the source-analysis
notes: the same names (NewRuntimeFromDirectory, eng.Job("init_networkdriver"),
setupIPTables, RequestIP …) in files that mirror the upstream ones.

Everything runs against one of two backends:
  fake   an in-memory kernel, one simulated machine shared by every command
         (state in --fake-state); no root, any OS. The default.
  linux  the real kernel, as root, by default inside its own sandbox network
         namespace (/run/netns/dockerlab), so the machine's own network and
         any real Docker on it are never touched.

Start with:  dockerlab doctor
             dockerlab fake reset && dockerlab net scenario bridge-veth-netns
             dockerlab net show`

// NewRootCmd builds a fresh command tree (tests build one per run).
func NewRootCmd() *cobra.Command {
	root := &cobra.Command{
		Use:   "dockerlab",
		Short: "Docker 0.1.0 and 1.2.0 rebuilt for readers of 《Docker源码分析》, on a fake or a real kernel",
		Long:  long,
		// Usage is for mistakes on the command line (cobra prints it for
		// bad flags and arguments before this hook runs); once a command
		// runs, an error is about the machine, and the usage would bury it.
		PersistentPreRunE: func(cmd *cobra.Command, args []string) error {
			cmd.SilenceUsage = true
			hostflags.DebugOut = cmd.ErrOrStderr()
			return hostflags.Validate()
		},
		SilenceErrors: true,
		Version:       versionString(),
	}
	root.SetVersionTemplate("{{.Version}}\n")
	hostflags.Register(root)
	root.AddCommand(
		newVersionCmd(),
		newDoctorCmd(),
		newNetCmd(),
		newSandboxCmd(),
		newFakeCmd(),
		newRegistryCmd(),
		newV01Cmd(),
		newV12Cmd(),
		newChapterCmd(),
		lab.NewCmd(lab.DefaultRegistry),
	)
	return root
}

// Execute runs dockerlab with the process's arguments and returns the exit
// status.
func Execute() int {
	return Run(os.Args[1:], os.Stdout, os.Stderr)
}

// Run runs dockerlab with args, printing to stdout and stderr. Errors are
// printed once, as "dockerlab: <msg>", and give status 1 — unless the
// error carries a status of its own (ExitStatus), as Docker 1.2's client
// did with utils.StatusError so that `docker run` exits with the
// container's code; such an error with an empty message prints nothing.
func Run(args []string, stdout, stderr io.Writer) int {
	root := NewRootCmd()
	root.SetArgs(args)
	root.SetOut(stdout)
	root.SetErr(stderr)
	err := root.Execute()
	if err == nil {
		return 0
	}
	var withStatus interface{ ExitStatus() int }
	if errors.As(err, &withStatus) {
		if msg := err.Error(); msg != "" {
			fmt.Fprintf(stderr, "dockerlab: %s\n", msg)
		}
		return withStatus.ExitStatus()
	}
	var quiet quietError
	if !errors.As(err, &quiet) {
		fmt.Fprintf(stderr, "dockerlab: %v\n", err)
		if strings.HasPrefix(err.Error(), "unknown ") && !strings.HasSuffix(err.Error(), "for usage.") {
			// cobra's "unknown command/flag/shorthand": point at the help.
			fmt.Fprintln(stderr, "Run 'dockerlab --help' for usage.")
		}
	}
	return 1
}

// groupOf makes cmd a command group holding subs. Cobra answers a group
// given an unknown word with the group's help and status 0 (`dockerlab net
// shwo` looked like it worked); here the word is an error that names the
// group and suggests the nearest subcommand. A bare group still prints its
// help.
func groupOf(cmd *cobra.Command, subs ...*cobra.Command) *cobra.Command {
	cmd.AddCommand(subs...)
	cmd.Args = cobra.ArbitraryArgs
	cmd.RunE = func(cmd *cobra.Command, args []string) error {
		if len(args) == 0 {
			return cmd.Help()
		}
		if cmd.SuggestionsMinimumDistance <= 0 {
			cmd.SuggestionsMinimumDistance = 2 // what cobra uses for the root
		}
		return unknownCommand(cmd.CommandPath(), args[0], cmd.SuggestionsFor(args[0]))
	}
	return cmd
}

// unknownCommand is cobra's own wording for an unknown command, with the
// suggestions and where to find the list.
func unknownCommand(path, word string, suggestions []string) error {
	msg := fmt.Sprintf("unknown command %q for %q", word, path)
	if len(suggestions) > 0 {
		msg += "\n\nDid you mean this?\n\t" + strings.Join(suggestions, "\n\t")
	}
	return fmt.Errorf("%s\n\nRun '%s --help' for usage.", msg, path)
}

// quietError fails a command whose output already said why (doctor's
// FAIL lines): exit status 1, nothing more printed.
type quietError struct{ msg string }

func (e quietError) Error() string { return e.msg }

// nearest lists the candidates within two edits of word, or that start
// with it (cobra's rule for its own suggestions).
func nearest(word string, candidates []string) []string {
	var near []string
	for _, c := range candidates {
		if strings.HasPrefix(c, word) || editDistance(word, c) <= 2 {
			near = append(near, c)
		}
	}
	return near
}

// editDistance is the Levenshtein distance between a and b.
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur := make([]int, len(b)+1)
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev = cur
	}
	return prev[len(b)]
}
