package cli

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dockerlab/dockerlab/v1_2/daemon"
	"github.com/dockerlab/dockerlab/v1_2/docker"
)

type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// The daemon command, in-process: starts on the fake, answers on its
// socket, stops when its context ends (what SIGTERM does in the binary).
func TestV12DaemonInProcess(t *testing.T) {
	t.Setenv("TMPDIR", os.TempDir())
	dir := t.TempDir()
	conf := filepath.Join(dir, "resolv.conf")
	require.NoError(t, os.WriteFile(conf, []byte("nameserver 10.0.2.3\n"), 0o644))
	old := daemon.ResolvConfPath
	daemon.ResolvConfPath = conf
	defer func() { daemon.ResolvConfPath = old }()

	sock := "unix://" + filepath.Join(dir, "docker.sock")
	root := NewRootCmd()
	root.SetArgs([]string{"--backend", "fake", "--fake-state", filepath.Join(dir, "fake.json"),
		"v1.2", "daemon", "-g", filepath.Join(dir, "root"), "-p", filepath.Join(dir, "docker.pid"),
		"-H", sock, "-G", "", "--trace"})
	var out, errOut lockedBuffer
	root.SetOut(&out)
	root.SetErr(&errOut)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- root.ExecuteContext(ctx) }()

	body, err := docker.Get(sock, "/_ping", 20*time.Second)
	require.NoError(t, err, "stdout:\n%s\nstderr:\n%s", &out, &errOut)
	assert.Equal(t, "OK", body)
	body, err = docker.Get(sock, "/version", 0)
	require.NoError(t, err)
	assert.Contains(t, body, `"Version":"1.2.0"`)

	// The request command prints the same.
	out2, errOut2, code := dl(t, "v1.2", "request", "-H", sock, "/_ping")
	require.Equal(t, 0, code, errOut2)
	assert.Equal(t, "OK\n", out2)

	cancel()
	require.NoError(t, <-done)
	assert.Contains(t, out.String(), "[trace] 4.7   job init_networkdriver")
	assert.NoFileExists(t, filepath.Join(dir, "docker.pid"))

	// The machine keeps docker0 after the daemon stops, as upstream.
	show := onFake(t, filepath.Join(dir, "fake.json"), "net", "show", "--raw")
	assert.Contains(t, show, "docker0")
}

func TestV12DaemonBadFlags(t *testing.T) {
	state := filepath.Join(t.TempDir(), "fake.json")
	_, errOut, code := dl(t, "--backend", "fake", "--fake-state", state, "v1.2", "daemon", "--ip", "nope")
	assert.Equal(t, 1, code)
	assert.Contains(t, errOut, `invalid --ip "nope"`)

	_, errOut, code = dl(t, "--backend", "fake", "--fake-state", state, "v1.2", "daemon", "extra")
	assert.Equal(t, 1, code)
	assert.Contains(t, errOut, "no arguments")
}

func TestChapterUnknown(t *testing.T) {
	_, errOut, code := dl(t, "chapter", "99")
	assert.Equal(t, 1, code)
	assert.Contains(t, errOut, `no demo for chapter "99" yet`)
}
