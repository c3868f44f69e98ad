// Applets that ask the kernel about processes and the machine: ps, kill,
// hostname, id, whoami, uname, date (docs/design.md "The backend"; book ch.14
// namespaces: inside a PID namespace ps sees pid 1, inside a UTS namespace
// hostname is the container's). All answers come from System, never from
// the host.
package userland

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/dockerlab/dockerlab/backend"
)

func init() {
	register(psMain, "ps")
	register(killMain, "kill")
	register(hostnameMain, "hostname")
	register(idMain, "id")
	register(whoamiMain, "whoami")
	register(unameMain, "uname")
	register(dateMain, "date")
}

// psMain prints busybox's default ps table. The fake keeps no CPU time
// and no per-process user, so TIME is 0:00 and USER is the caller's.
func psMain(p *Process) int {
	user := userName(p, p.Uid)
	fmt.Fprintln(p.Stdout, "PID   USER     TIME  COMMAND")
	for _, pr := range p.Sys.Procs() {
		if pr.State == "exited" {
			continue
		}
		fmt.Fprintf(p.Stdout, "%5d %-8.8s %5s %s\n", pr.Pid, user, "0:00", strings.Join(pr.Args, " "))
	}
	return 0
}

// killMain is `kill [-s SIG | -SIG | -l] PID...`.
func killMain(p *Process) int {
	args := p.Args[1:]
	sig := syscall.SIGTERM
	if len(args) > 0 && args[0] == "-l" {
		if len(args) > 1 {
			for _, a := range args[1:] {
				if n, err := strconv.Atoi(a); err == nil {
					fmt.Fprintln(p.Stdout, signalName(syscall.Signal(n&127)))
				} else if s := signalByName(a); s != 0 {
					fmt.Fprintln(p.Stdout, int(s))
				}
			}
			return 0
		}
		for _, e := range signals {
			fmt.Fprintf(p.Stdout, "%2d) %s\n", int(e.sig), e.name)
		}
		return 0
	}
	if len(args) > 0 && (args[0] == "-s" || args[0] == "-n") && len(args) > 1 {
		s := signalByName(args[1])
		if s == 0 && args[1] != "0" {
			fmt.Fprintf(p.Stderr, "kill: bad signal name '%s'\n", args[1])
			return 1
		}
		sig, args = s, args[2:]
	} else if len(args) > 0 && len(args[0]) > 1 && args[0][0] == '-' {
		s := signalByName(args[0][1:])
		if s == 0 && args[0] != "-0" {
			fmt.Fprintf(p.Stderr, "kill: bad signal name '%s'\n", args[0][1:])
			return 1
		}
		sig, args = s, args[1:]
	}
	if len(args) == 0 {
		fmt.Fprintln(p.Stderr, "BusyBox usage: kill [-l] [-SIG] PID...")
		return 1
	}
	code := 0
	for _, a := range args {
		pid, err := strconv.Atoi(a)
		if err != nil {
			fmt.Fprintf(p.Stderr, "kill: invalid number '%s'\n", a)
			code = 1
			continue
		}
		if err := p.Sys.Kill(pid, sig); err != nil {
			fmt.Fprintf(p.Stderr, "%s: can't kill pid %d: %s\n", p.Args[0], pid, errnoText(err))
			code = 1
		}
	}
	return code
}

// errnoText prints a backend error the way strerror would, when it
// carries an errno.
func errnoText(err error) string {
	var be *backend.Error
	if errors.As(err, &be) && be.Errno != 0 {
		return errText(be.Errno)
	}
	switch {
	case errors.Is(err, backend.ErrNotFound):
		return "No such process"
	case errors.Is(err, backend.ErrPermission):
		return "Operation not permitted"
	}
	return errText(err)
}

// hostnameMain prints the UTS hostname, sets it (`hostname NAME`, or
// `-F FILE`), or prints the short name (-s).
func hostnameMain(p *Process) int {
	args := p.Args[1:]
	name := ""
	switch {
	case len(args) == 0:
		fmt.Fprintln(p.Stdout, p.Sys.Hostname())
		return 0
	case args[0] == "-s":
		h, _, _ := strings.Cut(p.Sys.Hostname(), ".")
		fmt.Fprintln(p.Stdout, h)
		return 0
	case args[0] == "-F" && len(args) > 1:
		b, err := newFsys(p).ReadFile(args[1])
		if err != nil {
			fmt.Fprintf(p.Stderr, "hostname: can't open '%s': %s\n", args[1], errText(err))
			return 1
		}
		name = strings.TrimSpace(string(b))
	case strings.HasPrefix(args[0], "-"):
		fmt.Fprintf(p.Stderr, "hostname: invalid option -- '%s'\n", strings.TrimPrefix(args[0], "-"))
		return 1
	default:
		name = args[0]
	}
	if p.Uid != 0 && kernelFSOf(p.Sys) == nil {
		fmt.Fprintln(p.Stderr, "hostname: sethostname: Operation not permitted")
		return 1
	}
	// The kernel checks CAP_SYS_ADMIN, which a Docker 1.2 container
	// does not have (--privileged gives it).
	if err := p.Sys.SetHostname(name); err != nil {
		fmt.Fprintf(p.Stderr, "hostname: sethostname: %s\n", errnoText(err))
		return 1
	}
	return 0
}

// account is one line of /etc/passwd or /etc/group inside the rootfs.
type account struct {
	name    string
	id, gid int
	members []string
}

func readAccounts(p *Process, file string) []account {
	b, err := newFsys(p).ReadFile(file)
	if err != nil {
		return nil
	}
	var out []account
	for _, line := range strings.Split(string(b), "\n") {
		f := strings.Split(line, ":")
		if len(f) < 3 {
			continue
		}
		a := account{name: f[0]}
		a.id, _ = strconv.Atoi(f[2])
		if file == "/etc/passwd" && len(f) > 3 {
			a.gid, _ = strconv.Atoi(f[3])
		}
		if file == "/etc/group" && len(f) > 3 && f[3] != "" {
			a.members = strings.Split(f[3], ",")
		}
		out = append(out, a)
	}
	return out
}

func lookupName(accts []account, id int) (string, bool) {
	for _, a := range accts {
		if a.id == id {
			return a.name, true
		}
	}
	return "", false
}

func userName(p *Process, uid int) string {
	if n, ok := lookupName(readAccounts(p, "/etc/passwd"), uid); ok {
		return n
	}
	return strconv.Itoa(uid)
}

// idMain prints `uid=0(root) gid=0(root) groups=0(root),10(wheel)`; -u,
// -g, -n for one field.
func idMain(p *Process) int {
	users := readAccounts(p, "/etc/passwd")
	groups := readAccounts(p, "/etc/group")
	named := func(accts []account, id int) string {
		if n, ok := lookupName(accts, id); ok {
			return fmt.Sprintf("%d(%s)", id, n)
		}
		return strconv.Itoa(id)
	}
	uid, gid := p.Uid, p.Gid
	opts := strings.Join(p.Args[1:], "")
	switch {
	case strings.Contains(opts, "u"), strings.Contains(opts, "g"):
		id, accts := uid, users
		if strings.Contains(opts, "g") {
			id, accts = gid, groups
		}
		if n, ok := lookupName(accts, id); ok && strings.Contains(opts, "n") {
			fmt.Fprintln(p.Stdout, n)
		} else {
			fmt.Fprintln(p.Stdout, id)
		}
		return 0
	}
	// Supplementary groups: the primary group, then groups that list
	// the user by name (what initgroups would give a login).
	ids := []int{gid}
	uname, _ := lookupName(users, uid)
	for _, g := range groups {
		for _, m := range g.members {
			if m == uname && g.id != gid {
				ids = append(ids, g.id)
			}
		}
	}
	parts := make([]string, len(ids))
	for i, g := range ids {
		parts[i] = named(groups, g)
	}
	fmt.Fprintf(p.Stdout, "uid=%s gid=%s groups=%s\n", named(users, uid), named(groups, gid), strings.Join(parts, ","))
	return 0
}

func whoamiMain(p *Process) int {
	n, ok := lookupName(readAccounts(p, "/etc/passwd"), p.Uid)
	if !ok {
		fmt.Fprintf(p.Stderr, "whoami: unknown uid %d\n", p.Uid)
		return 1
	}
	fmt.Fprintln(p.Stdout, n)
	return 0
}

// The fake machine's uname fields.
const (
	fakeSysname = "Linux"
	fakeRelease = "dockerlab-fake"
	fakeVersion = "#1 SMP dockerlab simulated kernel"
	fakeMachine = "x86_64"
)

func unameMain(p *Process) int {
	fields := map[byte]string{
		's': fakeSysname, 'n': p.Sys.Hostname(), 'r': fakeRelease,
		'v': fakeVersion, 'm': fakeMachine, 'o': "GNU/Linux",
	}
	order := "snrvmo"
	want := ""
	for _, a := range p.Args[1:] {
		if !strings.HasPrefix(a, "-") {
			fmt.Fprintln(p.Stderr, "BusyBox usage: uname [-amnrspvio]")
			return 1
		}
		for _, c := range a[1:] {
			switch c {
			case 'a':
				want = order
			case 'p', 'i':
				want += "m"
			default:
				if _, ok := fields[byte(c)]; !ok {
					fmt.Fprintf(p.Stderr, "uname: invalid option -- '%c'\n", c)
					return 1
				}
				want += string(c)
			}
		}
	}
	if want == "" {
		want = "s"
	}
	var out []string
	for i := 0; i < len(order); i++ {
		if strings.IndexByte(want, order[i]) >= 0 {
			out = append(out, fields[order[i]])
		}
	}
	fmt.Fprintln(p.Stdout, strings.Join(out, " "))
	return 0
}

// dateMain prints the time in UTC (a container has no /etc/localtime by
// default), as `date` does: "Sun Nov 22 21:53:45 UTC 2026"; -u accepted,
// +FORMAT not supported beyond a few common directives.
func dateMain(p *Process) int {
	now := time.Now().UTC()
	for _, a := range p.Args[1:] {
		switch {
		case a == "-u":
		case strings.HasPrefix(a, "+"):
			fmt.Fprintln(p.Stdout, strftime(now, a[1:]))
			return 0
		default:
			fmt.Fprintf(p.Stderr, "date: invalid date '%s'\n", a)
			return 1
		}
	}
	fmt.Fprintln(p.Stdout, now.Format("Mon Jan _2 15:04:05 MST 2006"))
	return 0
}

func strftime(t time.Time, f string) string {
	repl := map[byte]string{
		'Y': "2006", 'm': "01", 'd': "02", 'H': "15", 'M': "04", 'S': "05",
		'y': "06", 'b': "Jan", 'a': "Mon", 'Z': "MST", 'e': "_2", 'B': "January", 'A': "Monday",
	}
	var b strings.Builder
	for i := 0; i < len(f); i++ {
		if f[i] != '%' || i+1 == len(f) {
			b.WriteByte(f[i])
			continue
		}
		i++
		switch c := f[i]; {
		case c == 's':
			b.WriteString(strconv.FormatInt(t.Unix(), 10))
		case c == '%':
			b.WriteByte('%')
		case c == 'n':
			b.WriteByte('\n')
		case repl[c] != "":
			b.WriteString(t.Format(repl[c]))
		default:
			b.WriteByte('%')
			b.WriteByte(c)
		}
	}
	return b.String()
}
