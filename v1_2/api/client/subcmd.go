// Each command's own flags: Subcmd and the mflag-style spellings.
//
// Upstream: api/client/cli.go at v1.2.0 (Subcmd), pkg/mflag at v1.2.0.
// Book: ch.2 §2.3 (every CmdXxx starts with cli.Subcmd, then
// cmd.Parse(args)).
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
	"io"
	"reflect"
	"slices"
	"strings"
	"sync"
	"text/tabwriter"
)

// Subcmd makes the flag set of one command, whose usage goes to cli.err.
func (cli *DockerCli) Subcmd(name, signature, description string) *flag.FlagSet {
	flags := flag.NewFlagSet(name, flag.ContinueOnError)
	flags.SetOutput(cli.err) // a bad flag's message, then the usage
	flags.Usage = func() {
		fmt.Fprintf(cli.err, "\nUsage: docker %s %s\n\n%s\n\n", name, signature, description)
		printDefaults(cli.err, flags)
	}
	return flags
}

// printDefaults lists the flags as mflag's PrintDefaults did: the names
// of one flag on one line ("-a, --attach=[]": one letter with one dash,
// longer names with two), its default after "=", then its usage in a
// column. Go's own PrintDefaults would list -a and -attach apart, each
// with one dash. The names of one flag share its Value (the same pointer).
func printDefaults(w io.Writer, fs *flag.FlagSet) {
	type group struct {
		names []string
		f     *flag.Flag
	}
	var groups []*group
	byValue := map[uintptr]*group{}
	fs.VisitAll(func(f *flag.Flag) { // in name order
		key := uintptr(0)
		if v := reflect.ValueOf(f.Value); v.Kind() == reflect.Pointer {
			key = v.Pointer()
		}
		if g := byValue[key]; key != 0 && g != nil {
			g.names = append(g.names, f.Name)
			return
		}
		g := &group{names: []string{f.Name}, f: f}
		groups = append(groups, g)
		if key != 0 {
			byValue[key] = g
		}
	})
	tw := tabwriter.NewWriter(w, 20, 1, 3, ' ', 0)
	for _, g := range groups {
		// One-letter names first, as upstream declared them ("a", "-attach").
		slices.SortStableFunc(g.names, func(a, b string) int { return min(len(a), 2) - min(len(b), 2) })
		var spelled []string
		for _, n := range g.names {
			if isDeprecated(fs, n) {
				continue
			}
			if len(n) == 1 {
				spelled = append(spelled, "-"+n)
			} else {
				spelled = append(spelled, "--"+n)
			}
		}
		if len(spelled) == 0 {
			continue // every name deprecated: mflag did not list it
		}
		def := g.f.DefValue
		if reflect.TypeOf(g.f.Value).String() == "*flag.stringValue" {
			def = fmt.Sprintf("%q", def)
		}
		lines := strings.Split(g.f.Usage, "\n")
		fmt.Fprintf(tw, "  %s=%s\t%s\n", strings.Join(spelled, ", "), def, lines[0])
		for _, l := range lines[1:] {
			fmt.Fprintf(tw, "\t  %s\n", l)
		}
	}
	tw.Flush()
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

// deprecated records, per flag set, the plain names that were only ever
// spelled with mflag's '#' ("#notrunc"): they still parse, but the usage
// leaves them out, as mflag's did.
var deprecated = struct {
	sync.Mutex
	names map[*flag.FlagSet]map[string]bool
}{names: map[*flag.FlagSet]map[string]bool{}}

// noteDeprecated remembers the '#' spellings among names for cmd.
func noteDeprecated(cmd *flag.FlagSet, names []string) {
	deprecated.Lock()
	defer deprecated.Unlock()
	for _, n := range names {
		if !strings.HasPrefix(n, "#") {
			continue
		}
		plain := strings.TrimLeft(n, "#-")
		live := false
		for _, m := range names {
			live = live || (!strings.HasPrefix(m, "#") && strings.TrimLeft(m, "-") == plain)
		}
		if !live {
			if deprecated.names[cmd] == nil {
				deprecated.names[cmd] = map[string]bool{}
			}
			deprecated.names[cmd][plain] = true
		}
	}
}

// isDeprecated says whether name of cmd is hidden from its usage.
func isDeprecated(cmd *flag.FlagSet, name string) bool {
	deprecated.Lock()
	defer deprecated.Unlock()
	return deprecated.names[cmd][name]
}

func boolFlag(cmd *flag.FlagSet, names []string, value bool, help string) *bool {
	noteDeprecated(cmd, names)
	p := new(bool)
	for _, n := range spellings(names) {
		cmd.BoolVar(p, n, value, help)
	}
	return p
}

func stringFlag(cmd *flag.FlagSet, names []string, value, help string) *string {
	noteDeprecated(cmd, names)
	p := new(string)
	for _, n := range spellings(names) {
		cmd.StringVar(p, n, value, help)
	}
	return p
}

func intFlag(cmd *flag.FlagSet, names []string, value int, help string) *int {
	noteDeprecated(cmd, names)
	p := new(int)
	for _, n := range spellings(names) {
		cmd.IntVar(p, n, value, help)
	}
	return p
}

func varFlag(cmd *flag.FlagSet, value flag.Value, names []string, help string) {
	noteDeprecated(cmd, names)
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
