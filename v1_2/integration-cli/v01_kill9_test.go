// The same kill -9 story for the v0.1 daemon (issue #10 item 6), through
// the same dockerlab binary, speaking rcli (a JSON line on TCP) to it by
// hand — the v0.1 client would run a command in-process whenever the
// daemon is down, which is exactly when this test kills it.
//
// After 10 kills at random moments of a run/kill/rm loop and a restart,
// no process of the loop's containers is left, nothing of theirs is
// mounted and no veth of theirs stays on lxcbr0; ten new containers get
// ten different addresses and ports. 0.1.0's restarted daemon left the
// old processes running and handed their addresses and ports out again.
package integrationcli

import (
	"encoding/json"
	"fmt"
	"io"
	"math/rand"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dockerlab/dockerlab/backend"
	"github.com/dockerlab/dockerlab/backend/fake"
)

func TestV01KillNineThenRestartFake(t *testing.T)  { v01KillNine(t, "fake") }
func TestV01KillNineThenRestartLinux(t *testing.T) { v01KillNine(t, "linux") }

// v01Daemon is a `dockerlab v0.1 daemon` that can be killed and started
// again on the same root.
type v01Daemon struct {
	*daemon // its directory, backend flags, sandbox and cleanup
	addr    string
}

func (d *v01Daemon) start(t *testing.T) {
	exited := d.spawn(append(append([]string{}, d.global...),
		"v0.1", "--root", filepath.Join(d.dir, "root"), "--addr", d.addr, "daemon"))
	for deadline := time.Now().Add(60 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		if out, err := d.call("version"); err == nil && strings.Contains(out, "0.1.0") {
			return
		}
		select {
		case err := <-exited:
			d.cmd = nil
			t.Fatalf("v0.1 daemon exited: %v\n%s", err, d.log.String())
		default:
		}
		require.False(t, time.Now().After(deadline), "the v0.1 daemon did not answer\n%s", d.log.String())
	}
}

// call runs one command over rcli: the JSON line, stdin, a half-close,
// then the answer up to the daemon's close.
func (d *v01Daemon) call(args ...string) (string, error) {
	return d.callStdin(nil, args...)
}

func (d *v01Daemon) callStdin(stdin io.Reader, args ...string) (string, error) {
	conn, err := net.DialTimeout("tcp", d.addr, 5*time.Second)
	if err != nil {
		return "", err
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(60 * time.Second))
	line, _ := json.Marshal(args)
	if _, err := conn.Write(append(line, '\n')); err != nil {
		return "", err
	}
	if stdin != nil {
		if _, err := io.Copy(conn, stdin); err != nil {
			return "", err
		}
	}
	conn.(*net.TCPConn).CloseWrite()
	out, err := io.ReadAll(conn)
	if err == nil && strings.Contains(string(out), "Error: ") {
		err = fmt.Errorf("%s", strings.TrimSpace(string(out)))
	}
	return string(out), err
}

// runKillRm is `docker run -d -p 80 busybox sleep 1000`, kill, rm.
func (d *v01Daemon) runKillRm() error {
	out, err := d.call("run", "-d", "-p", "80", "busybox", "sleep", "1000")
	if err != nil {
		return err
	}
	id := strings.TrimSpace(out)
	if _, err := d.call("kill", id); err != nil {
		return err
	}
	_, err = d.call("rm", id)
	return err
}

func v01KillNine(t *testing.T, backend string) {
	tarball := busyboxTar(t)
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := l.Addr().String()
	l.Close()
	d := &v01Daemon{daemon: newDaemon(t, backend), addr: addr}
	setup := exec.Command(dockerlabBinary(t), append(append([]string{}, d.global...), "v0.1", "setup-bridge")...)
	out, err := setup.CombinedOutput()
	require.NoError(t, err, "%s", out)
	d.start(t)
	f, err := os.Open(tarball)
	require.NoError(t, err)
	_, err = d.callStdin(f, "import", "-", "busybox")
	f.Close()
	require.NoError(t, err)

	rng := rand.New(rand.NewSource(time.Now().UnixNano()))
	for kill := 0; kill < 10; kill++ {
		done := make(chan int)
		go func() {
			n := 0
			for ; d.runKillRm() == nil; n++ {
			}
			done <- n
		}()
		// Sometimes with containers running: 0.1.0's case.
		if kill%2 == 0 {
			d.call("run", "-d", "-p", "80", "busybox", "sleep", "1000")
		}
		time.Sleep(time.Duration(100+rng.Intn(1500)) * time.Millisecond)
		d.kill9()
		t.Logf("kill %d after %d run/kill/rm rounds", kill+1, <-done)
		d.start(t)
	}
	assert.Equal(t, 0, sleepers(t, d.daemon), "processes of the earlier daemons' containers")
	assertV01NothingLeft(t, d, 0)

	ips, ports := map[string]bool{}, map[string]bool{}
	var ids []string
	for i := 0; i < 10; i++ {
		out, err := d.call("run", "-d", "-p", "80", "busybox", "sleep", "1000")
		require.NoError(t, err)
		id := strings.TrimSpace(out)
		ids = append(ids, id)
		out, err = d.call("inspect", id)
		require.NoError(t, err)
		var c struct {
			NetworkSettings struct {
				IpAddress   string
				PortMapping map[string]string
			}
		}
		require.NoError(t, json.Unmarshal([]byte(out), &c), out)
		ip, port := c.NetworkSettings.IpAddress, c.NetworkSettings.PortMapping["80"]
		assert.False(t, ips[ip], "address %s handed out twice", ip)
		assert.False(t, ports[port], "port %s handed out twice", port)
		ips[ip], ports[port] = true, true
	}
	assert.Equal(t, 10, sleepers(t, d.daemon), "only the ten new containers run")
	assertV01NothingLeft(t, d, 10)
	for _, id := range ids {
		_, err := d.call("kill", id)
		assert.NoError(t, err)
	}
	d.stop()
	assertV01NothingLeft(t, d, 0)
}

// sleepers counts the live processes of d's machine that run in a rootfs
// under d's directory (the registry of the linux backend holds every
// dockerlab process of the machine; the fake's table, its own).
func sleepers(t *testing.T, d *daemon) int {
	t.Helper()
	var h backend.Host
	var err error
	if d.backend == "fake" {
		h, err = fake.Open(d.fakeState())
	} else {
		h, err = linuxHost(d.sandbox)
	}
	require.NoError(t, err)
	defer h.Close()
	procs, err := h.Procs()
	require.NoError(t, err)
	n := 0
	for _, p := range procs {
		if p.State != "exited" && strings.HasPrefix(p.Rootfs, d.dir+"/") {
			n++
		}
	}
	return n
}

// assertV01NothingLeft: veths on lxcbr0 and mounts under d's directory
// only for the live containers.
func assertV01NothingLeft(t *testing.T, d *v01Daemon, live int) {
	t.Helper()
	out, err := exec.Command(dockerlabBinary(t), append(append([]string{}, d.global...), "net", "show")...).CombinedOutput()
	require.NoError(t, err, "%s", out)
	veths := 0
	for _, line := range strings.Split(string(out), "\n") {
		if strings.Contains(line, "master lxcbr0") {
			veths++
		}
	}
	assert.Equal(t, live, veths, "veths on lxcbr0:\n%s", out)
	if d.backend == "linux" {
		assert.Len(t, mountsUnder(t, d.daemon), live, "rootfs mounts")
	}
}
