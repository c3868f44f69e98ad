//go:build unix

package docker

import (
	"context"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/spf13/pflag"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dockerlab/dockerlab/backend/fake"
	"github.com/dockerlab/dockerlab/v1_2/daemon"
	"github.com/dockerlab/dockerlab/v1_2/daemon/networkdriver/bridge"
)

// SIGTERM to this process reaches MainDaemon's trap (installed before
// the socket answers), which shuts the engine down and returns nil.
func TestMainDaemonStopsOnSIGTERM(t *testing.T) {
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
	sock := "unix://" + filepath.Join(dir, "docker.sock")
	pidfile := filepath.Join(dir, "docker.pid")
	require.NoError(t, fs.Parse([]string{"-g", filepath.Join(dir, "root"), "-p", pidfile, "-H", sock, "-G", ""}))

	var stdout, stderr syncBuffer
	done := make(chan error, 1)
	go func() { done <- MainDaemon(context.Background(), fake.New(), &f, nil, Streams{&stdout, &stderr}) }()
	_, err := Get(sock, "/_ping", 20*time.Second)
	require.NoError(t, err, "stderr:\n%s", &stderr)

	require.NoError(t, syscall.Kill(os.Getpid(), syscall.SIGTERM))
	require.NoError(t, <-done)
	assert.NoFileExists(t, pidfile)
}
