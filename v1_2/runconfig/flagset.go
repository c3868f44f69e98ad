// How the `run` flags are declared on Go's flag package so that they read
// the way Docker 1.2's own flag package (pkg/mflag) read them.
//
// Upstream: pkg/mflag/flag.go at v1.2.0 (names like "#rm", "-rm", "d"; one
// letter flags grouped as "-it").
// Book: ch.7 §7.3.
//
// What mflag did and what this does:
//   - a flag had several names: "d" and "-detach" meant `-d` and
//     `--detach`. Here every name is registered once, without its dashes;
//     Go's flag package takes both `-name` and `--name` for any name.
//   - "#rm" marked `-rm` as deprecated (it still worked, with a warning).
//     Here it simply works, with no warning. The other way round, mflag
//     refused `-cpuset` (only "--cpuset" was declared); here it works.
//   - mflag turned a bool into false only as `-n=false`; so does Go's.
//   - one-letter bool flags could be grouped: `-it` is `-i -t`. groupedFlags
//     spells such groups out before Go's parser sees them.
package runconfig

import (
	"flag"
	"strings"
)

// names turns mflag-style names into plain ones, dropping repeats.
func names(spellings []string) []string {
	var out []string
	seen := map[string]bool{}
	for _, s := range spellings {
		s = strings.TrimLeft(s, "#-")
		if s != "" && !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}

func boolFlag(cmd *flag.FlagSet, spellings []string, value bool, usage string) *bool {
	p := new(bool)
	for _, n := range names(spellings) {
		cmd.BoolVar(p, n, value, usage)
	}
	return p
}

func stringFlag(cmd *flag.FlagSet, spellings []string, value, usage string) *string {
	p := new(string)
	for _, n := range names(spellings) {
		cmd.StringVar(p, n, value, usage)
	}
	return p
}

func int64Flag(cmd *flag.FlagSet, spellings []string, value int64, usage string) *int64 {
	p := new(int64)
	for _, n := range names(spellings) {
		cmd.Int64Var(p, n, value, usage)
	}
	return p
}

func varFlag(cmd *flag.FlagSet, value flag.Value, spellings []string, usage string) {
	for _, n := range names(spellings) {
		cmd.Var(value, n, usage)
	}
}

// isBoolFlag reports whether f takes no separate value argument.
func isBoolFlag(f *flag.Flag) bool {
	b, ok := f.Value.(interface{ IsBoolFlag() bool })
	return ok && b.IsBoolFlag()
}

// groupedFlags rewrites "-it" into "-i", "-t" when "it" is not a flag of
// its own and every letter is a one-letter bool flag. Only the flags
// before the image name are looked at; the command's own args are left
// alone.
func groupedFlags(cmd *flag.FlagSet, args []string) []string {
	out := make([]string, 0, len(args))
	for i := 0; i < len(args); i++ {
		arg := args[i]
		if arg == "--" || len(arg) < 2 || arg[0] != '-' {
			return append(out, args[i:]...) // flags end here
		}
		name := strings.TrimLeft(arg, "-")
		if strings.Contains(name, "=") {
			out = append(out, arg)
			continue
		}
		if f := cmd.Lookup(name); f != nil {
			out = append(out, arg)
			if !isBoolFlag(f) && i+1 < len(args) {
				i++ // its value, which may itself start with '-'
				out = append(out, args[i])
			}
			continue
		}
		if letters, ok := boolLetters(cmd, arg); ok {
			out = append(out, letters...)
			continue
		}
		out = append(out, arg) // unknown: let the parser say so
	}
	return out
}

// boolLetters splits "-it" into "-i", "-t" if every letter is a bool flag.
func boolLetters(cmd *flag.FlagSet, arg string) ([]string, bool) {
	if strings.HasPrefix(arg, "--") {
		return nil, false
	}
	var out []string
	for _, r := range arg[1:] {
		f := cmd.Lookup(string(r))
		if f == nil || !isBoolFlag(f) {
			return nil, false
		}
		out = append(out, "-"+string(r))
	}
	return out, true
}
