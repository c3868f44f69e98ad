// `dockerlab v1.2 daemon` as its own process, on the linux backend in a
// sandbox of its own, for the rows that need what a user would run: the
// stock docker CLI against it, the Remote API over its unix socket, and
// its resident memory (issues #5 item 8 and #6 item 6).
//
// Everything it makes stays in places the benchmark named: the sandbox
// network namespace dl-bench-XXXX (docker0, veths, iptables rules inside
// it), -g, -p and -H under a temporary directory. Afterwards the daemon is
// stopped by its pid (SIGINT: its shutdown hooks run, book ch.4 §4.13),
// `dockerlab sandbox reset` kills what it started there and deletes the
// namespace, and anything still mounted under the directory is detached
// before the directory goes.
package main

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"time"
)

// procDaemon is the running daemon and the containers the rows made in it.
type procDaemon struct {
	backend string // "linux" as root; "fake" otherwise (API rows only)
	bin     string // the dockerlab binary
	dir     string // temporary: root, pid file, socket, log
	sock    string
	sandbox string
	cmd     *exec.Cmd
	exited  chan struct{}
	api     *apiClient

	idleRSS uint64   // after start and import, before any container
	created []string // containers made and never started
	running []string // containers started with a published port
}

var (
	procOnce sync.Once
	procD    *procDaemon
	procErr  error
)

// sharedProcDaemon starts the daemon on first use and imports busybox;
// it is stopped after the last row (onExit).
func sharedProcDaemon(cfg config) (*procDaemon, error) {
	procOnce.Do(func() { procD, procErr = startProcDaemon(cfg) })
	return procD, procErr
}

// procSkip is the skip reason of a row that needs the daemon process on
// the real kernel.
func procSkip(cfg config) string {
	if why := needRootLinux(); why != "" {
		return why
	}
	return procSkipAnyBackend(cfg)
}

// procSkipAnyBackend is the skip reason of a row that may also measure the
// daemon on the fake backend when the real one cannot be used (not root):
// the Remote API rows, whose cost is the HTTP server's and the jobs', not
// the kernel's.
func procSkipAnyBackend(cfg config) string {
	if _, err := os.Stat(cfg.Dockerlab); err != nil {
		return fmt.Sprintf("no dockerlab binary at %s: make build", cfg.Dockerlab)
	}
	if _, err := os.Stat(cfg.Image); err != nil {
		return fmt.Sprintf("no busybox image at %s: make images", cfg.Image)
	}
	if _, err := sharedProcDaemon(cfg); err != nil {
		return "dockerlab v1.2 daemon: " + err.Error()
	}
	return ""
}

func startProcDaemon(cfg config) (*procDaemon, error) {
	bin, err := filepath.Abs(cfg.Dockerlab)
	if err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp(benchTmp, "dockerlab-bench-daemon-")
	if err != nil {
		return nil, err
	}
	b := make([]byte, 2)
	rand.Read(b)
	d := &procDaemon{
		backend: "linux",
		bin:     bin,
		dir:     dir,
		sock:    filepath.Join(dir, "docker.sock"),
		sandbox: "dl-bench-" + hex.EncodeToString(b),
		exited:  make(chan struct{}),
	}
	d.api = newAPIClient(d.sock)
	log, err := os.Create(filepath.Join(dir, "daemon.log"))
	if err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	where := []string{"--backend", "linux", "--sandbox-name", d.sandbox}
	if needRootLinux() != "" {
		// A fake machine of its own, in the directory.
		d.backend = "fake"
		where = []string{"--backend", "fake", "--fake-state", filepath.Join(dir, "fake.json")}
		if out, err := exec.Command(bin, append(where, "fake", "reset")...).CombinedOutput(); err != nil {
			os.RemoveAll(dir)
			return nil, fmt.Errorf("fake reset: %v: %s", err, out)
		}
	}
	d.cmd = exec.Command(bin, append(where,
		"v1.2", "daemon", "-g", filepath.Join(dir, "root"), "-p", filepath.Join(dir, "docker.pid"),
		"-H", "unix://"+d.sock, "-G", "")...)
	d.cmd.Stdout, d.cmd.Stderr = log, log
	if err := d.cmd.Start(); err != nil {
		log.Close()
		os.RemoveAll(dir)
		return nil, err
	}
	go func() { d.cmd.Wait(); log.Close(); close(d.exited) }()
	onExit(d.stop)

	if err := d.waitReady(60 * time.Second); err != nil {
		return nil, fmt.Errorf("%w; its log: %s", err, d.logTail())
	}
	if err := d.importBusybox(cfg.Image); err != nil {
		return nil, err
	}
	d.idleRSS, _ = rssOf(d.cmd.Process.Pid)
	return d, nil
}

// waitReady polls /_ping until the daemon answers (acceptconnections).
func (d *procDaemon) waitReady(limit time.Duration) error {
	deadline := time.Now().Add(limit)
	for {
		select {
		case <-d.exited:
			return fmt.Errorf("the daemon exited before answering /_ping")
		default:
		}
		if err := d.api.get("/_ping"); err == nil {
			return nil
		} else if time.Now().After(deadline) {
			return fmt.Errorf("no answer to /_ping within %v: %w", limit, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// importBusybox is POST /images/create?fromSrc=- with the tar as the body,
// what `docker import busybox.tar busybox` sends.
func (d *procDaemon) importBusybox(image string) error {
	f, err := os.Open(image)
	if err != nil {
		return err
	}
	defer f.Close()
	_, err = d.api.expect(200, "POST", "/v1.14/images/create?fromSrc=-&repo=busybox&tag=latest", f, "application/x-tar")
	if err != nil {
		return fmt.Errorf("import: %w", err)
	}
	return nil
}

// routeSkip is a skip reason when the daemon does not serve path yet: a
// 404 (no route) or an answer saying the job behind it is missing.
func (d *procDaemon) routeSkip(path string) string {
	code, body, err := d.api.do("GET", path, nil, "")
	switch {
	case err != nil:
		return ""
	case code == 404 && !strings.Contains(string(body), "No such"):
		return fmt.Sprintf("the daemon does not serve GET %s yet (404)", path)
	case strings.Contains(string(body), "command not found"):
		return fmt.Sprintf("GET %s: %s (the job is not there yet)", path, strings.TrimSpace(string(body)))
	}
	return ""
}

// ensureCreated creates containers (never started) until there are n.
func (d *procDaemon) ensureCreated(n int) error {
	if len(d.created) >= n {
		return nil
	}
	ids, err := makeN(n-len(d.created), func() (string, error) {
		return d.api.createContainer(map[string]any{"Image": "busybox", "Cmd": []string{"/bin/true"}})
	})
	d.created = append(d.created, ids...)
	return err
}

// ensureRunning starts containers running `sleep`, each publishing port 80
// on a port the daemon picks (-p 80, so each has a userland proxy),
// until n run.
func (d *procDaemon) ensureRunning(n int) error {
	hostConfig := map[string]any{
		"PortBindings": map[string]any{"80/tcp": []map[string]string{{"HostIp": "", "HostPort": ""}}},
	}
	if len(d.running) >= n {
		return nil
	}
	ids, err := makeN(n-len(d.running), func() (string, error) {
		id, err := d.api.createContainer(map[string]any{
			"Image":        "busybox",
			"Cmd":          []string{"sleep", "3600"},
			"ExposedPorts": map[string]any{"80/tcp": map[string]any{}},
			"HostConfig":   hostConfig, // modern clients send it here
		})
		if err != nil {
			return "", err
		}
		return id, d.api.startContainer(id, hostConfig)
	})
	d.running = append(d.running, ids...)
	if err != nil {
		return fmt.Errorf("running containers: %w", err)
	}
	return nil
}

// stop ends the daemon by its pid, then throws its sandbox and directory
// away.
func (d *procDaemon) stop() {
	d.cmd.Process.Signal(syscall.SIGINT)
	select {
	case <-d.exited:
	case <-time.After(30 * time.Second):
		fmt.Fprintf(os.Stderr, "benchtable: the daemon (pid %d) did not stop on SIGINT within 30s: killing it\n", d.cmd.Process.Pid)
		d.cmd.Process.Kill()
		<-d.exited
	}
	if d.backend == "linux" {
		reset := exec.Command(d.bin, "--backend", "linux", "--sandbox-name", d.sandbox, "sandbox", "reset")
		if out, err := reset.CombinedOutput(); err != nil {
			fmt.Fprintf(os.Stderr, "benchtable: sandbox reset %s: %v: %s\n", d.sandbox, err, out)
		}
	}
	unmountUnder(d.dir)
	if err := os.RemoveAll(d.dir); err != nil {
		fmt.Fprintf(os.Stderr, "benchtable: removing %s: %v\n", d.dir, err)
	}
}

// logTail is the end of the daemon's log, for an error message.
func (d *procDaemon) logTail() string {
	data, _ := os.ReadFile(filepath.Join(d.dir, "daemon.log"))
	s := strings.TrimSpace(string(data))
	if len(s) > 600 {
		s = "…" + s[len(s)-600:]
	}
	return s
}
