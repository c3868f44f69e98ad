//go:build linux

// dockerlab-init: the first program inside a new container (book ch.13
// "dockerinit启动" and ch.14 §14.3 挂载; reference
// docs/kernels.md §5 "pivot_root requirements" and "Mounts inside the child").
// Docker 1.2.0 re-executed itself as dockerinit, which set up the
// container's filesystem from inside the new namespaces and then exec'd the
// user's command; this is that, in Go, in our own words.
//
// It runs as pid 1 of the new pid namespace (when there is one), with the
// namespaces clone(2) gave it. Its steps: read the config, wait for the
// parent's go-ahead (the parent joins it to its cgroup and runs the Setup
// hook meanwhile), make "/" private, set the hostname, build the root
// filesystem and pivot_root into it, drop the bounding set, drop to the
// user, cut the other capability sets (caps_linux.go), chdir, and exec.

package linux

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"

	"github.com/dockerlab/dockerlab/backend"
	"github.com/dockerlab/dockerlab/internal/reexec"
	"golang.org/x/sys/unix"
)

func init() {
	reexec.Register(initName, initMain)
	reexec.Register(nativeInitName, initMain)
}

// initMain never returns: it execs the program or exits.
func initMain() {
	// Capabilities and the bounding set belong to a thread, not to the
	// process: the thread that drops them must be the one that execs.
	runtime.LockOSThread()
	for _, fd := range []int{fdConfig, fdSync, fdError} {
		unix.CloseOnExec(fd) // the user's program must not inherit them
	}
	closeInheritedFds()
	errPipe := os.NewFile(fdError, "error-pipe")
	fail := func(code int, msg string) {
		errPipe.WriteString(msg)
		os.Exit(code)
	}

	var cfg initConfig
	if err := json.NewDecoder(os.NewFile(fdConfig, "config-pipe")).Decode(&cfg); err != nil {
		fail(1, "dockerlab-init: reading config: "+err.Error())
	}
	var b [1]byte
	if n, _ := os.NewFile(fdSync, "sync-pipe").Read(b[:]); n != 1 {
		os.Exit(1) // the parent gave up (its Setup failed); nothing to say
	}
	path, env, err := prepare(cfg)
	if err != nil {
		fail(1, "dockerlab-init: "+err.Error())
	}
	if path == "" {
		// Docker's behaviour for a missing program: message, status 127.
		msg := fmt.Sprintf("dockerlab-init: exec: %q: executable file not found in $PATH", cfg.Args[0])
		fmt.Fprintln(os.Stderr, msg)
		fail(127, errProgNotFound+msg)
	}
	err = unix.Exec(path, cfg.Args, env)
	fail(1, fmt.Sprintf("dockerlab-init: exec %s: %v", path, err))
}

// closeInheritedFds marks every descriptor above stderr close-on-exec.
// Go opens its own files that way, but a daemon started from a shell may
// hold descriptors the shell opened without it, and fork passes those on;
// Docker 1.2's init closed them too, so a container's program starts
// with stdin, stdout and stderr only.
func closeInheritedFds() {
	entries, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		return
	}
	for _, e := range entries {
		if fd, err := strconv.Atoi(e.Name()); err == nil && fd > 2 {
			unix.CloseOnExec(fd)
		}
	}
}

// prepare does everything up to exec and resolves the program. An empty
// path with a nil error means the program was not found.
func prepare(cfg initConfig) (path string, env []string, err error) {
	if cfg.Mount {
		// Cloneflags CLONE_NEWNS copies the mount table with its
		// propagation: make it private first, or mounts below would
		// reach the host (reference §5 "Key pitfall").
		if err := unix.Mount("", "/", "", unix.MS_REC|unix.MS_PRIVATE, ""); err != nil {
			return "", nil, fmt.Errorf("make / rprivate: %w", err)
		}
	}
	if cfg.UTS && cfg.Hostname != "" {
		if err := unix.Sethostname([]byte(cfg.Hostname)); err != nil {
			return "", nil, fmt.Errorf("sethostname %q: %w", cfg.Hostname, err)
		}
	}
	if cfg.Rootfs != "" {
		if err := setupRootfs(cfg); err != nil {
			return "", nil, err
		}
	} else if cfg.Mount && cfg.PID {
		// No rootfs but a pid namespace: a fresh /proc shows it.
		if err := unix.Mount("proc", "/proc", "proc", unix.MS_NOSUID|unix.MS_NODEV|unix.MS_NOEXEC, ""); err != nil {
			return "", nil, fmt.Errorf("mount /proc: %w", err)
		}
	}
	var keep uint64
	if cfg.Confine != nil {
		var err error
		if keep, err = backend.CapMask(cfg.Confine.Capabilities); err != nil {
			return "", nil, err
		}
		if err := dropBounding(keep); err != nil {
			return "", nil, err
		}
	}
	if err := setUser(cfg); err != nil {
		return "", nil, err
	}
	if cfg.Confine != nil {
		if err := setCaps(keep, cfg.Uid); err != nil {
			return "", nil, err
		}
	}
	dir := cfg.Dir
	if dir == "" {
		dir = "/"
	}
	if err := unix.Chdir(dir); err != nil {
		return "", nil, fmt.Errorf("chdir %s: %w", dir, err)
	}
	env = withPath(cfg.Env)
	return lookPath(cfg.Args[0], env), env, nil
}

// setUser drops to the spec's groups, gid and uid (in that order: after
// setuid we could no longer change groups).
func setUser(cfg initConfig) error {
	if err := unix.Setgroups(cfg.Groups); err != nil {
		return fmt.Errorf("setgroups %v: %w", cfg.Groups, err)
	}
	if err := unix.Setgid(cfg.Gid); err != nil {
		return fmt.Errorf("setgid %d: %w", cfg.Gid, err)
	}
	if err := unix.Setuid(cfg.Uid); err != nil {
		return fmt.Errorf("setuid %d: %w", cfg.Uid, err)
	}
	return nil
}

// withPath adds Docker's default PATH when env has none.
func withPath(env []string) []string {
	for _, kv := range env {
		if strings.HasPrefix(kv, "PATH=") {
			return env
		}
	}
	return append(append([]string(nil), env...), "PATH="+defaultPath)
}

// lookPath finds name in the (new) root: as given when it has a slash,
// else in each $PATH directory. "" when there is no executable file.
func lookPath(name string, env []string) string {
	executable := func(p string) bool {
		st, err := os.Stat(p)
		return err == nil && st.Mode().IsRegular() && st.Mode()&0o111 != 0
	}
	if strings.Contains(name, "/") {
		if executable(name) {
			return name
		}
		return ""
	}
	pathVar := ""
	for _, kv := range env {
		if v, ok := strings.CutPrefix(kv, "PATH="); ok {
			pathVar = v
		}
	}
	for _, dir := range filepath.SplitList(pathVar) {
		if dir == "" {
			dir = "."
		}
		if p := filepath.Join(dir, name); executable(p) {
			return p
		}
	}
	return ""
}
