// The shell's terminal: how `read` and the programs a shell starts share
// one terminal with the shell's own command reading (backend/fake/tty.go;
// book ch.13 §13.3 the container's console).
//
// The interpreter copies a stdin that is not an *os.File into a pipe on a
// goroutine that reads all it can. On a terminal that would swallow the
// lines meant for the next prompt or for `cat`. So the shell gives the
// interpreter a pipe of its own (termIn) and fills it with exactly one
// line from the terminal when the `read` builtin is about to run — as a
// real read(2) on a terminal in canonical mode returns one line.
// Programs the shell starts get the terminal itself.
package userland

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"

	"mvdan.cc/sh/v3/interp"
)

// attachTerminal makes the interpreter's stdin pipe for terminal t.
func (sh *shell) attachTerminal(t Terminal) error {
	if sh.termIn != nil {
		sh.term = t
		return nil
	}
	r, w, err := os.Pipe()
	if err != nil {
		return err
	}
	sh.term, sh.termIn, sh.termWr = t, r, w
	return nil
}

// detachTerminal closes the pipe when the shell ends.
func (sh *shell) detachTerminal() {
	if sh.termIn != nil {
		sh.termWr.Close()
		sh.termIn.Close()
	}
}

// isTermIn says whether r is the interpreter's stdin pipe (stdin not
// redirected).
func (sh *shell) isTermIn(r io.Reader) bool {
	f, ok := r.(*os.File)
	return ok && f == sh.termIn
}

// feedRead runs before the `read` builtin: when its stdin is the
// terminal, one line is read from the terminal (after `-p PROMPT` is
// shown) and put in the pipe for the builtin to read. End of file (^D)
// or ^C make the builtin fail as read(2) would, by running `false`.
func (sh *shell) feedRead(ctx context.Context, args []string) []string {
	hc := interp.HandlerCtx(ctx)
	if !sh.isTermIn(hc.Stdin) {
		return args // redirected: the builtin reads its file
	}
	out := []string{args[0]}
	for i := 1; i < len(args); i++ {
		if args[i] == "-p" && i+1 < len(args) {
			fmt.Fprint(hc.Stderr, args[i+1]) // the prompt comes before the wait
			i++
			continue
		}
		if p, ok := strings.CutPrefix(args[i], "-p"); ok && p != "" && !strings.HasPrefix(args[i], "--") {
			fmt.Fprint(hc.Stderr, p)
			continue
		}
		out = append(out, args[i])
	}
	buf := make([]byte, 4096)
	n, err := ctxReader{ctx, sh.term}.Read(buf)
	if err != nil || n == 0 {
		return []string{"false"}
	}
	line := buf[:n]
	if line[len(line)-1] != '\n' {
		line = append(line, '\n') // ^D after some text: read takes it as a line
	}
	if _, err := sh.termWr.Write(line); err != nil {
		return []string{"false"}
	}
	return out
}
