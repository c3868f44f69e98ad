package server

import (
	"context"
	"io"
	"net"
	"net/http"
	"os"
	"os/user"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dockerlab/dockerlab/v1_2/engine"
)

func unixClient(sock string) *http.Client {
	return &http.Client{Transport: &http.Transport{
		DialContext: func(ctx context.Context, _, _ string) (net.Conn, error) {
			var d net.Dialer
			return d.DialContext(ctx, "unix", sock)
		},
	}}
}

func get(t *testing.T, c *http.Client, path string) (int, string) {
	t.Helper()
	resp, err := c.Get("http://docker" + path)
	require.NoError(t, err)
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp.StatusCode, string(body)
}

func TestServeApiUnix(t *testing.T) {
	eng := engine.New()
	eng.Logging = false
	require.NoError(t, eng.Register("serveapi", ServeApi))
	require.NoError(t, eng.Register("acceptconnections", AcceptConnections))
	require.NoError(t, eng.Register("version", func(job *engine.Job) engine.Status {
		env := &engine.Env{}
		env.Set("Version", "1.2.0")
		env.WriteTo(job.Stdout)
		return engine.StatusOK
	}))

	sock := filepath.Join(t.TempDir(), "run", "docker.sock")
	require.NoError(t, os.MkdirAll(filepath.Dir(sock), 0o755))
	require.NoError(t, os.WriteFile(sock, []byte("stale"), 0o600)) // an old socket goes

	job := eng.Job("serveapi", "unix://"+sock)
	job.SetenvBool("BufferRequests", true)
	job.Setenv("SocketGroup", "")
	done := make(chan error, 1)
	go func() { done <- job.Run() }()

	// The socket appears; a request waits until acceptconnections.
	require.Eventually(t, func() bool {
		fi, err := os.Stat(sock)
		return err == nil && fi.Mode()&os.ModeSocket != 0
	}, 5*time.Second, 10*time.Millisecond)
	fi, err := os.Stat(sock)
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o660), fi.Mode().Perm())

	c := unixClient(sock)
	// The request runs in a goroutine, which must not call t.FailNow: it
	// sends what it got, error included, so a failure is reported instead
	// of leaving the test waiting for an answer that never comes.
	answered := make(chan string, 1)
	go func() {
		resp, err := c.Get("http://docker/_ping")
		if err != nil {
			answered <- "error: " + err.Error()
			return
		}
		defer resp.Body.Close()
		body, err := io.ReadAll(resp.Body)
		if err != nil {
			answered <- "error: " + err.Error()
			return
		}
		answered <- string(body)
	}()
	select {
	case got := <-answered:
		t.Fatalf("answered before acceptconnections: %q", got)
	case <-time.After(100 * time.Millisecond):
	}
	require.NoError(t, eng.Job("acceptconnections").Run())
	select {
	case got := <-answered:
		assert.Equal(t, "OK", got)
	case <-time.After(60 * time.Second): // a bound, not a measurement
		t.Fatal("the request held back until acceptconnections was never answered")
	}

	code, body := get(t, c, "/v1.14/version")
	assert.Equal(t, http.StatusOK, code)
	assert.Contains(t, body, `"Version":"1.2.0"`)
	code, body = get(t, c, "/no/such/route")
	assert.Equal(t, http.StatusNotFound, code)
	assert.Equal(t, "404 page not found\n", body)
	code, _ = get(t, c, "/v1.99/version")
	assert.Equal(t, http.StatusNotFound, code)

	// A second server on the same socket is refused; the first keeps it.
	other := eng.Job("serveapi", "unix://"+sock)
	assert.ErrorContains(t, other.Run(), "another daemon is listening on it")
	_, body = get(t, c, "/_ping")
	assert.Equal(t, "OK", body)

	eng.Shutdown()
	require.NoError(t, <-done)
}

func TestServeApiBadAddress(t *testing.T) {
	eng := engine.New()
	eng.Logging = false
	require.NoError(t, eng.Register("serveapi", ServeApi))
	assert.ErrorContains(t, eng.Job("serveapi", "127.0.0.1:1").Run(), "PROTO://ADDR")
	assert.ErrorContains(t, eng.Job("serveapi", "fd://3").Run(), "No sockets found")
	assert.ErrorContains(t, eng.Job("serveapi", "udp://x").Run(), "Invalid protocol")
	assert.ErrorContains(t, eng.Job("serveapi").Run(), "usage")
}

func TestSocketGroup(t *testing.T) {
	eng := engine.New()
	eng.Logging = false
	require.NoError(t, eng.Register("serveapi", ServeApi))
	sock := filepath.Join(t.TempDir(), "g.sock")
	// A group the user named must exist.
	job := eng.Job("serveapi", "unix://"+sock)
	job.Setenv("SocketGroup", "no-such-group-dockerlab")
	assert.ErrorContains(t, job.Run(), "Could not find group no-such-group-dockerlab")
	// The default group "docker" may be missing: a warning, and the socket serves.
	if _, err := user.LookupGroup("docker"); err == nil {
		t.Skip("this machine has a docker group: the missing-default case cannot be shown")
	}
	job = eng.Job("serveapi", "unix://"+sock)
	job.Setenv("SocketGroup", "docker")
	done := make(chan error, 1)
	go func() { done <- job.Run() }()
	require.Eventually(t, func() bool {
		_, err := os.Stat(sock)
		return err == nil
	}, 5*time.Second, 10*time.Millisecond)
	code, body := get(t, unixClient(sock), "/_ping")
	assert.Equal(t, 200, code)
	assert.Equal(t, "OK", body)
	eng.Shutdown()
	require.NoError(t, <-done)
}
