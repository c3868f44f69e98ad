// Tests for v01.go: the `dockerlab v0.1` client with its in-process
// fallback and against a daemon (reference docs/upstream/v0.1.0.md §4).
package cli

import (
	"archive/tar"
	"bytes"
	"context"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dockerlab/dockerlab/backend/fake"
	docker "github.com/dockerlab/dockerlab/v0_1"
	"github.com/dockerlab/dockerlab/v0_1/rcli"
)

// freeLoopbackAddr returns an address nothing listens on (just closed).
func freeLoopbackAddr(t *testing.T) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := l.Addr().String()
	require.NoError(t, l.Close())
	return addr
}

// runV01 runs one dockerlab command line with stdin and returns stdout.
func runV01(t *testing.T, ctx context.Context, stdin []byte, args ...string) (string, string, error) {
	root := NewRootCmd()
	root.SetArgs(args)
	var out, errOut lockedBuffer
	root.SetOut(&out)
	root.SetErr(&errOut)
	root.SetIn(bytes.NewReader(stdin))
	err := root.ExecuteContext(ctx)
	return out.String(), errOut.String(), err
}

// The v0.1 client round trip: setup-bridge, the in-process fallback when
// no daemon listens, then the same commands through a daemon.
func TestV01ClientAndDaemon(t *testing.T) {
	dir := t.TempDir()
	state := filepath.Join(dir, "fake.json")
	base := []string{"--backend", "fake", "--fake-state", state}
	addr := freeLoopbackAddr(t)
	rootDir := filepath.Join(dir, "root")
	v01 := func(stdin []byte, args ...string) (string, error) {
		all := append(append(append([]string{}, base...), "v0.1", "--addr", addr, "--root", rootDir), args...)
		out, _, err := runV01(t, context.Background(), stdin, all...)
		return out, err
	}

	_, err := v01(nil, "version")
	require.ErrorContains(t, err, "dockerlab v0.1 setup-bridge")
	out, _, err := runV01(t, context.Background(), nil, append(base, "v0.1", "setup-bridge")...)
	require.NoError(t, err)
	assert.Contains(t, out, "created bridge lxcbr0")

	// No daemon: in-process, as the 2013 client fell back to LocalCall.
	out, err = v01(nil, "version")
	require.NoError(t, err)
	assert.Equal(t, "Version:0.1.0\n", out)
	layer, err := os.ReadFile(filepath.Join("..", "..", "build", "images", "busybox.tar"))
	if err != nil {
		layer = tinyTar(t)
	}
	out, err = v01(layer, "import", "-", "busybox")
	require.NoError(t, err)
	id := strings.TrimSpace(out)
	require.Regexp(t, `^[0-9a-f]{16}$`, id)
	out, err = v01(nil, "run", "nosuchimage", "ls")
	assert.Error(t, err)
	assert.Contains(t, out, "Error: Error creating container: ")

	// A daemon on the same root answers the same. It runs here on
	// rcli directly: two command trees at once would share hostflags'
	// globals (the binary's daemon is exercised by walkthroughs/v01-images).
	h, err := fake.Open(state)
	require.NoError(t, err)
	defer h.Close()
	srv, err := docker.NewServer(h, rootDir)
	require.NoError(t, err)
	listener, err := rcli.Listen("tcp", addr)
	require.NoError(t, err)
	done := make(chan error, 1)
	go func() { done <- rcli.ServeListener(listener, srv) }()
	all := append(append([]string{}, base...), "v0.1", "--addr", addr, "--root", rootDir, "--wait", "20s", "images", "-q")
	out, _, err = runV01(t, context.Background(), nil, all...)
	require.NoError(t, err)
	assert.Equal(t, id+"\n", out)
	out, err = v01(nil, "tag", id, "bb", "v2")
	require.NoError(t, err)
	assert.Empty(t, out)
	out, err = v01(nil, "images")
	require.NoError(t, err)
	assert.Contains(t, out, "bb                  v2                  "+id)
	// stdin crosses the connection, ended by the client's half-close.
	out, err = v01(tinyTar(t), "import", "-", "tiny")
	require.NoError(t, err)
	assert.Regexp(t, `^[0-9a-f]{16}\n$`, out)
	out, err = v01(nil, "run", "nosuchimage", "ls")
	require.NoError(t, err, "through the daemon an error is only text, as in 0.1.0")
	assert.Contains(t, out, "Error: Error creating container: ")

	listener.Close()
	assert.Error(t, <-done, "ServeListener ends when its listener closes")
}

// tinyTar is a one-file tarball, for when `make images` has not run.
func tinyTar(t *testing.T) []byte {
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	require.NoError(t, tw.WriteHeader(&tar.Header{Name: "hello", Mode: 0644, Size: 6, Typeflag: tar.TypeReg}))
	_, err := tw.Write([]byte("hello\n"))
	require.NoError(t, err)
	require.NoError(t, tw.Close())
	return buf.Bytes()
}

// With no daemon, an unknown command is 0.1.0's "No such command", with
// a suggestion, before the runtime is built: not a complaint about lxcbr0.
func TestV01UnknownCommandWithoutADaemon(t *testing.T) {
	state := filepath.Join(t.TempDir(), "fake.json")
	out, _, err := runV01(t, context.Background(), nil, "--backend", "fake", "--fake-state", state,
		"v0.1", "--addr", freeLoopbackAddr(t), "--root", t.TempDir(), "imags")
	require.Error(t, err)
	assert.Equal(t, "Error: No such command: imags\nDid you mean: images?\n'dockerlab v0.1 help' lists Docker 0.1.0's commands.\n", out)
}

// Docker 0.1.0 after a v1.2 daemon on the same machine: the error names
// the command that gives a clean machine, and `chapter v0.1` is not in the
// way at all (it runs on a machine of its own).
func TestV01AfterAV12DaemonNamesTheFix(t *testing.T) {
	t.Setenv("TMPDIR", t.TempDir())
	state := filepath.Join(t.TempDir(), "fake.json")
	onFake(t, state, "net", "scenario", "iptables-docker") // Docker 1.2.0's rules and DOCKER chain
	onFake(t, state, "v0.1", "setup-bridge")
	out, errOut, code := dl(t, "--backend", "fake", "--fake-state", state, "v0.1", "--addr", freeLoopbackAddr(t), "--root", t.TempDir(), "images")
	assert.Equal(t, 1, code, out)
	assert.Contains(t, errOut, "Failed to create DOCKER chain")
	assert.Contains(t, errOut, "--dst-type LOCAL")
	assert.Contains(t, errOut, "fix: dockerlab --backend fake --fake-state "+state+" fake reset")

	out = onFake(t, state, "chapter", "v0.1")
	assert.Contains(t, out, "## done")
}
