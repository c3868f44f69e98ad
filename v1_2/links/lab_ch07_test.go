// Tests of the exercise ch07.links in this package (Link.ToEnv: the
// variables --link puts into the parent container): `dockerlab lab check
// ch07.links`, or `go test ./v1_2/links -run TestCh07Links`. The link
// job's FORWARD rules are tested in v1_2/daemon/networkdriver/bridge.
package links

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dockerlab/dockerlab/v1_2/nat"
)

// labToEnv is l.ToEnv(), failing the test instead of the whole run when it
// panics (as the exercise's stub does).
func labToEnv(t *testing.T, l *Link) (env []string) {
	t.Helper()
	defer func() {
		if r := recover(); r != nil {
			t.Fatalf("ToEnv panicked: %v", r)
		}
	}()
	return l.ToEnv()
}

// `docker run --link db:db` in a container named web, db exposing
// 5432/tcp at 172.17.0.5, its image setting PG_VERSION: the parent learns
// where db is from variables named after the alias.
func TestCh07Links(t *testing.T) {
	l, err := NewLink("172.17.0.6", "172.17.0.5", "/web/db", []string{"PG_VERSION=9.3", "HOME=/", "PATH=/usr/bin"}, portSet("5432/tcp"), nil)
	require.NoError(t, err)
	assert.Equal(t, []string{
		"DB_PORT=tcp://172.17.0.5:5432",
		"DB_PORT_5432_TCP=tcp://172.17.0.5:5432",
		"DB_PORT_5432_TCP_ADDR=172.17.0.5",
		"DB_PORT_5432_TCP_PORT=5432",
		"DB_PORT_5432_TCP_PROTO=tcp",
		"DB_NAME=/web/db",
		"DB_ENV_PG_VERSION=9.3",
	}, labToEnv(t, l), "ALIAS_PORT (the first port), four variables per port, ALIAS_NAME, then ALIAS_ENV_* from the child's environment without HOME and PATH")
}

// The variables of a few links: one port and the child's environment
// (HOME, PATH, a value with a second '=' and an entry with none are not
// passed on), a dash in the alias, no port, several ports (lowest first,
// tcp before udp; the first one is also ALIAS_PORT).
func TestCh07Links_Env(t *testing.T) {
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
			assert.Equal(t, c.want, labToEnv(t, l))
		})
	}
}
