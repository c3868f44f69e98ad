// tty and stty: what a program on `docker run -t` can ask its terminal
// (backend/fake/tty.go): whether stdin is one, and its window size, which
// the client sends with POST /containers/ID/resize (book ch.13 §13.3;
// upstream api/client/utils.go monitorTtySize at Docker v1.2.0).
//
//	tty          /dev/pts/0, or "not a tty" with status 1
//	stty size    ROWS COLS
//	stty -a      the size and the modes the fake's line discipline has
//
// Changing modes (stty raw, -echo) is not simulated.
package userland

import "fmt"

func init() {
	register(ttyMain, "tty")
	register(sttyMain, "stty")
}

func ttyMain(p *Process) int {
	if _, ok := isTerminal(p.Stdin); !ok {
		fmt.Fprintln(p.Stdout, "not a tty")
		return 1
	}
	fmt.Fprintln(p.Stdout, "/dev/pts/0") // a container's only pty (devpts newinstance)
	return 0
}

func sttyMain(p *Process) int {
	t, ok := isTerminal(p.Stdin)
	if !ok {
		fmt.Fprintln(p.Stderr, "stty: standard input: Not a tty")
		return 1
	}
	rows, cols := t.TerminalSize()
	args := p.Args[1:]
	switch {
	case len(args) == 1 && args[0] == "size":
		fmt.Fprintf(p.Stdout, "%d %d\n", rows, cols)
	case len(args) == 0 || (len(args) == 1 && (args[0] == "-a" || args[0] == "-g")):
		fmt.Fprintf(p.Stdout, "speed 38400 baud; rows %d; columns %d; line = 0;\n", rows, cols)
		fmt.Fprintln(p.Stdout, "intr = ^C; quit = ^\\; erase = ^?; kill = ^U; eof = ^D;")
		fmt.Fprintln(p.Stdout, "icrnl opost onlcr isig icanon echo echoe echoctl")
	default:
		fmt.Fprintf(p.Stderr, "stty: changing terminal modes (%s) is not simulated\n", args[0])
		return 1
	}
	return 0
}
