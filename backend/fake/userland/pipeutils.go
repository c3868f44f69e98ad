// Applets that scripts put in pipelines: tee, sort, uniq, which, printenv
// (docs/design.md "The backend": simulated busybox applets; walkthroughs pipe
// container output through them).
package userland

import (
	"fmt"
	"io"
	"os"
	"sort"
	"strconv"
	"strings"
)

func init() {
	register(teeMain, "tee")
	register(sortMain, "sort")
	register(uniqMain, "uniq")
	register(whichMain, "which")
	register(printenvMain, "printenv")
}

// teeMain is `tee [-a] FILE...`: stdin to stdout and to each file.
func teeMain(p *Process) int {
	flags, names := flagsAndArgs(p.Args[1:])
	mode := os.O_WRONLY | os.O_CREATE | os.O_TRUNC
	if flags['a'] {
		mode = os.O_WRONLY | os.O_CREATE | os.O_APPEND
	}
	f := newFsys(p)
	writers := []io.Writer{p.Stdout}
	code := 0
	for _, n := range names {
		file, err := f.OpenFile(n, mode, 0o666)
		if err != nil {
			fmt.Fprintf(p.Stderr, "tee: %s: %s\n", n, errText(err))
			code = 1
			continue
		}
		defer file.Close()
		writers = append(writers, file)
	}
	if err := copyChecked(p, io.MultiWriter(writers...), ctxReader{p.Ctx, p.Stdin}); err != nil && p.Ctx.Err() != nil {
		return killedStatus
	}
	return code
}

// sortMain is `sort [-rnu] [FILE]...`, lines compared as bytes (the C
// locale a container has) or, with -n, by their leading number.
func sortMain(p *Process) int {
	flags, names := flagsAndArgs(p.Args[1:])
	var lines []string
	ok := inputs(p, names, func(_ string, r io.Reader) error {
		ls, err := readLines(p, r, -1)
		for _, l := range ls {
			lines = append(lines, strings.TrimSuffix(l, "\n"))
		}
		return err
	})
	less := func(a, b string) bool { return a < b }
	if flags['n'] {
		less = func(a, b string) bool {
			x, y := leadingNumber(a), leadingNumber(b)
			if x != y {
				return x < y
			}
			return a < b
		}
	}
	sort.SliceStable(lines, func(i, j int) bool {
		if flags['r'] {
			return less(lines[j], lines[i])
		}
		return less(lines[i], lines[j])
	})
	prev := ""
	for i, l := range lines {
		if flags['u'] && i > 0 && l == prev {
			continue
		}
		fmt.Fprintln(p.Stdout, l)
		prev = l
	}
	return boolExit(ok)
}

func leadingNumber(s string) float64 {
	s = strings.TrimSpace(s)
	end := 0
	for end < len(s) && (s[end] >= '0' && s[end] <= '9' || s[end] == '.' || (end == 0 && s[end] == '-')) {
		end++
	}
	f, _ := strconv.ParseFloat(s[:end], 64)
	return f
}

// uniqMain is `uniq [-c] [-d] [-u] [FILE]`: adjacent duplicate lines.
func uniqMain(p *Process) int {
	flags, names := flagsAndArgs(p.Args[1:])
	if len(names) > 1 {
		names = names[:1]
	}
	ok := inputs(p, names, func(_ string, r io.Reader) error {
		lines, err := readLines(p, r, -1)
		for i := 0; i < len(lines); {
			j := i
			for j < len(lines) && strings.TrimSuffix(lines[j], "\n") == strings.TrimSuffix(lines[i], "\n") {
				j++
			}
			n, l := j-i, strings.TrimSuffix(lines[i], "\n")
			i = j
			if (flags['d'] && n < 2) || (flags['u'] && n > 1) {
				continue
			}
			if flags['c'] {
				fmt.Fprintf(p.Stdout, "%7d %s\n", n, l)
			} else {
				fmt.Fprintln(p.Stdout, l)
			}
		}
		return err
	})
	return boolExit(ok)
}

// whichMain prints where each program is found in $PATH.
func whichMain(p *Process) int {
	code := 0
	for _, name := range p.Args[1:] {
		prog, err := findProgramIn(newFsys(p), name, p.Env)
		if err != nil && !isNoExec(err) {
			code = 1
			continue
		}
		if prog != nil {
			name = prog.path
		}
		fmt.Fprintln(p.Stdout, name)
	}
	return code
}

func printenvMain(p *Process) int {
	if len(p.Args) == 1 {
		for _, kv := range p.Env {
			fmt.Fprintln(p.Stdout, kv)
		}
		return 0
	}
	code := 0
	for _, k := range p.Args[1:] {
		if v, ok := getenv(p.Env, k); ok {
			fmt.Fprintln(p.Stdout, v)
		} else {
			code = 1
		}
	}
	return code
}
