// Signals in the simulated userland: names and numbers (kill -l), and the
// shell's `trap CMD TERM` (book ch.13 §13.5 执行Entrypoint; note 003
// §Docker容器中的进程: pid 1 in a container). `docker stop` sends SIGTERM,
// then SIGKILL after a grace period; an entrypoint script traps TERM to
// shut down cleanly.
//
// The fake kernel delivers a terminating signal by cancelling the
// process's context with a cause that carries the signal (an error with a
// method `Signal() syscall.Signal`, found with errors.As). When the shell
// has a trap for that signal it runs the trap's commands before it ends;
// Run then returns the trap's status (`exit 0` in the trap gives 0), else
// 128+signal as ash reports. The kernel may still report the process as
// killed by the signal. The interpreter keeps no way to resume the
// interrupted command, so, unlike ash, the shell always ends after the
// trap. A trap is declared to the kernel (optional System.HandleSignal),
// because a PID namespace's init only receives signals it handles.
package userland

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"syscall"

	"mvdan.cc/sh/v3/interp"
	"mvdan.cc/sh/v3/syntax"
)

func init() {
	sort.SliceStable(signals, func(i, j int) bool { return signals[i].sig < signals[j].sig })
}

// signalByName accepts TERM, SIGTERM, term and 15; it returns 0 for
// anything else (including the shell's pseudo-signals EXIT and ERR).
func signalByName(s string) syscall.Signal {
	if n, err := strconv.Atoi(s); err == nil {
		for _, e := range signals {
			if int(e.sig) == n {
				return e.sig
			}
		}
		return 0
	}
	s = strings.TrimPrefix(strings.ToUpper(s), "SIG")
	for _, e := range signals {
		if e.name == s {
			return e.sig
		}
	}
	return 0
}

func signalName(sig syscall.Signal) string {
	for _, e := range signals {
		if e.sig == sig {
			return e.name
		}
	}
	return strconv.Itoa(int(sig))
}

// signalOfCause finds the signal in a context's cancellation cause.
func signalOfCause(ctx context.Context) syscall.Signal {
	var s interface{ Signal() syscall.Signal }
	if cause := context.Cause(ctx); cause != nil && errors.As(cause, &s) {
		return s.Signal()
	}
	return 0
}

// builtinTrap is `trap [CMD] SIG...`: signal traps are kept here, EXIT
// and ERR go to the interpreter's own trap builtin.
func (sh *shell) builtinTrap(ctx context.Context, args []string) error {
	hc := interp.HandlerCtx(ctx)
	args = args[1:]
	if len(args) > 0 && args[0] == "--" {
		args = args[1:]
	}
	if len(args) == 0 {
		sh.trapMu.Lock()
		for _, e := range signals {
			if cmd, ok := sh.traps[e.sig]; ok {
				fmt.Fprintf(hc.Stdout, "trap -- %s %s\n", quoteWord(cmd), e.name)
			}
		}
		sh.trapMu.Unlock()
		return hc.Builtin(ctx, []string{"trap"})
	}
	cmd, reset := "", false
	if len(args) == 1 || (len(args) > 0 && args[0] == "-") {
		reset = true
		if args[0] == "-" {
			args = args[1:]
		}
	} else {
		cmd, args = args[0], args[1:]
	}
	var passOn []string
	sh.trapMu.Lock()
	defer sh.trapMu.Unlock()
	for _, a := range args {
		sig := signalByName(a)
		switch {
		case sig == 0 && (a == "EXIT" || a == "ERR" || a == "0"):
			if a == "0" {
				a = "EXIT"
			}
			passOn = append(passOn, a)
		case sig == 0:
			fmt.Fprintf(hc.Stderr, "sh: trap: %s: invalid signal specification\n", a)
			return interp.ExitStatus(1)
		case reset:
			delete(sh.traps, sig)
			declareHandler(sh.p.Sys, sig, false)
		default:
			sh.traps[sig] = cmd
			// An empty command ignores the signal; the fake kernel knows
			// only "handled" (runs the trap, then ends), so it is told
			// of real commands only.
			declareHandler(sh.p.Sys, sig, cmd != "")
		}
	}
	if len(passOn) > 0 {
		if reset {
			return hc.Builtin(ctx, append([]string{"trap", "-"}, passOn...))
		}
		// EXIT and ERR traps run inside the interpreter: prepare their
		// code as the script's.
		file, err := parser().Parse(strings.NewReader(cmd), "trap")
		if err == nil {
			err = prepare(file)
		}
		if err != nil {
			fmt.Fprintf(hc.Stderr, "sh: trap: %s\n", syntaxMessage(err))
			return interp.ExitStatus(2)
		}
		var b strings.Builder
		syntax.NewPrinter().Print(&b, file)
		return hc.Builtin(ctx, append([]string{"trap", b.String()}, passOn...))
	}
	return nil
}

// onKilled is the shell's end when its context was cancelled: run the
// trap for the signal, if there is one, and return the status.
func (sh *shell) onKilled() int {
	sig := signalOfCause(sh.p.Ctx)
	if sig == 0 {
		return killedStatus
	}
	sh.trapMu.Lock()
	cmd, ok := sh.traps[sig]
	sh.trapMu.Unlock()
	if !ok || cmd == "" || sig == syscall.SIGKILL || sh.runner == nil {
		return 128 + int(sig)
	}
	file, err := parser().Parse(strings.NewReader(cmd), "trap")
	if err != nil || prepare(file) != nil {
		return 128 + int(sig)
	}
	// The kill already happened, so the trap runs on a context that is
	// no longer cancelled; the kernel can still stop it with SIGKILL only
	// by giving up on the goroutine, so traps should be short, as
	// `docker stop`'s grace period expects anyway.
	ctx := context.WithoutCancel(sh.p.Ctx)
	for _, st := range file.Stmts {
		err = sh.runner.Run(ctx, st)
		if sh.runner.Exited() {
			var es interp.ExitStatus
			if errors.As(err, &es) {
				return int(es)
			}
			return 0
		}
	}
	return 128 + int(sig)
}

// signalHandlerSys is the optional System method through which a program
// tells the kernel it handles a signal: a PID namespace's init receives
// only the signals it handles (the kernel's rule that makes `docker stop`
// wait its grace period out on a plain `sh`).
type signalHandlerSys interface {
	HandleSignal(sig syscall.Signal, handled bool)
}

func declareHandler(sys System, sig syscall.Signal, handled bool) {
	if h, ok := sys.(signalHandlerSys); ok {
		h.HandleSignal(sig, handled)
	}
}
