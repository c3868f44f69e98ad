package libcontainer

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dockerlab/dockerlab/v1_2/libcontainer/cgroups"
	"github.com/dockerlab/dockerlab/v1_2/libcontainer/network"
)

func TestStateRoundTrip(t *testing.T) {
	dir := t.TempDir()
	_, err := GetState(dir)
	assert.ErrorIs(t, err, os.ErrNotExist)

	st := &State{InitPid: 42, InitStartTime: "2014-08-21T00:00:00Z",
		NetworkState: network.NetworkState{VethHost: "veth1234", VethChild: "veth5678"},
		CgroupPaths:  map[string]string{"memory": "abc"}, InitArgs: []string{"native", "--", "sh"}}
	require.NoError(t, SaveState(dir, st))
	got, err := GetState(dir)
	require.NoError(t, err)
	assert.Equal(t, st, got)

	data, err := os.ReadFile(filepath.Join(dir, StateFile))
	require.NoError(t, err)
	for _, key := range []string{`"init_pid":42`, `"init_start_time"`, `"network_state":{"veth_host":"veth1234"`, `"cgroup_paths"`} {
		assert.Contains(t, string(data), key, "upstream's field names")
	}
	entries, _ := os.ReadDir(dir)
	assert.Len(t, entries, 1, "no temporary file left")

	require.NoError(t, DeleteState(dir))
	require.NoError(t, DeleteState(dir), "deleting twice is fine")

	require.NoError(t, os.WriteFile(filepath.Join(dir, StateFile), []byte("{"), 0o600))
	_, err = GetState(dir)
	assert.ErrorContains(t, err, StateFile)
}

func TestConfigFieldNames(t *testing.T) {
	c := Config{
		Hostname: "h", Env: []string{"A=1"}, Namespaces: map[string]bool{NEWNET: true},
		Cgroups:     &cgroups.Cgroup{Name: "id", Parent: "dockerlab", Memory: 1, CpuShares: 2, CpusetCpus: "0"},
		MountConfig: &MountConfig{Mounts: []Mount{{Type: "bind", Source: "/a", Destination: "/b", Writable: true}}},
		Networks:    []*network.Network{{Type: "veth", Bridge: "docker0", VethPrefix: "veth", Address: "172.17.0.2/16"}},
		RestrictSys: true,
	}
	data, err := json.Marshal(c)
	require.NoError(t, err)
	for _, key := range []string{`"hostname":"h"`, `"environment":["A=1"]`, `"namespaces":{"NEWNET":true}`,
		`"cgroups":{"name":"id","parent":"dockerlab","memory":1,"cpu_shares":2,"cpuset_cpus":"0"}`,
		`"mount_config":{"mounts":[{"type":"bind","source":"/a","destination":"/b","writable":true}]}`,
		`"networks":[{"type":"veth","bridge":"docker0","veth_prefix":"veth","address":"172.17.0.2/16"}]`,
		`"restrict_sys":true`} {
		assert.Contains(t, string(data), key)
	}
}
