// Applets that read and filter text: cat, head, tail, wc, grep (docs/design.md
// "The backend": simulated busybox applets). Files come from the rootfs
// (rootfs.go); "-" or no file means stdin. Long reads check for stop and
// kill between chunks, as a real process is stopped between syscalls.
package userland

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
	"time"
)

func init() {
	register(catMain, "cat")
	register(headTailMain, "head", "tail")
	register(wcMain, "wc")
	register(grepMain, "grep", "egrep", "fgrep")
}

// inputs opens each named file in turn (stdin for "-" or none), calling
// fn; it prints busybox's "can't open" for a missing one and reports
// whether all opened.
func inputs(p *Process, names []string, fn func(name string, r io.Reader) error) bool {
	if len(names) == 0 {
		names = []string{"-"}
	}
	ok := true
	f := newFsys(p)
	for _, n := range names {
		if n == "-" {
			// A read of stdin may block for ever (an attached terminal):
			// it must still end when the process is killed.
			if fn(n, ctxReader{p.Ctx, p.Stdin}) != nil {
				return false
			}
			continue
		}
		if isDevNull(f, n) {
			if fn(n, devNull{}) != nil {
				return false
			}
			continue
		}
		file, err := f.Open(n)
		if err == nil {
			if info, serr := file.Stat(); serr == nil && info.IsDir() {
				file.Close()
				fmt.Fprintf(p.Stderr, "%s: read error: Is a directory\n", p.Args[0])
				ok = false
				continue
			}
		}
		if err != nil {
			fmt.Fprintf(p.Stderr, "%s: can't open '%s': %s\n", p.Args[0], n, errText(err))
			ok = false
			continue
		}
		err = fn(n, file)
		file.Close()
		if err != nil {
			return false
		}
	}
	return ok
}

// copyChecked copies r to w in chunks, stopping when the process is
// killed (and waiting while it is stopped).
func copyChecked(p *Process, w io.Writer, r io.Reader) error {
	buf := make([]byte, 32*1024)
	for {
		if err := p.Sys.Stopped(p.Ctx); err != nil {
			return err
		}
		n, err := r.Read(buf)
		if n > 0 {
			if _, werr := w.Write(buf[:n]); werr != nil {
				return werr
			}
		}
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
	}
}

func catMain(p *Process) int {
	var names []string
	for _, a := range p.Args[1:] {
		if a == "-u" {
			continue
		}
		names = append(names, a)
	}
	killed := false
	ok := inputs(p, names, func(_ string, r io.Reader) error {
		err := copyChecked(p, p.Stdout, r)
		killed = p.Ctx.Err() != nil
		return err
	})
	if killed {
		return killedStatus
	}
	return boolExit(ok)
}

func boolExit(ok bool) int {
	if ok {
		return 0
	}
	return 1
}

// readLines reads r as lines, keeping each line's "\n": all of them,
// or at most limit when limit >= 0.
func readLines(p *Process, r io.Reader, limit int) ([]string, error) {
	var out []string
	br := bufio.NewReader(r)
	for limit < 0 || len(out) < limit {
		if err := p.Sys.Stopped(p.Ctx); err != nil {
			return out, err
		}
		line, err := br.ReadString('\n')
		if line != "" {
			out = append(out, line)
		}
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return out, err
		}
	}
	return out, nil
}

// headTailMain is `head [-n N] [FILE]...` and `tail [-n [+]N] [FILE]...`
// (also the old -N form). With several files each gets a "==> F <=="
// header, as busybox prints.
func headTailMain(p *Process) int {
	isTail := p.Args[0] == "tail"
	n, fromStart, follow := 10, false, false
	var names []string
	args := p.Args[1:]
	for len(args) > 0 {
		a := args[0]
		args = args[1:]
		switch {
		case a == "-n" && len(args) > 0:
			a, args = "-n"+args[0], args[1:]
			fallthrough
		case strings.HasPrefix(a, "-n"):
			v := a[2:]
			if isTail && strings.HasPrefix(v, "+") {
				fromStart, v = true, v[1:]
			}
			k, err := strconv.Atoi(strings.TrimPrefix(v, "-"))
			if err != nil {
				fmt.Fprintf(p.Stderr, "%s: invalid number '%s'\n", p.Args[0], v)
				return 1
			}
			n = k
		case len(a) > 1 && a[0] == '-' && isNumber(a[1:]):
			n, _ = strconv.Atoi(a[1:])
		case a == "-f" && isTail:
			follow = true
		case a == "-q" || a == "-v":
		default:
			names = append(names, a)
		}
	}
	first := true
	ok := inputs(p, names, func(name string, r io.Reader) error {
		if len(names) > 1 {
			if !first {
				fmt.Fprintln(p.Stdout)
			}
			fmt.Fprintf(p.Stdout, "==> %s <==\n", displayName(name))
		}
		first = false
		limit := -1
		if !isTail {
			limit = n // head stops reading early: `yes | head` ends
		}
		lines, err := readLines(p, r, limit)
		var sel []string
		switch {
		case !isTail:
			sel = lines[:min(n, len(lines))]
		case fromStart:
			sel = lines[min(max(n-1, 0), len(lines)):]
		default:
			sel = lines[max(len(lines)-n, 0):]
		}
		io.WriteString(p.Stdout, strings.Join(sel, ""))
		if err == nil && follow && len(names) <= 1 {
			err = followInput(p, r)
		}
		return err
	})
	if p.Ctx.Err() != nil {
		return killedStatus
	}
	return boolExit(ok)
}

// followInput is tail -f: keep copying what is appended to r until the
// process is killed. A file at its end reads EOF, so poll it.
func followInput(p *Process, r io.Reader) error {
	buf := make([]byte, 32*1024)
	for {
		n, err := r.Read(buf)
		if n > 0 {
			if _, werr := p.Stdout.Write(buf[:n]); werr != nil {
				return werr
			}
			continue
		}
		if err != nil && err != io.EOF {
			return err
		}
		if !sleepFor(p, 200*time.Millisecond) {
			return p.Ctx.Err()
		}
	}
}

func displayName(n string) string {
	if n == "-" {
		return "standard input"
	}
	return n
}

// wcMain prints lines, words and bytes (or those selected by -l -w -c),
// in busybox's column layout: numbers right-aligned to width 9 with one
// space between, a file name after, and a total line for several files.
func wcMain(p *Process) int {
	var sel []byte
	var names []string
	for _, a := range p.Args[1:] {
		if len(a) > 1 && a[0] == '-' {
			for _, c := range a[1:] {
				switch c {
				case 'l', 'w', 'c', 'm':
					if c == 'm' {
						c = 'c'
					}
					sel = append(sel, byte(c))
				default:
					fmt.Fprintf(p.Stderr, "wc: invalid option -- '%c'\n", c)
					return 1
				}
			}
			continue
		}
		names = append(names, a)
	}
	show := func(c byte) bool { return len(sel) == 0 || bytes.IndexByte(sel, c) >= 0 }
	var total [3]int
	print := func(counts [3]int, name string) {
		var parts []string
		for i, c := range []byte{'l', 'w', 'c'} {
			if show(c) {
				parts = append(parts, fmt.Sprintf("%9d", counts[i]))
			}
		}
		line := strings.Join(parts, " ")
		// A single count is printed without padding.
		if len(parts) == 1 {
			line = strings.TrimSpace(line)
		}
		if name != "" {
			line += " " + name
		}
		fmt.Fprintln(p.Stdout, line)
	}
	ok := inputs(p, names, func(name string, r io.Reader) error {
		var c [3]int
		br := bufio.NewReader(r)
		inWord := false
		for {
			b, err := br.ReadByte()
			if err != nil {
				break
			}
			c[2]++
			if b == '\n' {
				c[0]++
			}
			space := b == ' ' || b == '\n' || b == '\t' || b == '\r' || b == '\v' || b == '\f'
			if !space && !inWord {
				c[1]++
			}
			inWord = !space
		}
		for i := range c {
			total[i] += c[i]
		}
		if name == "-" {
			name = ""
		}
		print(c, name)
		return p.Ctx.Err()
	})
	if len(names) > 1 {
		print(total, "total")
	}
	return boolExit(ok)
}

// grepMain is grep with -v -i -c -q -n -l -h -F -E -e PATTERN -w -x -s.
// Patterns are Go regexps (close to POSIX extended); basic-regexp escapes
// like \( \| are translated.
func grepMain(p *Process) int {
	var patterns []string
	fixed := p.Args[0] == "fgrep"
	extended := p.Args[0] == "egrep"
	var invert, icase, count, quiet, number, listNames, noNames, word, line, silent bool
	var names []string
	args := p.Args[1:]
	havePattern := false
	for len(args) > 0 {
		a := args[0]
		args = args[1:]
		if a == "--" {
			names = append(names, args...)
			break
		}
		if len(a) < 2 || a[0] != '-' {
			if !havePattern {
				patterns, havePattern = append(patterns, a), true
			} else {
				names = append(names, a)
			}
			continue
		}
		for i := 1; i < len(a); i++ {
			switch a[i] {
			case 'v':
				invert = true
			case 'i':
				icase = true
			case 'c':
				count = true
			case 'q':
				quiet = true
			case 'n':
				number = true
			case 'l':
				listNames = true
			case 'h':
				noNames = true
			case 'F':
				fixed = true
			case 'E':
				extended = true
			case 'w':
				word = true
			case 'x':
				line = true
			case 's':
				silent = true
			case 'e':
				v := a[i+1:]
				if v == "" && len(args) > 0 {
					v, args = args[0], args[1:]
				}
				patterns, havePattern = append(patterns, v), true
				i = len(a)
			default:
				fmt.Fprintf(p.Stderr, "grep: invalid option -- '%c'\n", a[i])
				return 2
			}
		}
	}
	if !havePattern {
		fmt.Fprintln(p.Stderr, "BusyBox usage: grep [-vicqnlhFEwxs] PATTERN [FILE]...")
		return 2
	}
	var exprs []string
	for _, pat := range patterns {
		switch {
		case fixed:
			pat = regexp.QuoteMeta(pat)
		case !extended:
			pat = basicToExtended(pat)
		}
		if word {
			pat = `\b(?:` + pat + `)\b`
		}
		if line {
			pat = `^(?:` + pat + `)$`
		}
		exprs = append(exprs, "(?:"+pat+")")
	}
	expr := strings.Join(exprs, "|")
	if icase {
		expr = "(?i)" + expr
	}
	re, err := regexp.Compile(expr)
	if err != nil {
		fmt.Fprintf(p.Stderr, "grep: bad regex '%s': %v\n", strings.Join(patterns, "|"), err)
		return 2
	}
	matched := false
	if silent {
		p2 := *p
		p2.Stderr = discard{}
		p = &p2
	}
	ok := inputs(p, names, func(name string, r io.Reader) error {
		lines, err := readLines(p, r, -1)
		n := 0
		for i, l := range lines {
			text := strings.TrimSuffix(l, "\n")
			if re.MatchString(text) == invert {
				continue
			}
			n++
			matched = true
			if quiet || count || listNames {
				continue
			}
			prefix := ""
			if len(names) > 1 && !noNames {
				prefix = displayName(name) + ":"
			}
			if number {
				prefix += strconv.Itoa(i+1) + ":"
			}
			fmt.Fprintln(p.Stdout, prefix+text)
		}
		switch {
		case quiet:
		case listNames && n > 0:
			fmt.Fprintln(p.Stdout, displayName(name))
		case count:
			if len(names) > 1 && !noNames {
				fmt.Fprintf(p.Stdout, "%s:%d\n", displayName(name), n)
			} else {
				fmt.Fprintln(p.Stdout, n)
			}
		}
		return err
	})
	switch {
	case matched && (ok || quiet):
		return 0
	case !ok:
		return 2
	}
	return 1
}

// basicToExtended translates a POSIX basic regexp to Go syntax: in BRE,
// ( ) { } | + ? are literal and their backslashed forms are operators.
func basicToExtended(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '\\' && i+1 < len(s) {
			n := s[i+1]
			i++
			if strings.IndexByte("(){}|+?", n) >= 0 {
				b.WriteByte(n)
			} else {
				b.WriteByte('\\')
				b.WriteByte(n)
			}
			continue
		}
		if strings.IndexByte("(){}|+?", c) >= 0 {
			b.WriteByte('\\')
		}
		b.WriteByte(c)
	}
	return b.String()
}

// isDevNull says whether n is /dev/null in a rootfs that has no /dev
// (the fake mounts no device files; `tail -f /dev/null` is a common way
// to keep a container running).
func isDevNull(f fsys, n string) bool {
	if absPath(f.dir, n) != "/dev/null" {
		return false
	}
	_, err := f.Stat(n)
	return err != nil
}
