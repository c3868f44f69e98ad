// The interactive shell: what `docker run -it busybox sh` shows — a
// prompt, a command per line, ^C that ends the running command but not
// the shell, ^D or `exit` to leave (book ch.13 §13.3 the container's
// console; busybox shell/ash.c and libbb/lineedit.c for the prompt).
//
// ash is interactive when its stdin and stderr are a terminal. It then
// prints $PS1 before each command line ("\w \$ " unless set: the working
// directory and "#" for root, so "/ # "), $PS2 ("> ") while a command is
// unfinished, and ignores SIGINT itself: ^C kills the foreground command
// and interrupts the shell's read, after which ash starts a fresh line.
// Here the terminal's line discipline (backend/fake/tty.go) does the line
// editing that busybox's lineedit does in raw mode.
package userland

import (
	"errors"
	"fmt"
	"path"
	"strings"
	"syscall"

	"mvdan.cc/sh/v3/syntax"
)

// interactive says whether sh reading commands from stdin is
// interactive (`sh`, `sh -i`, `sh -s` on a terminal).
func interactive(p *Process) bool {
	_, in := isTerminal(p.Stdin)
	_, errTerm := isTerminal(p.Stderr)
	return in && errTerm
}

// runInteractive reads and runs commands line by line with prompts until
// `exit`, end of file (^D) or a kill.
func (sh *shell) runInteractive(opts shOptions) int {
	if ig, ok := sh.p.Sys.(signalIgnorer); ok {
		ig.IgnoreSignal(syscall.SIGINT, true)
	}
	// Commands typed at the prompt read the terminal too (`cat`, `read`).
	if err := sh.start(opts, sh.p.Stdin); err != nil {
		fmt.Fprintf(sh.p.Stderr, "sh: %v\n", err)
		return 2
	}
	status := 0
	for {
		sh.prompt("PS1", `\w \$ `)
		p := parser()
		stopped := false
		perr := p.Interactive(ctxReader{sh.p.Ctx, sh.p.Stdin}, func(stmts []*syntax.Stmt) bool {
			if p.Incomplete() {
				sh.prompt("PS2", "> ")
				return true
			}
			for _, st := range stmts {
				if err := prepare(st); err != nil {
					fmt.Fprintf(sh.p.Stderr, "sh: %v\n", err)
					status = 2
					continue
				}
				runErr := sh.runner.Run(sh.p.Ctx, st)
				status = sh.finish(runErr)
				if sh.runner.Exited() || sh.execed != nil || sh.p.Ctx.Err() != nil || isFatal(runErr) {
					stopped = true
					return false
				}
			}
			if status == 128+int(syscall.SIGINT) {
				fmt.Fprintln(sh.p.Stderr) // ash ends the ^C line
			}
			sh.prompt("PS1", `\w \$ `)
			return true
		})
		switch {
		case stopped:
			return status
		case sh.p.Ctx.Err() != nil:
			return sh.onKilled()
		case errors.Is(perr, syscall.EINTR):
			fmt.Fprintln(sh.p.Stderr) // ^C at the prompt: a fresh line
		case perr != nil:
			// A syntax error ends the line, not the shell.
			fmt.Fprintf(sh.p.Stderr, "sh: %s\n", syntaxMessage(perr))
			status = 2
		default: // end of file (^D): leave with the last status
			if code := sh.finish(sh.runner.Run(sh.p.Ctx, &syntax.File{})); code != 0 {
				return code
			}
			return status
		}
	}
}

// prompt prints the prompt variable name (PS1, PS2) expanded as
// busybox's lineedit does, or def when it is unset.
func (sh *shell) prompt(name, def string) {
	ps, ok := sh.variable(name)
	if !ok {
		ps = def
	}
	fmt.Fprint(sh.p.Stderr, sh.expandPrompt(ps))
}

// variable is a shell variable's value, set in the shell or inherited.
func (sh *shell) variable(name string) (string, bool) {
	if vr, ok := sh.runner.Vars[name]; ok && vr.IsSet() {
		return vr.String(), true
	}
	return getenv(sh.p.Env, name)
}

// expandPrompt handles lineedit's backslash escapes: \w the working
// directory (~ for $HOME unless $HOME is "/"), \W its last element, \u the
// user, \h the hostname up to the first dot, \$ "#" for root else "$",
// \n, \\.
func (sh *shell) expandPrompt(ps string) string {
	var b strings.Builder
	for i := 0; i < len(ps); i++ {
		if ps[i] != '\\' || i+1 == len(ps) {
			b.WriteByte(ps[i])
			continue
		}
		i++
		switch ps[i] {
		case 'w':
			b.WriteString(sh.promptDir())
		case 'W':
			b.WriteString(path.Base(sh.runner.Dir))
		case 'u':
			b.WriteString(userName(sh.p, sh.p.Uid))
		case 'h':
			host, _, _ := strings.Cut(sh.p.Sys.Hostname(), ".")
			b.WriteString(host)
		case '$':
			if sh.p.Uid == 0 {
				b.WriteByte('#')
			} else {
				b.WriteByte('$')
			}
		case 'n':
			b.WriteByte('\n')
		default:
			b.WriteByte(ps[i])
		}
	}
	return b.String()
}

func (sh *shell) promptDir() string {
	dir := sh.runner.Dir
	home, _ := sh.variable("HOME")
	// lineedit abbreviates only a home longer than "/".
	if len(home) > 1 && (dir == home || strings.HasPrefix(dir, home+"/")) {
		return "~" + dir[len(home):]
	}
	return dir
}
