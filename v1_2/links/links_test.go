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

func TestToEnvGolden(t *testing.T) {
	cases := []struct {
		name  string
		link  string
		ports nat.PortSet
		env   []string
		want  []string
	}{
		{
			name: "one port and the child's env",
			link: "/db/docker", ports: portSet("6379/tcp"),
			env: []string{"PASSWORD=gordon", "HOME=/root", "PATH=/bin", "TOKEN=a=b", "NOVALUE"},
			want: []string{
				"DOCKER_PORT=tcp://172.0.17.2:6379",
				"DOCKER_PORT_6379_TCP=tcp://172.0.17.2:6379",
				"DOCKER_PORT_6379_TCP_ADDR=172.0.17.2",
				"DOCKER_PORT_6379_TCP_PORT=6379",
				"DOCKER_PORT_6379_TCP_PROTO=tcp",
				"DOCKER_NAME=/db/docker",
				"DOCKER_ENV_PASSWORD=gordon",
			},
		},
		{
			name: "dash in the alias becomes underscore",
			link: "/db/docker-1", ports: portSet("6379/tcp"),
			want: []string{
				"DOCKER_1_PORT=tcp://172.0.17.2:6379",
				"DOCKER_1_PORT_6379_TCP=tcp://172.0.17.2:6379",
				"DOCKER_1_PORT_6379_TCP_ADDR=172.0.17.2",
				"DOCKER_1_PORT_6379_TCP_PORT=6379",
				"DOCKER_1_PORT_6379_TCP_PROTO=tcp",
				"DOCKER_1_NAME=/db/docker-1",
			},
		},
		{
			name: "no ports: only the name",
			link: "/web/cache", ports: portSet(),
			want: []string{"CACHE_NAME=/web/cache"},
		},
		{
			name: "several ports: lowest first, tcp before udp",
			link: "/web/dns", ports: portSet("53/udp", "8080/tcp", "53/tcp"),
			want: []string{
				"DNS_PORT=tcp://172.0.17.2:53",
				"DNS_PORT_53_TCP=tcp://172.0.17.2:53",
				"DNS_PORT_53_TCP_ADDR=172.0.17.2",
				"DNS_PORT_53_TCP_PORT=53",
				"DNS_PORT_53_TCP_PROTO=tcp",
				"DNS_PORT_53_UDP=udp://172.0.17.2:53",
				"DNS_PORT_53_UDP_ADDR=172.0.17.2",
				"DNS_PORT_53_UDP_PORT=53",
				"DNS_PORT_53_UDP_PROTO=udp",
				"DNS_PORT_8080_TCP=tcp://172.0.17.2:8080",
				"DNS_PORT_8080_TCP_ADDR=172.0.17.2",
				"DNS_PORT_8080_TCP_PORT=8080",
				"DNS_PORT_8080_TCP_PROTO=tcp",
				"DNS_NAME=/web/dns",
			},
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			l, err := NewLink("172.0.17.3", "172.0.17.2", c.link, c.env, c.ports, nil)
			require.NoError(t, err)
			assert.Equal(t, c.want, l.ToEnv())
		})
	}
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
