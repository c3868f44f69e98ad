// Small busybox applets that need neither files nor the kernel: echo,
// printf, test/[, true, false, pwd (the shell's own builtins, also
// reachable as programs: `docker run busybox echo hi`), sleep, yes, seq,
// basename, dirname, sync, env (docs/design.md "The backend": simulated
// busybox applets).
package userland

import (
	"fmt"
	"io"
	"math"
	"path"
	"strconv"
	"strings"
	"time"
)

func init() {
	register(shellBuiltinApplet, "echo", "printf", "test", "[", "true", "false", "pwd")
	register(sleepMain, "sleep")
	register(yesMain, "yes")
	register(seqMain, "seq")
	register(basenameMain, "basename")
	register(dirnameMain, "dirname")
	register(func(*Process) int { return 0 }, "sync")
	register(envMain, "env")
}

// shellBuiltinApplet runs the interpreter's builtin of the same name, so
// that `echo` behaves the same inside and outside sh.
func shellBuiltinApplet(p *Process) int {
	sh := newShell(p)
	defer sh.detachTerminal()
	if err := sh.start(shOptions{params: p.Args[1:]}, p.Stdin); err != nil {
		fmt.Fprintf(p.Stderr, "%s: %v\n", p.Args[0], err)
		return 1
	}
	file, err := parser().Parse(strings.NewReader(quoteWord(path.Base(p.Args[0]))+` "$@"`), "")
	if err != nil {
		return 2
	}
	return sh.finish(sh.runner.Run(p.Ctx, file))
}

func quoteWord(s string) string { return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'" }

// sleepFor waits d, returning false if the process was killed meanwhile.
// A stopped process's timer runs on, but it cannot return until resumed.
func sleepFor(p *Process, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
	case <-p.Ctx.Done():
		return false
	}
	return p.Sys.Stopped(p.Ctx) == nil
}

// parseDuration reads busybox sleep's argument: seconds, fractions
// allowed, with an optional s/m/h/d suffix; "inf" sleeps until killed.
func parseDuration(s string) (time.Duration, bool) {
	mult := time.Second
	switch {
	case s == "inf" || s == "infinity":
		return math.MaxInt64, true
	case strings.HasSuffix(s, "s"):
		s = s[:len(s)-1]
	case strings.HasSuffix(s, "m"):
		s, mult = s[:len(s)-1], time.Minute
	case strings.HasSuffix(s, "h"):
		s, mult = s[:len(s)-1], time.Hour
	case strings.HasSuffix(s, "d"):
		s, mult = s[:len(s)-1], 24*time.Hour
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || f < 0 || math.IsNaN(f) {
		return 0, false
	}
	if f*float64(mult) >= math.MaxInt64 {
		return math.MaxInt64, true
	}
	return time.Duration(f * float64(mult)), true
}

func sleepMain(p *Process) int {
	if len(p.Args) < 2 {
		fmt.Fprintln(p.Stderr, "BusyBox usage: sleep [N]...")
		return 1
	}
	var total time.Duration
	for _, a := range p.Args[1:] {
		d, ok := parseDuration(a)
		if !ok {
			fmt.Fprintf(p.Stderr, "sleep: invalid number '%s'\n", a)
			return 1
		}
		total += d
		if total < 0 {
			total = math.MaxInt64
		}
	}
	if !sleepFor(p, total) {
		return killedStatus
	}
	return 0
}

func yesMain(p *Process) int {
	line := "y"
	if len(p.Args) > 1 {
		line = strings.Join(p.Args[1:], " ")
	}
	line += "\n"
	for {
		if err := p.Sys.Stopped(p.Ctx); err != nil {
			return killedStatus
		}
		if _, err := io.WriteString(p.Stdout, line); err != nil {
			return 1 // the reader went away (SIGPIPE, in effect)
		}
	}
}

// seqMain is `seq [-w] [-s SEP] [FIRST [INC]] LAST`.
func seqMain(p *Process) int {
	args := p.Args[1:]
	sep, width := "\n", false
	for len(args) > 0 && len(args[0]) > 1 && args[0][0] == '-' && !isNumber(args[0]) {
		switch args[0] {
		case "-w":
			width = true
		case "-s":
			if len(args) < 2 {
				fmt.Fprintln(p.Stderr, "seq: option requires an argument -- 's'")
				return 1
			}
			sep = args[1]
			args = args[1:]
		default:
			fmt.Fprintf(p.Stderr, "seq: invalid option -- '%s'\n", strings.TrimPrefix(args[0], "-"))
			return 1
		}
		args = args[1:]
	}
	if len(args) < 1 || len(args) > 3 {
		fmt.Fprintln(p.Stderr, "BusyBox usage: seq [-w] [-s SEP] [FIRST [INC]] LAST")
		return 1
	}
	nums := make([]float64, len(args))
	for i, a := range args {
		f, err := strconv.ParseFloat(a, 64)
		if err != nil {
			fmt.Fprintf(p.Stderr, "seq: invalid number '%s'\n", a)
			return 1
		}
		nums[i] = f
	}
	first, inc, last := 1.0, 1.0, nums[len(nums)-1]
	if len(nums) >= 2 {
		first = nums[0]
	}
	if len(nums) == 3 {
		inc = nums[1]
	}
	if inc == 0 {
		return 0
	}
	pad := 0
	if width {
		pad = max(len(strconv.FormatFloat(first, 'f', -1, 64)), len(strconv.FormatFloat(last, 'f', -1, 64)))
	}
	out := &strings.Builder{}
	n := 0
	for v := first; (inc > 0 && v <= last) || (inc < 0 && v >= last); v = first + float64(n)*inc {
		if n > 0 {
			out.WriteString(sep)
		}
		fmt.Fprintf(out, "%0*s", pad, strconv.FormatFloat(v, 'f', -1, 64))
		n++
		if out.Len() > 1<<16 {
			if stop(p, out) {
				return killedStatus
			}
		}
	}
	if n > 0 {
		out.WriteString("\n")
	}
	io.WriteString(p.Stdout, out.String())
	return 0
}

// stop flushes buffered output and checks for stop/kill.
func stop(p *Process, out *strings.Builder) bool {
	io.WriteString(p.Stdout, out.String())
	out.Reset()
	return p.Sys.Stopped(p.Ctx) != nil
}

func isNumber(s string) bool {
	_, err := strconv.ParseFloat(s, 64)
	return err == nil
}

func basenameMain(p *Process) int {
	if len(p.Args) < 2 {
		fmt.Fprintln(p.Stderr, "BusyBox usage: basename FILE [SUFFIX]")
		return 1
	}
	b := path.Base(p.Args[1])
	if len(p.Args) > 2 && b != p.Args[2] {
		b = strings.TrimSuffix(b, p.Args[2])
	}
	fmt.Fprintln(p.Stdout, b)
	return 0
}

func dirnameMain(p *Process) int {
	if len(p.Args) < 2 {
		fmt.Fprintln(p.Stderr, "BusyBox usage: dirname FILENAME")
		return 1
	}
	fmt.Fprintln(p.Stdout, path.Dir(p.Args[1]))
	return 0
}

// envMain is `env [-i] [-u NAME] [NAME=VALUE]... [PROG ARGS...]`: print
// the environment, or run PROG with a changed one.
func envMain(p *Process) int {
	env := append([]string(nil), p.Env...)
	args := p.Args[1:]
	for len(args) > 0 {
		switch a := args[0]; {
		case a == "-i" || a == "-":
			env = nil
		case a == "-u" && len(args) > 1:
			env = unsetEnv(env, args[1])
			args = args[1:]
		case strings.Contains(a, "=") && !strings.HasPrefix(a, "="):
			k, _, _ := strings.Cut(a, "=")
			env = append(unsetEnv(env, k), a)
		default:
			goto run
		}
		args = args[1:]
	}
run:
	if len(args) == 0 {
		for _, kv := range env {
			fmt.Fprintln(p.Stdout, kv)
		}
		return 0
	}
	q := *p
	q.Args, q.Env = args, env
	prog, err := findProgramIn(newFsys(p), args[0], env)
	if err != nil {
		if code := reportExecError(&Process{Stderr: io.Discard}, args[0], err); code == exitNotFound {
			fmt.Fprintf(p.Stderr, "env: can't execute '%s': No such file or directory\n", args[0])
			return exitNotFound
		}
		fmt.Fprintf(p.Stderr, "env: can't execute '%s': %v\n", args[0], err)
		return exitNotRunnable
	}
	return runProgram(&q, prog) // env execs: same process
}

func unsetEnv(env []string, key string) []string {
	out := env[:0:0]
	for _, kv := range env {
		if k, _, _ := strings.Cut(kv, "="); k != key {
			out = append(out, kv)
		}
	}
	return out
}
