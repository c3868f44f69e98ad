package fake

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dockerlab/dockerlab/backend"
)

func openShared(t *testing.T, path string) *Kernel {
	t.Helper()
	k, err := Open(path)
	require.NoError(t, err)
	t.Cleanup(func() { _ = k.Close() })
	return k
}

func TestSharedMachine(t *testing.T) {
	path := filepath.Join(t.TempDir(), "fake", "kernel.json")
	k1 := openShared(t, path)
	_, err := os.Stat(path)
	require.NoError(t, err, "Open creates the state file")
	k2 := openShared(t, path)

	require.NoError(t, k1.Root().AddBridge("docker0", 0))
	l, err := k2.Root().LinkByName("docker0")
	require.NoError(t, err)
	assert.Equal(t, backend.KindBridge, l.Kind)
	isErr(t, k2.Root().AddBridge("docker0", 0), backend.ErrExists, syscall.EEXIST)
	require.NoError(t, k2.Root().IPTables().NewChain("nat", "DOCKER"))
	has, err := k1.Root().IPTables().ChainExists("nat", "DOCKER")
	require.NoError(t, err)
	assert.True(t, has)
	_, err = k1.NewNetNS("c1")
	require.NoError(t, err)
	names, _ := k2.ListNetNS()
	assert.Equal(t, []string{"c1"}, names)

	require.NoError(t, k2.Reset())
	_, err = k1.Root().LinkByName("docker0")
	isErr(t, err, backend.ErrNotFound, 0)
	links, _ := k1.Root().LinkList()
	assert.Len(t, links, 2, "a fresh New() machine")
}

func TestSharedConcurrentWriters(t *testing.T) {
	path := filepath.Join(t.TempDir(), "kernel.json")
	ks := []*Kernel{openShared(t, path), openShared(t, path)}
	var wg sync.WaitGroup
	for i := 0; i < 20; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			assert.NoError(t, ks[i%2].Root().AddBridge(fmt.Sprintf("br%d", i), 0))
			assert.NoError(t, ks[i%2].Root().IPTables().Append("filter", "FORWARD", "-i", fmt.Sprintf("br%d", i), "-j", "ACCEPT"))
		}(i)
	}
	wg.Wait()
	links, err := openShared(t, path).Root().LinkList()
	require.NoError(t, err)
	assert.Len(t, links, 22, "lo, eth0 and 20 bridges: nothing lost")
	rules, _ := ks[0].Root().IPTables().List("filter", "FORWARD")
	assert.Len(t, rules, 21)
}

func TestSharedCorruptState(t *testing.T) {
	path := filepath.Join(t.TempDir(), "kernel.json")
	require.NoError(t, os.WriteFile(path, []byte("{not json"), 0o644))
	_, err := Open(path)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "corrupt")
}

// A signal for a process run by another Kernel goes through the state
// file; its owner delivers it.
func TestSharedPendingSignal(t *testing.T) {
	path := filepath.Join(t.TempDir(), "kernel.json")
	owner, other := openShared(t, path), openShared(t, path)
	p := start(t, owner, backend.ProcSpec{Args: []string{"sleep", "1000"}, Rootfs: testRootfs(t), Namespaces: backend.AllNamespaces()})
	ps, err := other.Procs()
	require.NoError(t, err)
	require.Len(t, ps, 1)
	assert.Equal(t, p.Pid(), ps[0].Pid)
	_, err = other.NetNS(backend.NSPid(p.Pid()))
	require.NoError(t, err)

	require.NoError(t, other.Kill(p.Pid(), syscall.SIGTERM)) // ignored by a pid-ns init
	require.NoError(t, other.Kill(p.Pid(), syscall.SIGKILL))
	st, _ := p.Wait()
	assert.Equal(t, backend.ExitStatus{Code: 137, Signal: syscall.SIGKILL}, st)
	ps, _ = other.Procs()
	assert.Empty(t, ps)
	isErr(t, other.Kill(p.Pid(), syscall.SIGKILL), backend.ErrNotFound, syscall.ESRCH)
}

// When the OS process that ran simulated processes is gone, the next
// command finds them gone too, with their namespaces.
func TestSharedOwnerGone(t *testing.T) {
	path := filepath.Join(t.TempDir(), "kernel.json")
	k := openShared(t, path)
	require.NoError(t, k.Root().AddBridge("docker0", 0))
	p := start(t, k, backend.ProcSpec{Args: []string{"sleep", "1000"}, Rootfs: testRootfs(t), Namespaces: backend.AllNamespaces()})
	require.NoError(t, k.Root().AddVeth("veth0", "eth1", 0))
	require.NoError(t, k.Root().LinkSetNs("eth1", p.NetNS()))

	// a finished OS process of ours stands in for a dockerlab command that ended
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	require.NoError(t, cmd.Run())
	dead := cmd.Process.Pid
	unlock, err := lockState(path) // the owner's poller writes the file too
	require.NoError(t, err)
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	mine := fmt.Sprintf(`"os_pid": %d,`, os.Getpid())
	require.Contains(t, string(data), mine)
	data = []byte(strings.ReplaceAll(string(data), mine, fmt.Sprintf(`"os_pid": %d,`, dead)))
	data = []byte(strings.ReplaceAll(string(data), `"instance": "`+k.me.Instance, `"instance": "gone`))
	require.NoError(t, os.WriteFile(path, data, 0o644))
	unlock()

	other := openShared(t, path)
	ps, err := other.Procs()
	require.NoError(t, err)
	assert.Empty(t, ps)
	_, err = other.Root().LinkByName("veth0")
	isErr(t, err, backend.ErrNotFound, 0)
	_, err = other.Root().LinkByName("docker0")
	require.NoError(t, err, "the rest of the machine stays")
	// the goroutines of the lost process notice and end
	st, _ := p.Wait()
	assert.Equal(t, 137, st.Code)
}

func TestDefaultStatePath(t *testing.T) {
	t.Setenv("DOCKERLAB_FAKE_STATE", "/some/where.json")
	assert.Equal(t, "/some/where.json", DefaultStatePath())
	t.Setenv("DOCKERLAB_FAKE_STATE", "")
	assert.True(t, strings.HasSuffix(DefaultStatePath(), filepath.Join("dockerlab", "fake", "kernel.json")))
}
