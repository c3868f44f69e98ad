// Finding a program the way execve(2) and execvp(3) do, inside the rootfs
// (docs/design.md "The backend": the fake never executes a host binary; book
// ch.13 dockerinit runs the container's command with exec).
//
// The fake can "execute" only two kinds of file: busybox itself (recognised
// by its name at the end of the symlink chain, since it is a real ELF the
// fake never runs) and a "#!" script whose interpreter is a busybox applet.
// Anything else is found, but refused with backend.ErrUnsupported.
package userland

import (
	"bytes"
	"errors"
	"io"
	"io/fs"
	"os"
	"path"
	"strconv"
	"strings"
	"syscall"

	"github.com/dockerlab/dockerlab/backend"
)

// DefaultPath is the PATH a process gets when its environment has none,
// the same list Docker puts into a container's environment.
const DefaultPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

// program is what a resolved file turns out to be.
type program struct {
	path   string // where it was found, absolute inside the rootfs
	applet string // the busybox applet to run ("" for busybox itself)
	// prefix comes before the program's own arguments: a script's
	// interpreter line ("/bin/sh", or "/bin/busybox", "sh"), then the
	// script path, as the kernel builds argv for "#!".
	prefix []string
}

// Lookup resolves name as execve+PATH would inside root: a name with a "/"
// is used as it is (relative to "/"), anything else is searched in the PATH
// of env. It returns the path inside the rootfs.
func Lookup(root *os.Root, name string, env []string) (string, error) {
	prog, err := findProgram(root, "/", name, env)
	if err != nil {
		return "", err
	}
	return prog.path, nil
}

func getenv(env []string, key string) (string, bool) {
	for i := len(env) - 1; i >= 0; i-- {
		if k, v, ok := strings.Cut(env[i], "="); ok && k == key {
			return v, true
		}
	}
	return "", false
}

func notFound(name string) error {
	return backend.Errorf(backend.ErrProgNotFound, syscall.ENOENT, "exec", "",
		"%s: executable file not found in $PATH", strconv.Quote(name))
}

// findProgram does the lookup and decides what the file is. dir is the
// cwd, for names like ./run.sh.
func findProgram(root *os.Root, dir, name string, env []string) (*program, error) {
	return findProgramIn(fsys{root: root, dir: absPath("/", dir)}, name, env)
}

// findProgramIn is findProgram in a process's view, volumes included.
func findProgramIn(f fsys, name string, env []string) (*program, error) {
	if name == "" {
		return nil, notFound(name)
	}
	if strings.Contains(name, "/") {
		p := absPath(f.dir, name)
		if err := checkExecutable(f, p); err != nil {
			if errors.Is(err, syscall.ENOENT) || errors.Is(err, syscall.ENOTDIR) {
				return nil, backend.Errorf(backend.ErrProgNotFound, syscall.ENOENT, "exec", "",
					"%s: no such file or directory", strconv.Quote(name))
			}
			return nil, execError(name, err)
		}
		return classify(f, p, 0)
	}
	pathList, ok := getenv(env, "PATH")
	if !ok {
		pathList = DefaultPath
	}
	var denied error
	for _, d := range strings.Split(pathList, ":") {
		if d == "" {
			d = "."
		}
		p := absPath(f.dir, path.Join(d, name))
		err := checkExecutable(f, p)
		if err == nil {
			return classify(f, p, 0)
		}
		// As execvp: a file found but not executable is remembered, and
		// reported only if nothing better turns up later in PATH.
		if errors.Is(err, syscall.EACCES) && denied == nil {
			denied = execError(name, err)
		}
	}
	if denied != nil {
		return nil, denied
	}
	return nil, notFound(name)
}

func execError(name string, err error) error {
	var errno syscall.Errno
	if !errors.As(err, &errno) {
		errno = syscall.EACCES
	}
	return backend.Errorf(backend.KindOfErrno(errno), errno, "exec", "",
		"%s: %s", strconv.Quote(name), errText(errno))
}

// checkExecutable is execve's permission check: a regular file with an x
// bit (root too needs one x bit; directories give EACCES).
func checkExecutable(f fsys, p string) error {
	info, err := f.Stat(p)
	if err != nil {
		return err
	}
	if !info.Mode().IsRegular() || info.Mode().Perm()&0o111 == 0 {
		return &fs.PathError{Op: "exec", Path: p, Err: syscall.EACCES}
	}
	return nil
}

// busyboxTarget follows the symlink chain of p and says whether it ends at
// a file named busybox.
func busyboxTarget(f fsys, p string) bool {
	abs, err := f.resolve(p, true)
	if err != nil {
		return false
	}
	return path.Base(abs) == "busybox"
}

// classify decides how the fake runs the executable file at p. depth
// counts nested "#!" interpreters (the kernel allows a few levels).
func classify(f fsys, p string, depth int) (*program, error) {
	if busyboxTarget(f, p) {
		applet := path.Base(p)
		if applet == "busybox" {
			applet = ""
		}
		return &program{path: p, applet: applet}, nil
	}
	head := readHead(f, p)
	if bytes.HasPrefix(head, []byte("#!")) && depth < 4 {
		line, _, _ := bytes.Cut(head[2:], []byte("\n"))
		fields := strings.Fields(string(line))
		if len(fields) == 0 {
			return nil, unsupported(p, "its #! line names no interpreter")
		}
		interp := fields[0]
		if err := checkExecutable(f, interp); err != nil {
			if errors.Is(err, syscall.ENOENT) || errors.Is(err, syscall.ENOTDIR) {
				return nil, backend.Errorf(backend.ErrProgNotFound, syscall.ENOENT, "exec", "",
					"%s: interpreter %s: no such file or directory", strconv.Quote(p), interp)
			}
			return nil, execError(interp, err)
		}
		ip, err := classify(f, absPath("/", interp), depth+1)
		if err != nil {
			return nil, unsupported(p, "its interpreter "+interp+" is not a busybox applet")
		}
		// argv becomes: interpreter [one optional argument] script args...
		prefix := append([]string{interp}, fields[1:]...)
		if len(fields) > 2 {
			prefix = []string{interp, strings.Join(fields[1:], " ")}
		}
		prog := &program{path: p, applet: ip.applet, prefix: append(prefix, p)}
		if ip.applet == "" && len(fields) > 1 {
			prog.applet = fields[1] // #!/bin/busybox sh
		}
		return prog, nil
	}
	if bytes.HasPrefix(head, []byte("\x7fELF")) {
		return nil, unsupported(p, "")
	}
	// Neither ELF nor "#!": execve fails with ENOEXEC (a shell then runs
	// the file as a script itself, see the shell's exec handler).
	return nil, backend.Errorf(backend.ErrUnsupported, syscall.ENOEXEC, "exec", "",
		"%s: exec format error", strconv.Quote(p))
}

func unsupported(p, why string) error {
	msg := "fake backend cannot run %s: it runs only the simulated busybox applets (sh, echo, ls, ...) and #! /bin/sh scripts"
	if why != "" {
		msg += " (" + why + ")"
	}
	return backend.Errorf(backend.ErrUnsupported, 0, "exec", "", msg, p)
}

// readHead returns the first bytes of a file, enough for "#!" or ELF.
func readHead(f fsys, p string) []byte {
	file, err := f.Open(p)
	if err != nil {
		return nil
	}
	defer file.Close()
	buf := make([]byte, 256)
	n, _ := io.ReadFull(file, buf)
	return buf[:n]
}
