// Package links is Docker 1.2.0's container link: `--link db:db` gives the
// new container environment variables naming db's address and ports, and
// asks the network driver (the "link" job) to open iptables between the two.
//
// Upstream: links/links.go at v1.2.0 (Link, NewLink, Alias, Enable, Disable).
// Book: ch.12 §12.3 (容器link: the env vars and the iptables rules).
// Notes: 003 (network modes; links need the bridge mode).
package links

import (
	"path"

	"github.com/dockerlab/dockerlab/v1_2/engine"
	"github.com/dockerlab/dockerlab/v1_2/nat"
)

// Link joins a parent container (the one that asked) to a child (the one
// linked to). Name is the child's name in the parent's namespace, e.g.
// "/web/db"; the last part is the alias the env vars are named after.
type Link struct {
	ParentIP         string
	ChildIP          string
	Name             string
	ChildEnvironment []string
	Ports            []nat.Port
	IsEnabled        bool
	eng              *engine.Engine
}

// NewLink records a link; nothing happens on the network until Enable.
// The ports come from a set, so their order is random until ToEnv sorts.
func NewLink(parentIP, childIP, name string, env []string, exposedPorts map[nat.Port]struct{}, eng *engine.Engine) (*Link, error) {
	ports := make([]nat.Port, 0, len(exposedPorts))
	for p := range exposedPorts {
		ports = append(ports, p)
	}
	return &Link{
		Name:             name,
		ChildIP:          childIP,
		ParentIP:         parentIP,
		ChildEnvironment: env,
		Ports:            ports,
		eng:              eng,
	}, nil
}

// Alias is the last part of the link's name: "/web/db" gives "db".
func (l *Link) Alias() string {
	_, alias := path.Split(l.Name)
	return alias
}
