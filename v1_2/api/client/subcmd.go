// Each command's own flags: Subcmd and the mflag-style spellings.
//
// Upstream: api/client/cli.go Subcmd and pkg/mflag at v1.2.0. Book ch.2
// §2.3 (every CmdXxx starts with cli.Subcmd, then cmd.Parse(args)).
//
// Docker 1.2 used its own flag package, mflag, where a flag has several
// names: []string{"q", "-quiet"} is `-q` and `--quiet`; a leading '#'
// marks a deprecated spelling that still works. Go's flag package takes
// both `-name` and `--name`, so every spelling is registered once without
// its dashes (the same choice as v1_2/runconfig/flagset.go, which parses
// `run`'s flags). One-letter bool flags may be grouped (`ps -aq`).
//
// Divergence: mflag's usage exited the process (os.Exit(2)). Here usage
// is printed and the command returns StatusError{StatusCode: 2}; `--help`
// prints the usage and returns nil.
package client

import (
	"errors"
	"flag"
	"fmt"
	"slices"
	"strings"
)

// Subcmd makes the flag set of one command, whose usage goes to cli.err.
func (cli *DockerCli) Subcmd(name, signature, description string) *flag.FlagSet {
	flags := flag.NewFlagSet(name, flag.ContinueOnError)
	flags.SetOutput(cli.err) // a bad flag's message, then the usage
	flags.Usage = func() {
		fmt.Fprintf(cli.err, "\nUsage: docker %s %s\n\n%s\n\n", name, signature, description)
		flags.PrintDefaults()
	}
	return flags
}

// errUsage is what a command returns after printing its usage for a
// mistake: exit status 2, as mflag's os.Exit(2).
var errUsage = &StatusError{StatusCode: 2}

// parse parses args on cmd. The flag package itself prints a bad flag's
// message and the usage, or the usage for -h/--help; parse turns the
// first into errUsage and the second into errHelp (success, see done).
func parse(cmd *flag.FlagSet, args []string) error {
	return parseErr(cmd.Parse(spellGroups(cmd, args)))
}

// parseErr classifies an error of flag.Parse as parse does.
func parseErr(err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, flag.ErrHelp):
		return errHelp
	default:
		return errUsage
	}
}

// errHelp: the user asked for the usage; nothing failed.
var errHelp = errors.New("help requested")

// done maps parse's answer to what the command returns: nil for help.
func done(err error) error {
	if errors.Is(err, errHelp) {
		return nil
	}
	return err
}

// usage prints the usage of cmd and returns errUsage.
func usage(cmd *flag.FlagSet) error {
	cmd.Usage()
	return errUsage
}

// spellings turns mflag names into plain ones ("#notrunc", "-no-trunc" →
// "notrunc", "no-trunc").
func spellings(names []string) []string {
	var out []string
	for _, n := range names {
		if n = strings.TrimLeft(n, "#-"); n != "" && !slices.Contains(out, n) {
			out = append(out, n)
		}
	}
	return out
}

func boolFlag(cmd *flag.FlagSet, names []string, value bool, help string) *bool {
	p := new(bool)
	for _, n := range spellings(names) {
		cmd.BoolVar(p, n, value, help)
	}
	return p
}

func stringFlag(cmd *flag.FlagSet, names []string, value, help string) *string {
	p := new(string)
	for _, n := range spellings(names) {
		cmd.StringVar(p, n, value, help)
	}
	return p
}

func intFlag(cmd *flag.FlagSet, names []string, value int, help string) *int {
	p := new(int)
	for _, n := range spellings(names) {
		cmd.IntVar(p, n, value, help)
	}
	return p
}

func varFlag(cmd *flag.FlagSet, value flag.Value, names []string, help string) {
	for _, n := range spellings(names) {
		cmd.Var(value, n, help)
	}
}

// spellGroups rewrites "-aq" as "-a", "-q" when "aq" is not a flag itself
// and each letter is a bool flag. It stops at the first argument that is
// not a flag, as flag.Parse does.
func spellGroups(cmd *flag.FlagSet, args []string) []string {
	out := make([]string, 0, len(args))
	for i := 0; i < len(args); i++ {
		arg := args[i]
		if arg == "--" || len(arg) < 2 || arg[0] != '-' {
			return append(out, args[i:]...)
		}
		name := strings.TrimLeft(arg, "-")
		if strings.Contains(name, "=") || cmd.Lookup(name) != nil || strings.HasPrefix(arg, "--") {
			out = append(out, arg)
			if f := cmd.Lookup(name); f != nil && !isBool(f) && i+1 < len(args) {
				i++
				out = append(out, args[i])
			}
			continue
		}
		letters := make([]string, 0, len(name))
		for _, r := range name {
			f := cmd.Lookup(string(r))
			if f == nil || !isBool(f) {
				letters = nil
				break
			}
			letters = append(letters, "-"+string(r))
		}
		if letters == nil {
			out = append(out, arg) // unknown: flag.Parse says so
			continue
		}
		out = append(out, letters...)
	}
	return out
}

func isBool(f *flag.Flag) bool {
	b, ok := f.Value.(interface{ IsBoolFlag() bool })
	return ok && b.IsBoolFlag()
}
