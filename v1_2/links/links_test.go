package links

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dockerlab/dockerlab/v1_2/engine"
	"github.com/dockerlab/dockerlab/v1_2/nat"
)

func portSet(ports ...nat.Port) nat.PortSet {
	set := nat.PortSet{}
	for _, p := range ports {
		set[p] = struct{}{}
	}
	return set
}

func TestNewLink(t *testing.T) {
	l, err := NewLink("172.0.17.3", "172.0.17.2", "/db/docker", nil, portSet("6379/tcp"), nil)
	require.NoError(t, err)
	assert.Equal(t, "/db/docker", l.Name)
	assert.Equal(t, "docker", l.Alias())
	assert.Equal(t, "172.0.17.3", l.ParentIP)
	assert.Equal(t, "172.0.17.2", l.ChildIP)
	assert.Equal(t, []nat.Port{"6379/tcp"}, l.Ports)
	assert.False(t, l.IsEnabled)
}

func TestEnableDisableRunTheLinkJob(t *testing.T) {
	eng := engine.New()
	var calls []string
	var seen []*engine.Env
	fail := false
	require.NoError(t, eng.Register("link", func(job *engine.Job) engine.Status {
		calls = append(calls, job.Args[0])
		env := *job.Env()
		seen = append(seen, &env)
		if fail {
			return job.Errorf("iptables said no")
		}
		return engine.StatusOK
	}))

	l, err := NewLink("172.17.0.3", "172.17.0.2", "/web/db", nil, portSet("5432/tcp"), eng)
	require.NoError(t, err)

	require.NoError(t, l.Enable())
	assert.True(t, l.IsEnabled)
	l.Disable()
	assert.False(t, l.IsEnabled)
	assert.Equal(t, []string{"-I", "-D"}, calls)

	assert.Equal(t, "172.17.0.3", seen[0].Get("ParentIP"))
	assert.Equal(t, "172.17.0.2", seen[0].Get("ChildIP"))
	assert.False(t, seen[0].GetBool("IgnoreErrors"))
	assert.True(t, seen[1].GetBool("IgnoreErrors"))
	assert.Equal(t, []string{"5432/tcp"}, seen[0].GetList("Ports"))

	fail = true
	assert.EqualError(t, l.Enable(), "iptables said no")
	assert.False(t, l.IsEnabled)
	l.Disable() // errors ignored
}

func TestEnableWithoutEngine(t *testing.T) {
	l, err := NewLink("a", "b", "/x/y", nil, nil, nil)
	require.NoError(t, err)
	assert.Error(t, l.Enable())
	l.Disable()
}
