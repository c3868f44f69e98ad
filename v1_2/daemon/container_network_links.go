// A container's links (`--link db:db`): the names graphdb keeps, the
// link job's FORWARD rules while the parent runs, and the DB_* variables
// its process gets.
//
// Upstream: daemon/container.go at v1.2.0 (setupLinkedContainers,
// DisableLink, the link part of cleanup), daemon/daemon.go at v1.2.0
// (Children, RegisterLink, RegisterLinks), links/links.go at v1.2.0 (in
// v1_2/links).
// Book: ch.7 §7.4 and ch.12 §12.4 (start: setupLinkedContainers).
package daemon

import (
	"encoding/json"
	"fmt"
	"path"
	"sort"
	"sync"

	"github.com/dockerlab/dockerlab/v1_2/daemon/networkdriver/bridge"
	"github.com/dockerlab/dockerlab/v1_2/links"
	"github.com/dockerlab/dockerlab/v1_2/opts"
	"github.com/dockerlab/dockerlab/v1_2/pkg/graphdb"
	"github.com/dockerlab/dockerlab/v1_2/runconfig"
)

// setupLinkedContainers is step 6 of Start (book §12.4): for each
// container linked to this one, open the bridge between the two for the
// child's exposed ports (the link job's FORWARD rules, which matter when
// --icc=false drops everything else) and return the DB_PORT_… variables
// the process gets. Any failure takes back the links already enabled.
func (container *Container) setupLinkedContainers() ([]string, error) {
	daemon := container.daemon
	children, err := daemon.Children(container.Name)
	if err != nil {
		return nil, err
	}
	if len(children) == 0 {
		return nil, nil
	}
	active := make(map[string]*links.Link, len(children))
	setActiveLinks(container, active)
	rollback := func() {
		container.disableActiveLinks()
	}

	var env []string
	for _, linkAlias := range sortedKeys(children) {
		child := children[linkAlias]
		if !child.State.IsRunning() {
			rollback()
			return nil, fmt.Errorf("Cannot link to a non running container: %s AS %s", child.Name, linkAlias)
		}
		link, err := links.NewLink(
			container.NetworkSettings.IPAddress,
			child.NetworkSettings.IPAddress,
			linkAlias,
			child.Config.Env,
			child.Config.ExposedPorts,
			daemon.eng)
		if err != nil {
			rollback()
			return nil, err
		}
		activeLinksMu.Lock()
		active[link.Alias()] = link
		activeLinksMu.Unlock()
		if err := link.Enable(); err != nil {
			rollback()
			return nil, err
		}
		env = append(env, link.ToEnv()...)
	}
	return env, nil
}

// activeLinksMu guards every container's activeLinks map: `docker rm -l`
// (DisableLink) may come while the container's monitor cleans up after
// its exit (disableActiveLinks). Links change rarely; one lock is enough.
var activeLinksMu sync.Mutex

func setActiveLinks(container *Container, m map[string]*links.Link) {
	activeLinksMu.Lock()
	container.activeLinks = m
	activeLinksMu.Unlock()
}

// sortedKeys: links are set up in the order of their names.
func sortedKeys(m map[string]*Container) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// DisableLink removes the rules of the link named alias (delete's
// removeLink: `docker rm -l /web/db` calls it on web).
func (container *Container) DisableLink(alias string) {
	activeLinksMu.Lock()
	link, ok := container.activeLinks[alias]
	delete(container.activeLinks, alias)
	activeLinksMu.Unlock()
	if ok {
		link.Disable()
	}
}

// disableActiveLinks removes every link's rules (cleanup at stop).
func (container *Container) disableActiveLinks() {
	activeLinksMu.Lock()
	active := container.activeLinks
	container.activeLinks = nil
	activeLinksMu.Unlock()

	eng := container.daemon.eng
	for _, link := range active {
		if !eng.IsShutdown() {
			link.Disable()
			continue
		}
		// What links.Link.Disable asks the link job, straight to the
		// driver (see runEvenAtShutdown).
		ports := make([]string, len(link.Ports))
		for i, p := range link.Ports {
			ports[i] = p.Port() + "/" + p.Proto()
		}
		portsJSON, _ := json.Marshal(ports)
		container.runEvenAtShutdown(bridge.LinkContainers, "link", []string{"-D"}, map[string]string{
			"ParentIP": link.ParentIP, "ChildIP": link.ChildIP, "IgnoreErrors": "true", "Ports": string(portsJSON),
		})
		link.IsEnabled = false
	}
}

// linkGraphName is name as graphdb keeps it: "/web" for "web".
func linkGraphName(name string) (string, error) {
	if name == "" {
		return "", fmt.Errorf("Container name cannot be empty")
	}
	if name[0] != '/' {
		name = "/" + name
	}
	return name, nil
}

// Children are the containers name links to, keyed by the link's full
// name ("/web/db" for --link db:db on web).
func (daemon *Daemon) Children(name string) (map[string]*Container, error) {
	name, err := linkGraphName(name)
	if err != nil {
		return nil, err
	}
	children := make(map[string]*Container)
	err = daemon.containerGraph.Walk(name, func(p string, e *graphdb.Entity) error {
		c := daemon.Get(e.ID())
		if c == nil {
			return fmt.Errorf("Could not get container for name %s and id %s", e.ID(), p)
		}
		children[p] = c
		return nil
	}, 0)
	if err != nil {
		return nil, err
	}
	return children, nil
}

// RegisterLink records in graphdb that parent reaches child as alias:
// the name "<parent name>/<alias>" points at child's id.
func (daemon *Daemon) RegisterLink(parent, child *Container, alias string) error {
	fullName := path.Join(parent.Name, alias)
	if daemon.containerGraph.Exists(fullName) {
		return nil
	}
	_, err := daemon.containerGraph.Set(fullName, child.ID)
	return err
}

// RegisterLinks records each --link name:alias of hostConfig, then
// empties the list: the links now live in graphdb, and a second start
// must not register them again.
func (daemon *Daemon) RegisterLinks(container *Container, hostConfig *runconfig.HostConfig) error {
	if hostConfig == nil || hostConfig.Links == nil {
		return nil
	}
	for _, l := range hostConfig.Links {
		parts, err := opts.PartParser("name:alias", l)
		if err != nil {
			return err
		}
		// By name only: "db" is also a hex prefix, and Get would take
		// a container whose id starts with it.
		child, err := daemon.GetByName(parts["name"])
		if err != nil {
			return err
		}
		if err := daemon.RegisterLink(container, child, parts["alias"]); err != nil {
			return err
		}
	}
	hostConfig.Links = nil
	return container.WriteHostConfig()
}
