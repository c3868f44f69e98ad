// Shell builtins the fake must do itself (docs/design.md "The backend"; ash's
// builtins as busybox documents them).
//
// The interpreter implements most builtins well and harmlessly (echo,
// printf, cd, test, read, set ...). A few would reach the host (type,
// command -v and `.` search the host's PATH, pwd -P resolves host
// symlinks), are missing (kill), or cannot be right in an interpreter that
// does not know about our kernel (exec replaces the process; trap on
// signals). The call handler renames those commands so that they miss the
// interpreter's builtin table and reach our exec handler, which runs them
// here, inside the shell's own process.
package userland

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"syscall"

	"mvdan.cc/sh/v3/interp"
	"mvdan.cc/sh/v3/syntax"
)

// builtinPrefix marks a renamed builtin. A NUL byte cannot come from a
// shell word, so no user command can collide with it.
const builtinPrefix = "\x00"

type shellBuiltin func(sh *shell, ctx context.Context, args []string) error

var shellBuiltins map[string]shellBuiltin

func init() {
	shellBuiltins = map[string]shellBuiltin{
		builtinPrefix + "exec":    (*shell).builtinExec,
		builtinPrefix + "kill":    (*shell).builtinApplet,
		builtinPrefix + "type":    (*shell).builtinType,
		builtinPrefix + "command": (*shell).builtinCommandV,
		builtinPrefix + "source":  (*shell).builtinSource,
		builtinPrefix + ".":       (*shell).builtinSource,
		builtinPrefix + "pwd":     (*shell).builtinPwdP,
		builtinPrefix + "trap":    (*shell).builtinTrap,
		builtinPrefix + "cd":      (*shell).builtinCd,
		builtinPrefix + "eval":    (*shell).builtinEval,
		builtinPrefix + "umask":   (*shell).builtinUmask,
	}
}

// call runs before every simple command. It is also where a stopped
// (SIGSTOP, frozen) shell waits, and where a killed one stops.
func (sh *shell) call(ctx context.Context, args []string) ([]string, error) {
	if err := sh.p.Sys.Stopped(ctx); err != nil {
		return nil, err
	}
	if args[0] == "read" && sh.term != nil {
		return sh.feedRead(ctx, args), nil
	}
	rename := false
	switch args[0] {
	case "exec", "command":
		rename = len(args) > 1 && (args[0] == "exec" || args[1] == "-v" || args[1] == "-V")
	case "kill", "type", "source", ".", "cd", "eval", "umask", "trap":
		rename = true
	case "pwd":
		rename = slices.Contains(args[1:], "-P")
	}
	if rename {
		args = append([]string{builtinPrefix + args[0]}, args[1:]...)
	}
	return args, nil
}

// inProcess is the shell's own process with the handler's current stdio,
// cwd and exported variables, for an applet run as a builtin.
func (sh *shell) inProcess(ctx context.Context, args []string) *Process {
	hc := interp.HandlerCtx(ctx)
	q := *sh.p
	q.Args = args
	q.Env = exportedEnv(hc.Env)
	q.Dir = absPath("/", slash(hc.Dir))
	q.Stdin, q.Stdout, q.Stderr = hc.Stdin, hc.Stdout, hc.Stderr
	if q.Stdin == nil {
		q.Stdin = emptyReader{}
	}
	q.Ctx = ctx
	return &q
}

func status(code int) error {
	if code == 0 {
		return nil
	}
	return interp.ExitStatus(uint8(code))
}

// builtinApplet runs an applet inside the shell (ash's kill builtin).
func (sh *shell) builtinApplet(ctx context.Context, args []string) error {
	name := strings.TrimPrefix(args[0], builtinPrefix)
	// As a builtin its messages start "sh: ", as ash prints them.
	q := sh.inProcess(ctx, append([]string{"sh"}, args[1:]...))
	return status(applets[name](q))
}

// execDone is how `exec CMD` ends the interpreter: CMD ran in the shell's
// own process (same pid), and its status is the shell's.
type execDone struct{ code int }

func (e *execDone) Error() string { return "exec: exit status " + strconv.Itoa(e.code) }

func (sh *shell) builtinExec(ctx context.Context, args []string) error {
	args = args[1:]
	if len(args) > 0 && args[0] == "--" {
		args = args[1:]
	}
	q := sh.inProcess(ctx, args)
	prog, err := findProgramIn(sh.fs.withDir(q.Dir), args[0], q.Env)
	if err != nil && isNoExec(err) {
		prog, err = &program{path: args[0], prefix: []string{"/bin/sh", args[0]}}, nil
	}
	code := 0
	if err != nil {
		code = reportExecError(q, args[0], err)
	} else {
		q.Ctx = sh.p.Ctx
		code = runProgram(q, prog)
	}
	sh.execed = &execDone{code: code}
	return sh.execed
}

func isNoExec(err error) bool {
	e, ok := err.(interface{ Unwrap() []error })
	return ok && slices.Contains(e.Unwrap(), error(syscall.ENOEXEC))
}

// whence describes how the shell would run name, for type and command -V.
func (sh *shell) whence(ctx context.Context, name string) (kind, where string) {
	hc := interp.HandlerCtx(ctx)
	switch {
	case syntax.IsKeyword(name):
		return "keyword", name
	case interp.IsBuiltin(name):
		return "builtin", name
	}
	prog, err := findProgramIn(sh.fs.withDir(slash(hc.Dir)), name, exportedEnv(hc.Env))
	if err != nil && !isNoExec(err) {
		return "", ""
	}
	if prog == nil {
		return "file", absPath(slash(hc.Dir), name)
	}
	return "file", prog.path
}

func (sh *shell) builtinType(ctx context.Context, args []string) error {
	hc := interp.HandlerCtx(ctx)
	code := 0
	for _, name := range args[1:] {
		switch kind, where := sh.whence(ctx, name); kind {
		case "keyword":
			fmt.Fprintf(hc.Stdout, "%s is a shell keyword\n", name)
		case "builtin":
			fmt.Fprintf(hc.Stdout, "%s is a shell builtin\n", name)
		case "file":
			fmt.Fprintf(hc.Stdout, "%s is %s\n", name, where)
		default:
			fmt.Fprintf(hc.Stdout, "%s: not found\n", name)
			code = 1
		}
	}
	return status(code)
}

// builtinCommandV is `command -v NAME...` (print how NAME resolves) and
// `command -V` (describe it, as type does).
func (sh *shell) builtinCommandV(ctx context.Context, args []string) error {
	if args[1] == "-V" {
		return sh.builtinType(ctx, append([]string{"type"}, args[2:]...))
	}
	hc := interp.HandlerCtx(ctx)
	code := 0
	for _, name := range args[2:] {
		if kind, where := sh.whence(ctx, name); kind != "" {
			fmt.Fprintln(hc.Stdout, where)
		} else {
			code = 1
		}
	}
	return status(code)
}

// builtinSource finds the file of `. FILE` in the rootfs (ash searches
// $PATH for a name without "/"), then lets the interpreter's source
// builtin read it through our open handler.
func (sh *shell) builtinSource(ctx context.Context, args []string) error {
	hc := interp.HandlerCtx(ctx)
	name := strings.TrimPrefix(args[0], builtinPrefix)
	if len(args) < 2 {
		fmt.Fprintf(hc.Stderr, "sh: %s: filename argument required\n", name)
		return interp.ExitStatus(2)
	}
	file := args[1]
	f := sh.fsAt(ctx)
	found := ""
	if strings.Contains(file, "/") {
		found = absPath(f.dir, file)
	} else {
		pathList, ok := getenv(exportedEnv(hc.Env), "PATH")
		if !ok {
			pathList = DefaultPath
		}
		for _, d := range append(strings.Split(pathList, ":"), ".") {
			p := absPath(f.dir, d+"/"+file)
			if info, err := f.Stat(p); err == nil && info.Mode().IsRegular() {
				found = p
				break
			}
		}
	}
	if _, err := f.Stat(found); found == "" || err != nil {
		fmt.Fprintf(hc.Stderr, "sh: %s: %s: not found\n", name, file)
		return interp.ExitStatus(2)
	}
	return hc.Builtin(ctx, append([]string{"source", found}, args[2:]...))
}

// builtinPwdP prints the cwd with symlinks resolved inside the rootfs.
func (sh *shell) builtinPwdP(ctx context.Context, args []string) error {
	hc := interp.HandlerCtx(ctx)
	abs, err := sh.fs.resolve(slash(hc.Dir), true)
	if err != nil {
		fmt.Fprintf(hc.Stderr, "sh: pwd: %s\n", errText(err))
		return interp.ExitStatus(1)
	}
	fmt.Fprintln(hc.Stdout, abs)
	return nil
}

// builtinCd checks the target in the rootfs first, to fail with ash's
// message and status; the interpreter's cd then changes directory.
func (sh *shell) builtinCd(ctx context.Context, args []string) error {
	hc := interp.HandlerCtx(ctx)
	target := ""
	switch {
	case len(args) == 1:
		target = hc.Env.Get("HOME").String()
	case args[1] == "-":
		target = hc.Env.Get("OLDPWD").String()
	default:
		target = args[len(args)-1]
	}
	if target == "" {
		target = "/"
	}
	if info, err := sh.fsAt(ctx).Stat(target); err != nil || !info.IsDir() {
		why := "Not a directory"
		if err != nil {
			why = errText(err)
		}
		fmt.Fprintf(hc.Stderr, "sh: cd: can't cd to %s: %s\n", target, why)
		return interp.ExitStatus(2)
	}
	if len(args) > 1 && args[1] == "-" {
		return hc.Builtin(ctx, []string{"cd", "-"})
	}
	return hc.Builtin(ctx, []string{"cd", target})
}

// builtinEval prepares the code (prepare in shellconfine.go) before the
// interpreter's eval runs it, as for the script itself.
func (sh *shell) builtinEval(ctx context.Context, args []string) error {
	hc := interp.HandlerCtx(ctx)
	file, err := parser().Parse(strings.NewReader(strings.Join(args[1:], " ")), "")
	if err == nil {
		err = prepare(file)
	}
	if err != nil {
		fmt.Fprintf(hc.Stderr, "sh: eval: %s\n", syntaxMessage(err))
		return interp.ExitStatus(2)
	}
	var b strings.Builder
	if err := syntax.NewPrinter().Print(&b, file); err != nil {
		return interp.ExitStatus(2)
	}
	return hc.Builtin(ctx, []string{"eval", b.String()})
}

// builtinUmask keeps the shell's umask (the fake creates files with the
// modes asked for; the umask is shown, not applied).
func (sh *shell) builtinUmask(ctx context.Context, args []string) error {
	hc := interp.HandlerCtx(ctx)
	if len(args) < 2 {
		fmt.Fprintln(hc.Stdout, sh.umask)
		return nil
	}
	v, err := strconv.ParseUint(args[1], 8, 32)
	if err != nil || v > 0o777 {
		fmt.Fprintf(hc.Stderr, "sh: umask: invalid mode '%s'\n", args[1])
		return interp.ExitStatus(1)
	}
	sh.umask = fmt.Sprintf("%04o", v)
	return nil
}
