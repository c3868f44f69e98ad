package docker

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/spf13/pflag"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dockerlab/dockerlab/backend/fake"
	"github.com/dockerlab/dockerlab/v1_2/daemon"
	"github.com/dockerlab/dockerlab/v1_2/daemon/networkdriver/bridge"
)

// syncBuffer is written by the daemon's goroutines and read by the test.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// ValidateHost's cases are the tests of the exercise ch02.validate-host
// (lab_ch02_test.go); this one is dockerlab's own: an IPv6 literal is
// accepted (upstream split host:port at every ':' and refused it).
func TestValidateHostIPv6(t *testing.T) {
	got, err := ValidateHost("tcp://[::1]:2375")
	require.NoError(t, err)
	assert.Equal(t, "tcp://[::1]:2375", got)
}

func TestMainDaemonServesAndStops(t *testing.T) {
	t.Setenv("TMPDIR", os.TempDir())
	dir := t.TempDir()
	conf := filepath.Join(dir, "resolv.conf")
	require.NoError(t, os.WriteFile(conf, []byte("nameserver 10.0.2.3\n"), 0o644))
	oldConf, oldBridgeConf, oldExe := daemon.ResolvConfPath, bridge.ResolvConfPath, daemon.Executable
	daemon.ResolvConfPath, bridge.ResolvConfPath = conf, conf
	daemon.Executable = func() (string, error) { return conf, nil }
	defer func() {
		daemon.ResolvConfPath, bridge.ResolvConfPath, daemon.Executable = oldConf, oldBridgeConf, oldExe
		bridge.SetHost(nil)
	}()

	var f DaemonFlags
	fs := pflag.NewFlagSet("daemon", pflag.ContinueOnError)
	f.InstallFlags(fs)
	sock := filepath.Join(dir, "run", "docker.sock")
	pidfile := filepath.Join(dir, "run", "docker.pid")
	require.NoError(t, fs.Parse([]string{"-g", filepath.Join(dir, "root"), "-p", pidfile, "-H", "unix://" + sock, "-G", "", "--trace"}))

	ctx, cancel := context.WithCancel(context.Background())
	var stdout, stderr syncBuffer
	done := make(chan error, 1)
	go func() { done <- MainDaemon(ctx, fake.New(), &f, nil, Streams{&stdout, &stderr}) }()

	c := &http.Client{Transport: &http.Transport{DialContext: func(ctx context.Context, _, _ string) (net.Conn, error) {
		var d net.Dialer
		return d.DialContext(ctx, "unix", sock)
	}}}
	var resp *http.Response
	require.Eventually(t, func() bool {
		var err error
		resp, err = c.Get("http://docker/_ping")
		return err == nil
	}, 10*time.Second, 20*time.Millisecond, "stdout:\n%s\nstderr:\n%s", &stdout, &stderr)
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	assert.Equal(t, "OK", string(body))

	resp, err := c.Get("http://docker/v1.14/version")
	require.NoError(t, err)
	var v map[string]any
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&v))
	resp.Body.Close()
	assert.Equal(t, "1.2.0", v["Version"])
	assert.Equal(t, "1.14", v["ApiVersion"])

	resp, err = c.Get("http://docker/info")
	require.NoError(t, err)
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&v))
	resp.Body.Close()
	assert.Equal(t, "native-0.2", v["ExecutionDriver"])

	assert.FileExists(t, pidfile)
	cancel()
	require.NoError(t, <-done)
	assert.NoFileExists(t, pidfile)
	assert.NoFileExists(t, sock)

	out := stdout.String()
	for _, want := range []string{"[trace] 3.3.3 engine", "[trace] 3.3.5 builtins", "[trace] 3.3.8 job serveapi", "[trace] 4.3   MTU: 1500", "[trace] 4.12  restore: 0 containers", "[trace] 3.3.6 d.Install(eng)"} {
		assert.Contains(t, out, want)
	}
	assert.True(t, strings.Contains(stderr.String(), "docker daemon: 1.2.0 fa7b24f; execdriver: native; graphdriver: "), stderr.String())
}

func TestMainDaemonRefusesArgsAndBadFlags(t *testing.T) {
	var f DaemonFlags
	fs := pflag.NewFlagSet("daemon", pflag.ContinueOnError)
	f.InstallFlags(fs)
	require.NoError(t, fs.Parse(nil))
	err := MainDaemon(context.Background(), fake.New(), &f, []string{"extra"}, Streams{io.Discard, io.Discard})
	assert.ErrorContains(t, err, "no arguments")

	f.Hosts = []string{"0.0.0.0"}
	err = MainDaemon(context.Background(), fake.New(), &f, nil, Streams{io.Discard, io.Discard})
	assert.ErrorContains(t, err, "Invalid bind address format")
}

// A stop that comes while NewDaemon still runs leaves no pid file behind.
func TestMainDaemonEarlyStop(t *testing.T) {
	t.Setenv("TMPDIR", os.TempDir())
	dir := t.TempDir()
	self := filepath.Join(dir, "dockerlab")
	require.NoError(t, os.WriteFile(self, []byte("#!/bin/sh\n"), 0o755))
	oldExe := daemon.Executable
	daemon.Executable = func() (string, error) { return self, nil }
	defer func() { daemon.Executable = oldExe; bridge.SetHost(nil) }()

	var f DaemonFlags
	fs := pflag.NewFlagSet("daemon", pflag.ContinueOnError)
	f.InstallFlags(fs)
	pidfile := filepath.Join(dir, "docker.pid")
	require.NoError(t, fs.Parse([]string{"-g", filepath.Join(dir, "root"), "-p", pidfile,
		"-H", "unix://" + filepath.Join(dir, "docker.sock"), "-G", "", "-b", "none"}))
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	require.NoError(t, MainDaemon(ctx, fake.New(), &f, nil, Streams{io.Discard, io.Discard}))
	assert.NoFileExists(t, pidfile)
}
