// A real Docker engine for the comparison rows (issue #5 item 8): Debian's
// dockerd, with the containerd and runc it starts, unpacked by
// scripts/bench-tools.sh into build/bench-tools (never installed; no
// service starts).
//
// The benchmark starts it and stops it, and it touches nothing of the
// machine:
//   - its own network namespace and mount namespace (`unshare -n -m`,
//     mounts private; lo brought up inside): its mounts and any interface
//     vanish with it; in there /run is a tmpfs and /etc and /opt are
//     overlays with their upper layers in the temporary directory, for
//     the files dockerd and containerd write at fixed paths;
//   - --data-root, --exec-root, --pidfile and the -H unix socket in a
//     temporary directory (containerd's state lives under them too);
//   - --storage-driver vfs, --iptables=false, --ip-forward=false,
//     --ip-masq=false, --bridge=none, --userland-proxy=false;
//   - --cgroup-parent dockerlab-bench-dockerd, removed afterwards.
//
// It is stopped by its pid (SIGTERM; dockerd then stops its containerd),
// and the directory is removed.
package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"time"
)

const dockerdCgroup = "dockerlab-bench-dockerd"

type realEngine struct {
	dir      string
	sock     string
	cmd      *exec.Cmd
	exited   chan struct{}
	stopOnce sync.Once
}

var (
	engineOnce sync.Once
	engineD    *realEngine
	engineErr  error
)

func sharedRealEngine(cfg config) (*realEngine, error) {
	engineOnce.Do(func() { engineD, engineErr = startRealEngine(cfg) })
	return engineD, engineErr
}

// realEngineSkip is the skip reason of a row that needs the real engine.
func realEngineSkip(cfg config) string {
	if why := needRootLinux(); why != "" {
		return why
	}
	for _, t := range []struct{ path, what string }{
		{filepath.Join(cfg.Tools, "usr", "sbin", "dockerd"), "dockerd (docker.io)"},
		{filepath.Join(cfg.Tools, "usr", "bin", "containerd"), "containerd"},
		{filepath.Join(cfg.Tools, "usr", "sbin", "runc"), "runc"},
	} {
		if why := toolMissing(t.path, t.what); why != "" {
			return why
		}
	}
	if why := dockerCLIMissing(); why != "" {
		return why
	}
	if _, err := exec.LookPath("unshare"); err != nil {
		return "unshare (util-linux) is not installed"
	}
	if _, err := sharedRealEngine(cfg); err != nil {
		return "the real Docker engine did not start: " + err.Error()
	}
	return ""
}

func startRealEngine(cfg config) (*realEngine, error) {
	tools, err := filepath.Abs(cfg.Tools)
	if err != nil {
		return nil, err
	}
	image, err := filepath.Abs(cfg.Image)
	if err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp(benchTmp, "dockerlab-bench-dockerd-")
	if err != nil {
		return nil, err
	}
	e := &realEngine{dir: dir, sock: filepath.Join(dir, "docker.sock"), exited: make(chan struct{})}
	log, err := os.Create(filepath.Join(dir, "dockerd.log"))
	if err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	// In its private mount namespace, before it becomes dockerd (exec, so
	// the pid we hold is dockerd's), the shell gives it places of its own
	// for the paths dockerd and containerd write to whatever their flags
	// say: a tmpfs on /run (/run/docker/plugins, containerd's shim sockets
	// in /run/containerd/s), and /etc and /opt as overlays whose upper
	// layers are in the temporary directory (/etc/docker/key.json,
	// /opt/containerd). The machine's own /etc, /opt and /run are left as
	// they were.
	for _, d := range []string{"etc/upper", "etc/work", "opt/upper", "opt/work"} {
		if err := os.MkdirAll(filepath.Join(dir, "overlay", d), 0o755); err != nil {
			os.RemoveAll(dir)
			return nil, err
		}
	}
	script := `set -e
ov="$BENCH_DIR/overlay"
mount -t tmpfs -o mode=0755 dockerlab-bench /run
mount -t overlay overlay -o "lowerdir=/etc,upperdir=$ov/etc/upper,workdir=$ov/etc/work" /etc
mount -t overlay overlay -o "lowerdir=/opt,upperdir=$ov/opt/upper,workdir=$ov/opt/work" /opt
ip link set lo up 2>/dev/null || true
exec dockerd "$@"`
	e.cmd = exec.Command("unshare", "--net", "--mount", "--propagation", "private",
		"sh", "-c", script, "dockerd",
		"--data-root", filepath.Join(dir, "data"),
		"--exec-root", filepath.Join(dir, "exec"),
		"--pidfile", filepath.Join(dir, "docker.pid"),
		"-H", "unix://"+e.sock,
		"--storage-driver", "vfs",
		"--iptables=false", "--ip-forward=false", "--ip-masq=false",
		"--bridge=none", "--userland-proxy=false",
		"--cgroup-parent", dockerdCgroup)
	e.cmd.Env = append(os.Environ(), "BENCH_DIR="+dir,
		"PATH="+filepath.Join(tools, "usr", "bin")+":"+filepath.Join(tools, "usr", "sbin")+":"+os.Getenv("PATH"))
	e.cmd.Stdout, e.cmd.Stderr = log, log
	// Its own process group: a Ctrl-C at the terminal reaches the
	// benchmark, which then stops the engine in order.
	e.cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := e.cmd.Start(); err != nil {
		log.Close()
		os.RemoveAll(dir)
		return nil, err
	}
	go func() { e.cmd.Wait(); log.Close(); close(e.exited) }()
	onExit(e.stop)

	api := newAPIClient(e.sock)
	deadline := time.Now().Add(60 * time.Second)
	for api.get("/_ping") != nil {
		select {
		case <-e.exited:
			return nil, fmt.Errorf("dockerd exited: %s", tail(filepath.Join(dir, "dockerd.log")))
		default:
		}
		if time.Now().After(deadline) {
			return nil, fmt.Errorf("dockerd did not answer /_ping within 60s: %s", tail(filepath.Join(dir, "dockerd.log")))
		}
		time.Sleep(100 * time.Millisecond)
	}
	if out, err := dockerCLI(e.sock, "import", image, "busybox"); err != nil {
		return nil, fmt.Errorf("docker import: %v: %s", err, out)
	}
	return e, nil
}

// stop runs once, after the engine's row (or at exit if that never came).
func (e *realEngine) stop() { e.stopOnce.Do(e.stopNow) }

func (e *realEngine) stopNow() {
	e.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-e.exited:
	case <-time.After(30 * time.Second):
		fmt.Fprintf(os.Stderr, "benchtable: dockerd (pid %d) did not stop on SIGTERM within 30s: killing its process group\n", e.cmd.Process.Pid)
		syscall.Kill(-e.cmd.Process.Pid, syscall.SIGKILL)
		<-e.exited
	}
	removeCgroup(dockerdCgroup)
	if err := os.RemoveAll(e.dir); err != nil {
		fmt.Fprintf(os.Stderr, "benchtable: removing %s: %v\n", e.dir, err)
	}
}

// tail is the end of a log file, for an error message.
func tail(name string) string {
	data, _ := os.ReadFile(name)
	s := strings.TrimSpace(string(data))
	if len(s) > 600 {
		s = "…" + s[len(s)-600:]
	}
	return s
}
