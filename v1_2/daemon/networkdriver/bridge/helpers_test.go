// Test helpers: a fresh driver on a given Host, and a way to run jobs.
package bridge

import (
	"bytes"
	"net"
	"os"
	"path/filepath"
	"testing"

	"github.com/dockerlab/dockerlab/backend"
	"github.com/dockerlab/dockerlab/v1_2/daemon/networkdriver/portallocator"
	"github.com/dockerlab/dockerlab/v1_2/daemon/networkdriver/portmapper"
	"github.com/dockerlab/dockerlab/v1_2/engine"
	"github.com/stretchr/testify/require"
)

func init() {
	// No real proxies in unit tests: the fake has no sockets, and the
	// linux tests check rules, not traffic.
	portmapper.NewProxy = portmapper.NewMockProxyCommand
}

// useHost points the driver at h with an empty resolv.conf and forgets
// what earlier tests left in the package state.
func useHost(t testing.TB, h backend.Host) {
	t.Helper()
	SetHost(h)
	conf := filepath.Join(t.TempDir(), "resolv.conf")
	require.NoError(t, os.WriteFile(conf, []byte("# none\n"), 0o644))
	oldConf := ResolvConfPath
	ResolvConfPath = conf
	resetState()
	t.Cleanup(func() {
		resetState()
		ResolvConfPath = oldConf
		SetHost(nil)
	})
}

func resetState() {
	bridgeIface = ""
	bridgeNetwork = nil
	defaultBindingIP = net.ParseIP("0.0.0.0")
	currentInterfaces = ifaces{c: make(map[string]*networkInterface)}
	portmapper.SetIptablesChain(nil)
	portallocator.ReleaseAll()
}

// env is the init_networkdriver env mainDaemon builds from its defaults
// (--iptables=true --icc=true --ip-forward=true), changed by kv pairs.
func initEnv(kv ...string) map[string]string {
	m := map[string]string{
		"EnableIptables":              "true",
		"InterContainerCommunication": "true",
		"EnableIpForward":             "true",
		"BridgeIface":                 "",
		"BridgeIP":                    "",
		"DefaultBindingIP":            "0.0.0.0",
	}
	for i := 0; i+1 < len(kv); i += 2 {
		m[kv[i]] = kv[i+1]
	}
	return m
}

// newEngine is a quiet engine, as a daemon start makes one.
func newEngine() *engine.Engine {
	eng := engine.New()
	eng.Logging = false
	return eng
}

// runInit runs init_networkdriver on a new engine (a daemon start) and
// returns the engine and the job's error.
func runInit(t testing.TB, env map[string]string) (*engine.Engine, error) {
	t.Helper()
	eng := newEngine()
	require.NoError(t, eng.Register("init_networkdriver", InitDriver))
	job := eng.Job("init_networkdriver")
	for k, v := range env {
		job.Setenv(k, v)
	}
	var stderr bytes.Buffer
	job.Stderr.Add(&stderr)
	err := job.Run()
	if err != nil {
		t.Logf("init_networkdriver: %v\n%s", err, stderr.String())
	}
	return eng, err
}

// run runs a job and decodes its stdout as an env.
func run(t testing.TB, eng *engine.Engine, name string, args []string, kv ...string) (*engine.Env, error) {
	t.Helper()
	job := eng.Job(name, args...)
	for i := 0; i+1 < len(kv); i += 2 {
		job.Setenv(kv[i], kv[i+1])
	}
	out, err := job.Stdout.AddEnv()
	require.NoError(t, err)
	err = job.Run()
	return out, err
}
