package fake

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dockerlab/dockerlab/backend"
)

// netRootfs is a busybox-like rootfs with the network applets, a web
// root and an /etc/hosts naming the web container (as --link writes it).
func netRootfs(t *testing.T) string {
	dir := testRootfs(t)
	for _, a := range []string{"httpd", "wget", "nc"} {
		require.NoError(t, os.Symlink("/bin/busybox", filepath.Join(dir, "bin", a)))
	}
	require.NoError(t, os.MkdirAll(filepath.Join(dir, "www", "sub"), 0o755))
	require.NoError(t, os.MkdirAll(filepath.Join(dir, "etc"), 0o755))
	require.NoError(t, os.MkdirAll(filepath.Join(dir, "tmp"), 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "www", "index.html"), []byte("<h1>hello from busybox httpd</h1>\n"), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "www", "sub", "a.txt"), []byte("a file\n"), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "etc", "hosts"), []byte("127.0.0.1\tlocalhost\n172.17.0.2\tweb\n"), 0o644))
	return dir
}

// run starts args in namespace ns and waits for it.
func runIn(t *testing.T, k *Kernel, rootfs string, ns string, stdin string, args ...string) (string, string, int) {
	t.Helper()
	var out, errOut bytes.Buffer
	p := start(t, k, backend.ProcSpec{Args: args, Rootfs: rootfs, NetNS: backend.NSName(ns),
		Stdin: strings.NewReader(stdin), Stdout: &out, Stderr: &errOut})
	st, err := p.Wait()
	require.NoError(t, err)
	return out.String(), errOut.String(), st.Code
}

// waitListening waits until something accepts on addr from the root.
func waitListening(t *testing.T, k *Kernel, from backend.NSRef, addr string) {
	t.Helper()
	require.Eventually(t, func() bool {
		c, err := k.Dial(from, "tcp", addr)
		if err == nil {
			c.Close()
		}
		return err == nil
	}, 10*time.Second, 5*time.Millisecond)
}

func TestHttpdAndWget(t *testing.T) {
	k := New()
	dockerNet(t, k, true, "web", "client")
	rootfs := netRootfs(t)
	var logs bytes.Buffer
	srv := start(t, k, backend.ProcSpec{Args: []string{"httpd", "-f", "-v", "-p", "80", "-h", "/www"}, Rootfs: rootfs,
		NetNS: backend.NSName("web"), Stderr: &logs})
	waitListening(t, k, backend.NSRef{}, "172.17.0.2:80")

	out, errOut, code := runIn(t, k, rootfs, "client", "", "wget", "-q", "-O", "-", "http://172.17.0.2/")
	assert.Equal(t, 0, code, errOut)
	assert.Equal(t, "<h1>hello from busybox httpd</h1>\n", out)
	// A name from /etc/hosts, a file in a subdirectory.
	out, _, code = runIn(t, k, rootfs, "client", "", "wget", "-qO-", "web/sub/a.txt")
	assert.Equal(t, 0, code)
	assert.Equal(t, "a file\n", out)
	// 404, and a port nobody listens on.
	_, errOut, code = runIn(t, k, rootfs, "client", "", "wget", "-q", "-O", "-", "http://web/nope")
	assert.Equal(t, 1, code)
	assert.Equal(t, "wget: server returned error: HTTP/1.1 404 Not Found\n", errOut)
	_, errOut, code = runIn(t, k, rootfs, "client", "", "wget", "-q", "-O", "-", "http://172.17.0.2:81/")
	assert.Equal(t, 1, code)
	assert.Equal(t, "wget: can't connect to remote host (172.17.0.2): Connection refused\n", errOut)
	_, errOut, code = runIn(t, k, rootfs, "client", "", "wget", "http://nosuchhost/")
	assert.Equal(t, 1, code)
	assert.Equal(t, "wget: bad address 'nosuchhost'\n", errOut)
	// Without -q, to a file: busybox's lines.
	_, errOut, code = runIn(t, k, rootfs, "client", "", "wget", "-O", "/tmp/got.html", "http://172.17.0.2/")
	assert.Equal(t, 0, code, errOut)
	assert.Contains(t, errOut, "Connecting to 172.17.0.2 (172.17.0.2:80)\nsaving to '/tmp/got.html'\n")
	assert.Contains(t, errOut, "'/tmp/got.html' saved\n")
	got, err := os.ReadFile(filepath.Join(rootfs, "tmp", "got.html"))
	require.NoError(t, err)
	assert.Equal(t, "<h1>hello from busybox httpd</h1>\n", string(got))

	// docker run -p 8080:80: from the host through the DNAT rule.
	ipt := k.Root().IPTables()
	require.NoError(t, ipt.Append("nat", "DOCKER", "-p", "tcp", "-d", "0/0", "--dport", "8080", "!", "-i", "docker0",
		"-j", "DNAT", "--to-destination", "172.17.0.2:80"))
	c, err := k.Dial(backend.NSRef{}, "tcp", "10.0.2.15:8080")
	require.NoError(t, err)
	io.WriteString(c, "GET /sub/ HTTP/1.0\r\n\r\n")
	resp, err := io.ReadAll(c)
	require.NoError(t, err)
	c.Close()
	assert.True(t, strings.HasPrefix(string(resp), "HTTP/1.1 302 Found\r\n") || strings.HasPrefix(string(resp), "HTTP/1.1 404"), string(resp))

	// The server dies with its process; then nothing answers.
	require.NoError(t, srv.Signal(syscall.SIGKILL))
	_, _ = srv.Wait()
	_, err = k.Dial(backend.NSRef{}, "tcp", "172.17.0.2:80")
	assert.ErrorIs(t, err, syscall.ECONNREFUSED)
	assert.Contains(t, logs.String(), "url:/nope")
}

func TestHttpdDaemonisesAndNc(t *testing.T) {
	k := New()
	dockerNet(t, k, true, "web", "client")
	rootfs := netRootfs(t)
	// Without -f, as a container's first process: it returns at once.
	p := start(t, k, backend.ProcSpec{Args: []string{"httpd", "-p", "80", "-h", "/www"}, Rootfs: rootfs,
		NetNS: backend.NSName("web"), Namespaces: backend.Namespaces{PID: true}})
	st, err := p.Wait()
	require.NoError(t, err)
	assert.Equal(t, 0, st.Code)
	_, errOut, code := runIn(t, k, rootfs, "web", "", "httpd", "-h", "/nope")
	assert.Equal(t, 1, code)
	assert.Contains(t, errOut, "httpd: can't change directory to '/nope'")

	// nc -l in one container, nc to it from another; each way in turn
	// (nc stops at the network's end of file, so the side that talks
	// is the one whose stdin ends).
	ncPair := func(srvIn, cliIn io.Reader) (srvOut, cliOut string) {
		var so, co bytes.Buffer
		srv := start(t, k, backend.ProcSpec{Args: []string{"nc", "-l", "-p", "9000"}, Rootfs: rootfs,
			NetNS: backend.NSName("web"), Stdin: srvIn, Stdout: &so})
		waitListeningNoConsume(t, k, "web", ":9000")
		cli := start(t, k, backend.ProcSpec{Args: []string{"nc", "web", "9000"}, Rootfs: rootfs,
			NetNS: backend.NSName("client"), Stdin: cliIn, Stdout: &co})
		for _, p := range []backend.Process{cli, srv} {
			st, err := p.Wait()
			require.NoError(t, err)
			assert.Equal(t, 0, st.Code)
		}
		return so.String(), co.String()
	}
	silent := func() io.Reader {
		r, w := io.Pipe()
		t.Cleanup(func() { w.Close() })
		return r
	}
	so, co := ncPair(silent(), strings.NewReader("ping\n"))
	assert.Equal(t, "ping\n", so)
	assert.Equal(t, "", co)
	so, co = ncPair(strings.NewReader("pong\n"), silent())
	assert.Equal(t, "", so)
	assert.Equal(t, "pong\n", co)
	_, errOut, code = runIn(t, k, rootfs, "client", "", "nc", "172.17.0.2", "9000")
	assert.Equal(t, 1, code)
	assert.Equal(t, "nc: can't connect to remote host (172.17.0.2): Connection refused\n", errOut)
}

// waitListeningNoConsume waits for a listener without connecting to it
// (nc -l takes a single connection).
func waitListeningNoConsume(t *testing.T, k *Kernel, ns, addr string) {
	t.Helper()
	require.Eventually(t, func() bool {
		st := k.sockets()
		st.mu.Lock()
		defer st.mu.Unlock()
		return len(st.listeners[ns]) > 0
	}, 10*time.Second, 5*time.Millisecond)
}
