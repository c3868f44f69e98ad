// The userland proxy behind each published port, as its own process: the
// daemon re-executes its own binary as "docker-proxy", one process per
// published port, and kills it on Unmap.
//
// Upstream: daemon/networkdriver/portmapper/proxy.go at v1.2.0 (the parent's
// half; the child's half is proxy_main.go). See docs/upstream/v1.2.0.md §3.5
// (argv, Pdeathsig, Stop) and §5.4 (reexec/, top level at 1.2.0).
// Book: ch.7 §7.4 (`docker run -p`).
// Notes: 000 "外界访问Docker Container内部服务的流程".
//
// Two additions, both for the backend seam and both said in
// docs/divergences.md "The userland proxy …":
//   - -netns PATH: on the linux backend docker0 and the containers live in
//     the sandbox network namespace, not the daemon's, so the child is told
//     which namespace its sockets belong to (NewProxyCommandIn).
//   - a readiness pipe: upstream 1.2.0's Start returned as soon as the
//     process was forked, so a port that could not be bound was noticed by
//     nobody. Here the child reports on fd 3, "0\n" when it listens or
//     "1\n<error>" when it cannot, and Start waits for that line (Docker
//     itself added such a pipe in a later release).
package portmapper

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/dockerlab/dockerlab/internal/reexec"
)

// userlandProxyCommandName is the argv[0] the daemon re-executes itself as.
const userlandProxyCommandName = "docker-proxy"

// UserlandProxy is what Map starts and Unmap stops.
type UserlandProxy interface {
	Start() error
	Stop() error
}

// NewProxy makes the proxy for one mapping. Unit tests swap it for
// NewMockProxyCommand; the daemon sets it per backend (v1_2/daemon
// userland_proxy.go): NewProxyCommandIn(sandbox) on linux, a proxy that
// opens no sockets on the fake.
var NewProxy = NewProxyCommand

// NewProxyCommand is upstream's: a docker-proxy in the daemon's own
// network namespace.
func NewProxyCommand(proto string, hostIP net.IP, hostPort int, containerIP net.IP, containerPort int) UserlandProxy {
	return newProxyCommand("", proto, hostIP, hostPort, containerIP, containerPort)
}

// NewProxyCommandIn returns a NewProxy whose docker-proxy processes open
// their sockets in the network namespace whose file is netnsPath ("" is
// the daemon's own, as NewProxyCommand).
func NewProxyCommandIn(netnsPath string) func(string, net.IP, int, net.IP, int) UserlandProxy {
	return func(proto string, hostIP net.IP, hostPort int, containerIP net.IP, containerPort int) UserlandProxy {
		return newProxyCommand(netnsPath, proto, hostIP, hostPort, containerIP, containerPort)
	}
}

// proxyCommand is one docker-proxy process.
type proxyCommand struct {
	args []string // argv, args[0] = "docker-proxy"

	mu     sync.Mutex
	cmd    *exec.Cmd
	exited chan struct{} // closed when Wait returns
}

func newProxyCommand(netnsPath, proto string, hostIP net.IP, hostPort int, containerIP net.IP, containerPort int) *proxyCommand {
	args := []string{
		userlandProxyCommandName,
		"-proto", proto,
		"-host-ip", hostIP.String(),
		"-host-port", strconv.Itoa(hostPort),
		"-container-ip", containerIP.String(),
		"-container-port", strconv.Itoa(containerPort),
	}
	if netnsPath != "" {
		args = append(args, "-netns", netnsPath)
	}
	return &proxyCommand{args: args}
}

// readyTimeout bounds how long Start waits for the child's report; a
// healthy child answers in milliseconds.
const readyTimeout = 15 * time.Second

// Start forks the docker-proxy and waits until it listens or says why it
// cannot.
func (p *proxyCommand) Start() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.cmd != nil {
		return errors.New("docker-proxy already started")
	}
	if !reexec.Initialized() {
		// The child would run this program's main (or its whole test
		// suite) instead of docker-proxy.
		return errors.New("docker-proxy: this program never called reexec.Init() at the top of main (or TestMain), so it cannot re-execute itself as docker-proxy")
	}
	r, w, err := os.Pipe()
	if err != nil {
		return fmt.Errorf("docker-proxy: readiness pipe: %w", err)
	}
	defer r.Close()

	var stderr strings.Builder
	cmd := reexec.Command(p.args...)
	cmd.ExtraFiles = []*os.File{w} // the child's fd 3
	cmd.Stderr = &limitedWriter{w: &stderr, n: 4096}
	cmd.SysProcAttr = proxySysProcAttr()
	err = onForkThread(cmd.Start) // see forkthread.go: Pdeathsig follows the forking thread
	w.Close()                     // only the child holds the write end now: EOF means it is gone
	if err != nil {
		return fmt.Errorf("docker-proxy: start: %w", err)
	}
	exited := make(chan struct{})
	go func() { cmd.Wait(); close(exited) }()

	if err := readReady(r); err != nil {
		cmd.Process.Kill()
		<-exited
		if msg := strings.TrimSpace(stderr.String()); msg != "" && !strings.Contains(err.Error(), msg) {
			err = fmt.Errorf("%w (stderr: %s)", err, msg)
		}
		return err
	}
	p.cmd, p.exited = cmd, exited
	return nil
}

// readReady reads the child's one-line report from the pipe.
func readReady(r *os.File) error {
	r.SetReadDeadline(time.Now().Add(readyTimeout))
	br := bufio.NewReader(r)
	status, err := br.ReadString('\n')
	switch {
	case status == "0\n":
		return nil
	case status == "1\n":
		msg, _ := io.ReadAll(br)
		return fmt.Errorf("docker-proxy: %s", strings.TrimSpace(string(msg)))
	case errors.Is(err, os.ErrDeadlineExceeded):
		return fmt.Errorf("docker-proxy: no readiness report within %v", readyTimeout)
	}
	return fmt.Errorf("docker-proxy: exited without a readiness report (read %q)", status)
}

// Stop interrupts the proxy and waits for it, as upstream did (SIGINT,
// then Wait). A proxy already dead is not an error.
func (p *proxyCommand) Stop() error {
	p.mu.Lock()
	cmd, exited := p.cmd, p.exited
	p.cmd = nil
	p.mu.Unlock()
	if cmd == nil {
		return nil
	}
	if err := cmd.Process.Signal(os.Interrupt); err != nil && !errors.Is(err, os.ErrProcessDone) {
		return fmt.Errorf("docker-proxy: signal pid %d: %w", cmd.Process.Pid, err)
	}
	<-exited
	return nil
}

// Pid is the child's process id while it runs, else 0 (for tests).
func (p *proxyCommand) Pid() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.cmd == nil {
		return 0
	}
	return p.cmd.Process.Pid
}

// limitedWriter keeps the first n bytes of the child's stderr for error
// messages and drops the rest.
type limitedWriter struct {
	w io.Writer
	n int
}

func (l *limitedWriter) Write(b []byte) (int, error) {
	keep := b
	if len(keep) > l.n {
		keep = keep[:l.n]
	}
	l.n -= len(keep)
	if len(keep) > 0 {
		l.w.Write(keep)
	}
	return len(b), nil
}
