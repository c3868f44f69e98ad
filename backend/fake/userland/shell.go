// The shell: busybox's ash, simulated with the mvdan.cc/sh interpreter
// (docs/design.md "The backend": the fake runs a simulated userland; upstream
// containers run `/bin/sh -c CMD` for a string CMD, book ch.13 §13.4).
//
// Three ways in, as ash has:
//
//	sh -c 'CMD' [NAME [ARGS...]]   run CMD; $0 is NAME
//	sh SCRIPT [ARGS...]            run the file SCRIPT from the rootfs
//	sh [-s]                        read commands from stdin, one at a time
//
// The interpreter itself would happily touch the host; shellconfine.go
// routes every file access, command lookup and child process through the
// rootfs and the fake kernel instead.
package userland

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"syscall"

	"mvdan.cc/sh/v3/expand"
	"mvdan.cc/sh/v3/interp"
	"mvdan.cc/sh/v3/syntax"
)

func init() { register(shMain, "sh", "ash") }

// shOptions is the parsed command line of sh.
type shOptions struct {
	command  string // -c
	hasCmd   bool
	fromStdn bool     // -s, or no script given
	set      []string // options for `set`: -e, -x, -u, -f, -v
	name     string   // $0
	params   []string // $1...
	script   string   // SCRIPT operand
}

func parseShArgs(argv []string) (shOptions, error) {
	o := shOptions{name: argv[0]}
	args := argv[1:]
	for len(args) > 0 && len(args[0]) > 1 && (args[0][0] == '-' || args[0][0] == '+') {
		a := args[0]
		args = args[1:]
		if a == "--" || a == "-" {
			break
		}
		for _, c := range a[1:] {
			switch c {
			case 'c':
				o.hasCmd = true
			case 's':
				o.fromStdn = true
			case 'i', 'l':
				// interactive/login: accepted, nothing to change here
			case 'e', 'x', 'u', 'f', 'v', 'n', 'a':
				o.set = append(o.set, string(a[0])+string(c))
			default:
				return o, fmt.Errorf("-%c: invalid option", c)
			}
		}
	}
	switch {
	case o.hasCmd:
		if len(args) == 0 {
			return o, errors.New("-c requires an argument")
		}
		o.command = args[0]
		if len(args) > 1 {
			o.name = args[1]
			o.params = args[2:]
		}
	case !o.fromStdn && len(args) > 0:
		o.script = args[0]
		o.name = args[0]
		o.params = args[1:]
	default:
		o.fromStdn = true
		o.params = args
	}
	return o, nil
}

func shMain(p *Process) int {
	opts, err := parseShArgs(p.Args)
	if err != nil {
		fmt.Fprintf(p.Stderr, "sh: %v\n", err)
		return 2
	}
	sh := newShell(p)
	defer sh.detachTerminal()
	switch {
	case opts.hasCmd:
		return sh.runSource(opts, strings.NewReader(opts.command), "")
	case opts.script != "":
		src, err := sh.fs.ReadFile(opts.script)
		if err != nil {
			fmt.Fprintf(p.Stderr, "sh: can't open '%s': %s\n", opts.script, errText(err))
			return 2
		}
		return sh.runSource(opts, bytes.NewReader(src), opts.script)
	case interactive(p):
		return sh.runInteractive(opts) // on a terminal: prompts (shellinteractive.go)
	default:
		return sh.runStdin(opts)
	}
}

// shell is one running sh: the process it is and its interpreter.
type shell struct {
	p      *Process
	fs     fsys
	runner *interp.Runner
	trapMu sync.Mutex
	traps  map[syscall.Signal]string // trap CMD TERM etc., see shelltrap.go
	umask  string
	execed *execDone // set when `exec CMD` replaced the shell
	// term is the shell's stdin when it is a terminal. The interpreter
	// would copy a non-file stdin through a pipe in a goroutine, which
	// would read the terminal behind the shell's back. Instead its stdin
	// is termIn, a pipe nobody fills except the `read` builtin's turn
	// (shellterm.go), and commands whose stdin is not redirected get the
	// terminal itself (spawn).
	term           Terminal
	termIn, termWr *os.File
}

func newShell(p *Process) *shell {
	return &shell{p: p, fs: newFsys(p), traps: map[syscall.Signal]string{}, umask: "0022"}
}

// start builds the interpreter. stdin is the commands' stdin.
func (sh *shell) start(opts shOptions, stdin io.Reader) error {
	if t, ok := isTerminal(stdin); ok {
		if err := sh.attachTerminal(t); err != nil {
			return err
		}
		stdin = sh.termIn
	}
	// TMPDIR must not name a host directory: the interpreter opens
	// "$TMPDIR/sh-interp-*" paths directly on the host (its process
	// substitution FIFOs), bypassing every handler. It reads TMPDIR once,
	// at the first Reset, so we reset once with an impossible directory
	// (a NUL byte cannot appear in a path), then put the real environment.
	guard := expand.ListEnviron("TMPDIR=/\x00dockerlab-fake-no-host-tmp")
	params := append(append([]string{}, opts.set...), "--")
	params = append(params, opts.params...)
	r, err := interp.New(
		interp.Env(guard),
		sh.dirOption(),
		interp.Params(params...),
		interp.StdIO(stdin, sh.p.Stdout, sh.p.Stderr),
		interp.OpenHandler(sh.open),
		interp.StatHandler(sh.stat),
		interp.AccessHandler(sh.access),
		interp.ReadDirHandler2(sh.readDir),
		interp.CallHandler(sh.call),
		interp.ExecHandlers(sh.execMiddleware),
	)
	if err != nil {
		return err
	}
	r.Reset()
	if err := interp.Env(newShellEnviron(sh.p, opts.name))(r); err != nil {
		return err
	}
	r.Reset()
	r.Params = opts.params
	sh.runner = r
	return nil
}

// dirOption sets the interpreter's cwd to the process's cwd inside the
// rootfs. interp.Dir would stat that path on the host, so set the field.
func (sh *shell) dirOption() interp.RunnerOption {
	return func(r *interp.Runner) error {
		r.Dir = sh.p.Dir
		return nil
	}
}

// parser is ash's grammar, approximated by the interpreter's bash mode
// (ash with bash compatibility accepts [[ ]], $'..', ${x:1:2}).
func parser() *syntax.Parser { return syntax.NewParser(syntax.Variant(syntax.LangBash)) }

// runSource parses a whole program and runs it.
func (sh *shell) runSource(opts shOptions, src io.Reader, name string) int {
	file, err := parser().Parse(src, name)
	if err != nil {
		fmt.Fprintf(sh.p.Stderr, "sh: %s\n", syntaxMessage(err))
		return 2
	}
	if err := prepare(file); err != nil {
		fmt.Fprintf(sh.p.Stderr, "sh: %v\n", err)
		return 2
	}
	if err := sh.start(opts, sh.p.Stdin); err != nil {
		fmt.Fprintf(sh.p.Stderr, "sh: %v\n", err)
		return 2
	}
	file.Name = opts.name
	err = sh.runner.Run(sh.p.Ctx, file)
	return sh.finish(err)
}

// runStdin reads and runs one statement at a time, so that a command is
// run as soon as its line arrives (`docker run -i busybox sh`). The
// commands' own stdin is then empty: the script text is the stdin.
func (sh *shell) runStdin(opts shOptions) int {
	if err := sh.start(opts, nil); err != nil {
		fmt.Fprintf(sh.p.Stderr, "sh: %v\n", err)
		return 2
	}
	status := 0
	var runErr error
	stopped := false
	perr := parser().Interactive(ctxReader{sh.p.Ctx, sh.p.Stdin}, func(stmts []*syntax.Stmt) bool {
		for _, st := range stmts {
			if err := prepare(st); err != nil {
				fmt.Fprintf(sh.p.Stderr, "sh: %v\n", err)
				status = 2
				continue
			}
			runErr = sh.runner.Run(sh.p.Ctx, st)
			status = sh.finish(runErr)
			if sh.runner.Exited() || sh.execed != nil || sh.p.Ctx.Err() != nil || isFatal(runErr) {
				stopped = true
				return false
			}
		}
		return true
	})
	if perr != nil && !stopped && sh.p.Ctx.Err() == nil {
		fmt.Fprintf(sh.p.Stderr, "sh: %s\n", syntaxMessage(perr))
		return 2
	}
	if !stopped {
		// End of input: the shell exits with the last status, after
		// its EXIT trap.
		return sh.finish(sh.runner.Run(sh.p.Ctx, &syntax.File{}))
	}
	return status
}

// isFatal says whether a Run error stops the interpreter (anything other
// than a plain exit status).
func isFatal(err error) bool {
	var es interp.ExitStatus
	return err != nil && !errors.As(err, &es)
}

// finish turns the interpreter's result into an exit code: exec'd
// program, signal trap, `exit N`, last status, or killed.
func (sh *shell) finish(err error) int {
	if sh.execed != nil {
		return sh.execed.code
	}
	if sh.p.Ctx.Err() != nil {
		return sh.onKilled()
	}
	var es interp.ExitStatus
	switch {
	case err == nil:
		return 0
	case errors.As(err, &es):
		return int(es)
	case errors.Is(err, context.Canceled):
		return killedStatus
	}
	fmt.Fprintf(sh.p.Stderr, "sh: %v\n", err)
	return 2
}

// syntaxMessage is ash's wording for a parse error.
func syntaxMessage(err error) string {
	var pe syntax.ParseError
	if errors.As(err, &pe) {
		return fmt.Sprintf("line %d: syntax error: %s", pe.Pos.Line(), pe.Text)
	}
	return "syntax error: " + err.Error()
}

// ctxReader stops a blocked read of commands when the shell is killed.
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c ctxReader) Read(b []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	type result struct {
		n   int
		err error
	}
	buf := make([]byte, len(b))
	done := make(chan result, 1)
	go func() {
		n, err := c.r.Read(buf)
		done <- result{n, err}
	}()
	select {
	case res := <-done:
		copy(b, buf[:res.n])
		return res.n, res.err
	case <-c.ctx.Done():
		return 0, c.ctx.Err()
	}
}
