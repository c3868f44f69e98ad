// kill -9 at random moments of a run/rm loop (issue #10 item 5): after
// each kill the daemon is started again, and after the tenth restart — and
// again after a clean stop — no FORWARD rule, veth or mount is left for a
// container that is not running, and new containers get addresses and
// ports nobody else holds. Docker 1.2 left the FORWARD rules of starts and
// removals cut short, and the overlay mounts of starts cut short.
package integrationcli

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand"
	"net"
	"net/http"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dockerlab/dockerlab/backend/fake"
)

func TestKillNineThenRestartFake(t *testing.T)  { killNineScenario(t, "fake") }
func TestKillNineThenRestartLinux(t *testing.T) { killNineScenario(t, "linux") }

// tryAPI is api for a daemon that may die under the request: it returns
// the error instead of failing the test.
func tryAPI(d *daemon, method, path, body string, out any) error {
	c := &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{DialContext: func(context.Context, string, string) (net.Conn, error) {
		return net.Dial("unix", d.sock)
	}}}
	req, err := http.NewRequest(method, "http://docker"+path, strings.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := c.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	if resp.StatusCode >= 300 {
		return fmt.Errorf("%s %s: %d %s", method, path, resp.StatusCode, data)
	}
	if out != nil {
		return json.Unmarshal(data, out)
	}
	return nil
}

const (
	publishCreate = `{"Image":"busybox","Cmd":["sleep","1000"],"ExposedPorts":{"80/tcp":{}}}`
	publishStart  = `{"PortBindings":{"80/tcp":[{"HostIp":"","HostPort":""}]}}`
)

// runRm is `docker run -d -p 80 busybox sleep 1000` then `docker rm -f`.
func runRm(d *daemon, name string) error {
	if err := tryAPI(d, "POST", "/v1.14/containers/create?name="+name, publishCreate, nil); err != nil {
		return err
	}
	if err := tryAPI(d, "POST", "/v1.14/containers/"+name+"/start", publishStart, nil); err != nil {
		return err
	}
	return tryAPI(d, "DELETE", "/v1.14/containers/"+name+"?force=1", "", nil)
}

func killNineScenario(t *testing.T, backend string) {
	tarball := busyboxTar(t)
	d := newDaemon(t, backend)
	d.start()
	f, err := os.Open(tarball)
	require.NoError(t, err)
	api(t, d, "POST", "/v1.14/images/create?fromSrc=-&repo=busybox", f, nil)
	f.Close()

	rng := rand.New(rand.NewSource(time.Now().UnixNano()))
	for kill := 0; kill < 10; kill++ {
		done := make(chan int)
		go func() {
			n := 0
			for ; runRm(d, fmt.Sprintf("c%d_%d", kill, n)) == nil; n++ {
			}
			done <- n
		}()
		time.Sleep(time.Duration(100+rng.Intn(1500)) * time.Millisecond)
		d.kill9()
		t.Logf("kill %d after %d run/rm rounds", kill+1, <-done)
		d.start()
	}

	// What the loop's victims left must be gone after the restart.
	assertNothingLeft(t, d, nil)

	// Ten new containers: ten addresses and ten host ports, each once.
	ips, ports := map[string]bool{}, map[string]bool{}
	var running []string
	for i := 0; i < 10; i++ {
		name := fmt.Sprintf("new%d", i)
		require.NoError(t, tryAPI(d, "POST", "/v1.14/containers/create?name="+name, publishCreate, nil))
		require.NoError(t, tryAPI(d, "POST", "/v1.14/containers/"+name+"/start", publishStart, nil))
		var c struct {
			NetworkSettings struct {
				IPAddress string
				Ports     map[string][]struct{ HostPort string }
			}
		}
		require.NoError(t, tryAPI(d, "GET", "/v1.14/containers/"+name+"/json", "", &c))
		ip, port := c.NetworkSettings.IPAddress, c.NetworkSettings.Ports["80/tcp"][0].HostPort
		assert.False(t, ips[ip], "address %s handed out twice", ip)
		assert.False(t, ports[port], "host port %s handed out twice", port)
		ips[ip], ports[port] = true, true
		running = append(running, ip)
	}
	assertNothingLeft(t, d, running)

	// A clean stop takes the rest down too.
	d.stop()
	assertNothingLeft(t, d, nil)
}

var slash32 = regexp.MustCompile(`\b(\d+\.\d+\.\d+\.\d+)/32\b`)

// assertNothingLeft checks the machine behind d: FORWARD rules naming an
// address (-s/-d a.b.c.d/32), veths on the bridge, and mounts under the
// daemon's directory belong only to the containers at addresses live.
func assertNothingLeft(t *testing.T, d *daemon, live []string) {
	t.Helper()
	show := exec.Command(dockerlabBinary(t), append(append([]string{}, d.global...), "net", "show")...)
	out, err := show.CombinedOutput()
	require.NoError(t, err, "%s", out)
	owned := map[string]bool{}
	for _, ip := range live {
		owned[ip] = true
	}
	var strayRules, veths []string
	sc := bufio.NewScanner(strings.NewReader(string(out)))
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "-A FORWARD") {
			for _, m := range slash32.FindAllStringSubmatch(line, -1) {
				if !owned[m[1]] {
					strayRules = append(strayRules, line)
					break
				}
			}
		}
		if strings.Contains(line, "veth") && strings.Contains(line, "master docker0") {
			veths = append(veths, line)
		}
	}
	assert.Empty(t, strayRules, "FORWARD rules of containers that are not running")
	assert.Len(t, veths, len(live), "veths on docker0 (one per running container):\n%s", strings.Join(veths, "\n"))
	mounts := mountsUnder(t, d)
	// A running container has its rootfs mounted (overlay, linux), and
	// nothing else may be.
	if d.backend == "linux" {
		assert.LessOrEqual(t, len(mounts), len(live), "mounts under %s:\n%s", d.dir, strings.Join(mounts, "\n"))
	} else {
		assert.Empty(t, mounts, "the fake mounts nothing for a vfs daemon")
	}
}

// mountsUnder lists the mount points below the daemon's directory.
func mountsUnder(t *testing.T, d *daemon) []string {
	t.Helper()
	var out []string
	if d.backend == "fake" {
		k, err := fake.Open(d.fakeState())
		require.NoError(t, err)
		ms, err := k.Mounts()
		require.NoError(t, err)
		for _, m := range ms {
			if strings.HasPrefix(m.Target, d.dir) {
				out = append(out, m.Target)
			}
		}
		return out
	}
	data, err := os.ReadFile("/proc/self/mountinfo")
	require.NoError(t, err)
	for _, line := range strings.Split(string(data), "\n") {
		if f := strings.Fields(line); len(f) > 4 && strings.HasPrefix(f[4], d.dir) {
			out = append(out, f[4])
		}
	}
	return out
}
