// The environment variables a link puts into the parent container.
//
// Upstream: links/links.go at v1.2.0 (ToEnv, getDefaultPort).
// Book: ch.12 §12.3.
//
// For `--link db:db` to a container exposing 5432/tcp at 172.17.0.5 whose
// image set PG_VERSION=9.3:
//
//	DB_PORT=tcp://172.17.0.5:5432
//	DB_PORT_5432_TCP=tcp://172.17.0.5:5432
//	DB_PORT_5432_TCP_ADDR=172.17.0.5
//	DB_PORT_5432_TCP_PORT=5432
//	DB_PORT_5432_TCP_PROTO=tcp
//	DB_NAME=/web/db
//	DB_ENV_PG_VERSION=9.3
package links

import (
	"fmt"
	"strings"

	"github.com/dockerlab/dockerlab/v1_2/nat"
)

// ToEnv lists the variables, in the order above. Ports are sorted first
// (lowest number, tcp before udp), so the list is the same every time.
//
//lab:exercise ch07.links
func (l *Link) ToEnv() []string {
	env := []string{}
	alias := strings.ReplaceAll(strings.ToUpper(l.Alias()), "-", "_")

	if p := l.getDefaultPort(); p != nil {
		env = append(env, fmt.Sprintf("%s_PORT=%s://%s:%s", alias, p.Proto(), l.ChildIP, p.Port()))
	}

	for _, p := range l.Ports {
		prefix := fmt.Sprintf("%s_PORT_%s_%s", alias, p.Port(), strings.ToUpper(p.Proto()))
		env = append(env,
			fmt.Sprintf("%s=%s://%s:%s", prefix, p.Proto(), l.ChildIP, p.Port()),
			fmt.Sprintf("%s_ADDR=%s", prefix, l.ChildIP),
			fmt.Sprintf("%s_PORT=%s", prefix, p.Port()),
			fmt.Sprintf("%s_PROTO=%s", prefix, p.Proto()),
		)
	}

	env = append(env, fmt.Sprintf("%s_NAME=%s", alias, l.Name))

	for _, v := range l.ChildEnvironment {
		// As upstream: a value holding another '=' is skipped, not split.
		parts := strings.Split(v, "=")
		if len(parts) != 2 {
			continue
		}
		// HOME and PATH are set by every image build; passing the child's
		// on would only confuse the parent.
		if parts[0] == "HOME" || parts[0] == "PATH" {
			continue
		}
		env = append(env, fmt.Sprintf("%s_ENV_%s=%s", alias, parts[0], parts[1]))
	}
	return env
}

// getDefaultPort sorts l.Ports (lowest number first; for the same number
// tcp first) and returns the first, or nil when the child exposes nothing.
func (l *Link) getDefaultPort() *nat.Port {
	if len(l.Ports) == 0 {
		return nil
	}
	nat.Sort(l.Ports, func(a, b nat.Port) bool {
		if a.Int() != b.Int() {
			return a.Int() < b.Int()
		}
		return strings.ToLower(a.Proto()) == "tcp" && strings.ToLower(b.Proto()) != "tcp"
	})
	p := l.Ports[0]
	return &p
}
