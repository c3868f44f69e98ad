// Tests of container_network.go on the fake machine: the four network
// modes, ports published and given back, links under --icc=false,
// restore, and many containers at once. The methods run against the real
// bridge driver through the engine's jobs, on a daemon built as
// daemon_test.go builds one.
package daemon

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dockerlab/dockerlab/backend"
	"github.com/dockerlab/dockerlab/backend/fake"
	"github.com/dockerlab/dockerlab/v1_2/engine"
	"github.com/dockerlab/dockerlab/v1_2/nat"
	"github.com/dockerlab/dockerlab/v1_2/runconfig"
)

// netDaemon is a daemon on a fresh fake machine whose bridge has bip, so
// each test gets addresses of its own (the IP allocator is process-wide
// and round-robin, as upstream's). Changes to the config come from edit.
func netDaemon(t *testing.T, bip string, edit func(*Config)) (*Daemon, backend.Host) {
	t.Helper()
	h := fake.New()
	return netDaemonOn(t, h, bip, edit), h
}

// netDaemonOn is netDaemon on a machine of the caller's.
func netDaemonOn(t *testing.T, h backend.Host, bip string, edit func(*Config)) *Daemon {
	t.Helper()
	dir := setup(t, "nameserver 10.0.2.3\n")
	config := defaults(h, dir, nil)
	config.BridgeIP = bip
	if edit != nil {
		edit(config)
	}
	eng := newEngine(t)
	d, err := NewDaemon(config, eng)
	require.NoError(t, err)
	t.Cleanup(eng.Shutdown)
	return d
}

// netContainer makes and registers a container named name with cfg and
// hc, as create would leave it (no process yet).
func netContainer(t *testing.T, d *Daemon, name string, cfg *runconfig.Config, hc *runconfig.HostConfig) *Container {
	t.Helper()
	b := make([]byte, 32)
	_, err := rand.Read(b)
	require.NoError(t, err)
	return netContainerID(t, d, hex.EncodeToString(b), name, cfg, hc)
}

// netContainerID is netContainer with the id chosen by the test.
func netContainerID(t *testing.T, d *Daemon, id, name string, cfg *runconfig.Config, hc *runconfig.HostConfig) *Container {
	t.Helper()
	if cfg == nil {
		cfg = &runconfig.Config{}
	}
	if cfg.Hostname == "" {
		cfg.Hostname = id[:12]
	}
	if hc == nil {
		hc = &runconfig.HostConfig{NetworkMode: "bridge"}
	}
	c := &Container{
		root:            filepath.Join(d.repository, id),
		ID:              id,
		Name:            "/" + name,
		Config:          cfg,
		State:           NewState(),
		NetworkSettings: &NetworkSettings{},
		hostConfig:      hc,
	}
	require.NoError(t, os.MkdirAll(c.root, 0o700))
	_, err := d.containerGraph.Set(c.Name, id)
	require.NoError(t, err)
	require.NoError(t, d.Register(c))
	// The allocators and the port mapper live as long as the test
	// binary, as upstream's lived as long as the daemon's process: give
	// back what a test took, even when it fails half-way.
	t.Cleanup(func() {
		c.State.SetStopped(0)
		c.disableActiveLinks()
		c.releaseNetwork()
	})
	return c
}

func rules(t *testing.T, h backend.Host) string {
	t.Helper()
	dump, err := backend.DumpIPTables(h.Root())
	require.NoError(t, err)
	return dump
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	return string(b)
}

func TestNetworkBridgeModePublishesAndReleases(t *testing.T) {
	d, h := netDaemon(t, "10.71.0.1/24", nil)
	exposed, bindings, err := nat.ParsePortSpecs([]string{"80", "127.0.0.1:8053:53/udp"})
	require.NoError(t, err)
	exposed["443/tcp"] = struct{}{} // --expose 443: exposed, not published
	c := netContainer(t, d, "web",
		&runconfig.Config{Hostname: "web", Domainname: "example.org", ExposedPorts: exposed},
		&runconfig.HostConfig{NetworkMode: "bridge", PortBindings: bindings})

	require.NoError(t, c.initializeNetworking())
	ns := c.NetworkSettings
	assert.Equal(t, "10.71.0.2", ns.IPAddress)
	assert.Equal(t, 24, ns.IPPrefixLen)
	assert.Equal(t, "10.71.0.1", ns.Gateway)
	assert.Equal(t, "docker0", ns.Bridge)
	assert.Equal(t, nat.PortMap{
		"80/tcp":  {{HostIp: "0.0.0.0", HostPort: "49153"}},
		"53/udp":  {{HostIp: "127.0.0.1", HostPort: "8053"}},
		"443/tcp": nil,
	}, ns.Ports)
	assert.Equal(t, "", c.hostConfig.PortBindings["80/tcp"][0].HostPort, "HostConfig keeps asking for any port")

	dump := rules(t, h)
	assert.Contains(t, dump, "-A DOCKER ! -i docker0 -p tcp -m tcp --dport 49153 -j DNAT --to-destination 10.71.0.2:80")
	assert.Contains(t, dump, "-A DOCKER -d 127.0.0.1/32 ! -i docker0 -p udp -m udp --dport 8053 -j DNAT --to-destination 10.71.0.2:53")
	assert.Contains(t, dump, "-A FORWARD -d 10.71.0.2/32 ! -i docker0 -o docker0 -p tcp -m tcp --dport 80 -j ACCEPT")

	assert.Equal(t, "web.example.org\n", readFile(t, c.HostnamePath))
	assert.True(t, strings.HasPrefix(readFile(t, c.HostsPath), "10.71.0.2\tweb.example.org web\n127.0.0.1\tlocalhost\n"), readFile(t, c.HostsPath))

	en, err := c.networkForCommand()
	require.NoError(t, err)
	assert.Equal(t, "10.71.0.2", en.Interface.IPAddress)
	assert.Equal(t, "10.71.0.1", en.Interface.Gateway)
	assert.Equal(t, "docker0", en.Interface.Bridge)
	assert.Equal(t, 24, en.Interface.IPPrefixLen)
	assert.Equal(t, 1500, en.Mtu)
	assert.False(t, en.HostNetworking)

	// The containers job's Ports column: one row per binding, one for
	// the exposed-only port.
	rows := map[string]bool{}
	for _, row := range ns.PortMappingAPI().Data {
		rows[fmt.Sprintf("%s %d->%d/%s", row.Get("IP"), row.GetInt("PublicPort"), row.GetInt("PrivatePort"), row.Get("Type"))] = true
	}
	assert.Equal(t, map[string]bool{"0.0.0.0 49153->80/tcp": true, "127.0.0.1 8053->53/udp": true, " 0->443/tcp": true}, rows)

	// Stop: the rules go, the address and ports come back.
	c.releaseNetwork()
	assert.Equal(t, &NetworkSettings{}, c.NetworkSettings)
	dump = rules(t, h)
	assert.NotContains(t, dump, "DNAT")
	assert.NotContains(t, dump, "10.71.0.2")
	job := d.eng.Job("allocate_interface", "probe")
	job.Setenv("RequestedIP", "10.71.0.2")
	require.NoError(t, job.Run(), "the address is free again")
	require.NoError(t, d.eng.Job("release_interface", "probe").Run())
	c.releaseNetwork() // a second stop is harmless
}

func TestNetworkPublishAllAndTakenPort(t *testing.T) {
	d, h := netDaemon(t, "10.72.0.1/24", nil)
	exposed := nat.PortSet{"80/tcp": {}, "22/tcp": {}}
	a := netContainer(t, d, "a", &runconfig.Config{ExposedPorts: exposed},
		&runconfig.HostConfig{NetworkMode: "bridge", PublishAllPorts: true})
	require.NoError(t, a.initializeNetworking())
	assert.Equal(t, nat.PortMap{
		"22/tcp": {{HostIp: "0.0.0.0", HostPort: "49153"}},
		"80/tcp": {{HostIp: "0.0.0.0", HostPort: "49154"}},
	}, a.NetworkSettings.Ports, "-P takes ports in the exposed ports' order")

	// -p 49154:80 on a second container: taken, so it does not start
	// and gives its address back at once.
	b := netContainer(t, d, "b", &runconfig.Config{ExposedPorts: nat.PortSet{"80/tcp": {}}},
		&runconfig.HostConfig{NetworkMode: "bridge", PortBindings: nat.PortMap{"80/tcp": {{HostPort: "49154"}}}})
	err := b.initializeNetworking()
	require.Error(t, err)
	assert.Contains(t, err.Error(), "Bind for 0.0.0.0:49154 failed: port is already allocated")
	assert.Equal(t, "", b.NetworkSettings.IPAddress)
	assert.NotContains(t, rules(t, h), "10.72.0.3")
	require.Error(t, d.eng.Job("release_interface", b.ID).Run(), "b holds nothing")
	a.releaseNetwork()
}

func TestNetworkHostNoneAndContainerModes(t *testing.T) {
	d, h := netDaemon(t, "10.73.0.1/24", nil)
	before := rules(t, h)

	host := netContainer(t, d, "host", nil, &runconfig.HostConfig{NetworkMode: "host"})
	require.NoError(t, host.initializeNetworking())
	assert.Equal(t, "dockerlab-fake", host.Config.Hostname, "the machine's own name")
	assert.Equal(t, "dockerlab-fake\n", readFile(t, host.HostnamePath))
	assert.Equal(t, "", host.NetworkSettings.IPAddress)
	en, err := host.networkForCommand()
	require.NoError(t, err)
	assert.True(t, en.HostNetworking)
	assert.Nil(t, en.Interface)

	none := netContainer(t, d, "none", &runconfig.Config{Hostname: "quiet",
		ExposedPorts: nat.PortSet{"80/tcp": {}}}, &runconfig.HostConfig{NetworkMode: "none", PublishAllPorts: true})
	require.NoError(t, none.initializeNetworking())
	assert.Equal(t, "", none.NetworkSettings.IPAddress, "none: no address (fixed in Docker 1.3)")
	assert.True(t, strings.HasPrefix(readFile(t, none.HostsPath), "127.0.0.1\tlocalhost\n"), "no line of its own")
	en, err = none.networkForCommand()
	require.NoError(t, err)
	assert.Nil(t, en.Interface)
	assert.False(t, en.HostNetworking)
	assert.Empty(t, en.ContainerID)
	assert.Equal(t, before, rules(t, h), "host and none publish nothing")

	// container:<name> joins a running container: its files, its name.
	web := netContainer(t, d, "web", &runconfig.Config{Hostname: "web"}, nil)
	joiner := netContainer(t, d, "joiner", nil, &runconfig.HostConfig{NetworkMode: "container:web"})
	assert.EqualError(t, joiner.initializeNetworking(), "cannot join network of a non running container: web")
	require.NoError(t, web.initializeNetworking())
	web.State.SetRunning(4242)
	require.NoError(t, joiner.initializeNetworking())
	assert.Equal(t, web.HostsPath, joiner.HostsPath)
	assert.Equal(t, "web", joiner.Config.Hostname)
	assert.Equal(t, "", joiner.NetworkSettings.IPAddress)
	en, err = joiner.networkForCommand()
	require.NoError(t, err)
	assert.Equal(t, web.ID, en.ContainerID)

	lost := netContainer(t, d, "lost", nil, &runconfig.HostConfig{NetworkMode: "container:nobody"})
	assert.EqualError(t, lost.initializeNetworking(), "no such container to join network: nobody")

	odd := netContainer(t, d, "odd", nil, &runconfig.HostConfig{NetworkMode: "bogus"})
	_, err = odd.networkForCommand()
	assert.EqualError(t, err, "invalid network mode: bogus")
	web.releaseNetwork()
}

func TestNetworkDaemonWithoutNetwork(t *testing.T) {
	d, h := netDaemon(t, "", func(c *Config) { c.BridgeIface = "none" })
	c := netContainer(t, d, "c", &runconfig.Config{Hostname: "c", ExposedPorts: nat.PortSet{"80/tcp": {}}}, nil)
	require.NoError(t, c.initializeNetworking())
	assert.True(t, c.Config.NetworkDisabled)
	assert.True(t, strings.HasPrefix(readFile(t, c.HostsPath), "127.0.1.1\tc\n"))
	en, err := c.networkForCommand()
	require.NoError(t, err)
	assert.Nil(t, en.Interface)
	c.releaseNetwork() // no release_interface job exists: nothing is run
	_, err = h.Root().LinkByName("docker0")
	assert.ErrorIs(t, err, backend.ErrNotFound)
}

func TestNetworkLinksWithoutICC(t *testing.T) {
	d, h := netDaemon(t, "10.74.0.1/24", func(c *Config) { c.InterContainerCommunication = false })
	assert.Contains(t, rules(t, h), "-A FORWARD -i docker0 -o docker0 -j DROP")

	db := netContainer(t, d, "db", &runconfig.Config{Hostname: "db",
		ExposedPorts: nat.PortSet{"5432/tcp": {}}, Env: []string{"PG_VERSION=9.3"}}, nil)
	require.NoError(t, db.initializeNetworking())

	web := netContainer(t, d, "web", &runconfig.Config{Hostname: "web"},
		&runconfig.HostConfig{NetworkMode: "bridge", Links: []string{"db:db"}})
	require.NoError(t, d.RegisterLinks(web, web.hostConfig))
	assert.Nil(t, web.hostConfig.Links, "the links now live in graphdb")
	require.NoError(t, web.initializeNetworking())

	// The child must be running.
	_, err := web.setupLinkedContainers()
	assert.EqualError(t, err, "Cannot link to a non running container: /db AS /web/db")
	assert.NotContains(t, rules(t, h), "--dport 5432")

	db.State.SetRunning(100)
	env, err := web.setupLinkedContainers()
	require.NoError(t, err)
	assert.Equal(t, []string{
		"DB_PORT=tcp://10.74.0.2:5432",
		"DB_PORT_5432_TCP=tcp://10.74.0.2:5432",
		"DB_PORT_5432_TCP_ADDR=10.74.0.2",
		"DB_PORT_5432_TCP_PORT=5432",
		"DB_PORT_5432_TCP_PROTO=tcp",
		"DB_NAME=/web/db",
		"DB_ENV_PG_VERSION=9.3",
	}, env)
	assert.Contains(t, readFile(t, web.HostsPath), "10.74.0.2\tdb\n", "the alias resolves inside web")

	// Exactly the linked port, both ways, above the DROP.
	dump := rules(t, h)
	assert.Contains(t, dump, "-A FORWARD -s 10.74.0.3/32 -d 10.74.0.2/32 -i docker0 -o docker0 -p tcp -m tcp --dport 5432 -j ACCEPT")
	assert.Contains(t, dump, "-A FORWARD -s 10.74.0.2/32 -d 10.74.0.3/32 -i docker0 -o docker0 -p tcp -m tcp --sport 5432 -j ACCEPT")
	assert.Less(t, strings.Index(dump, "--dport 5432"), strings.Index(dump, "-j DROP"))
	assert.Equal(t, 2, strings.Count(dump, "5432"))

	// Stop web: its links and address go; db's stay.
	web.disableActiveLinks()
	web.releaseNetwork()
	dump = rules(t, h)
	assert.NotContains(t, dump, "5432")
	assert.NotContains(t, dump, "10.74.0.3")

	// DisableLink by alias (delete -l /web/db).
	require.NoError(t, web.initializeNetworking())
	_, err = web.setupLinkedContainers()
	require.NoError(t, err)
	require.Contains(t, rules(t, h), "5432")
	web.DisableLink("db")
	assert.NotContains(t, rules(t, h), "5432")
	web.DisableLink("db") // twice is fine
	web.releaseNetwork()
	db.releaseNetwork()
	assert.NotRegexp(t, `10\.74\.0\.\d+/32`, rules(t, h), "rm leaves no rule")
}

func TestNetworkRestoreReservesAddressAndPorts(t *testing.T) {
	d, h := netDaemon(t, "10.75.0.1/24", nil)
	c := netContainer(t, d, "c", &runconfig.Config{ExposedPorts: nat.PortSet{"80/tcp": {}}},
		&runconfig.HostConfig{NetworkMode: "bridge", PublishAllPorts: true})
	require.NoError(t, c.initializeNetworking())
	saved := *c.NetworkSettings
	ip, port := saved.IPAddress, saved.Ports["80/tcp"][0].HostPort

	// The daemon restarts: a new process would hold nothing, and
	// InitDriver rebuilds an empty DOCKER chain.
	require.NoError(t, d.eng.Job("release_interface", c.ID).Run())
	eng := newEngine(t)
	config := *d.config
	config.Pidfile = ""
	config.Root = t.TempDir() // the containers on disk are not what this test is about
	d2, err := NewDaemon(&config, eng)
	require.NoError(t, err)
	t.Cleanup(eng.Shutdown)
	assert.NotContains(t, rules(t, h), "DNAT")

	// The dead daemon's FORWARD rule for the published port is still
	// there: nothing flushes FORWARD.
	stale := []string{"!", "-i", "docker0", "-o", "docker0", "-p", "tcp", "-d", ip, "--dport", "80", "-j", "ACCEPT"}
	require.NoError(t, h.Root().IPTables().Insert("filter", "FORWARD", 1, stale...))

	c.daemon = d2
	c.NetworkSettings = &saved
	require.NoError(t, c.restoreNetwork())
	forward := "-A FORWARD -d " + ip + "/32 ! -i docker0 -o docker0 -p tcp -m tcp --dport 80 -j ACCEPT"
	assert.Equal(t, 1, strings.Count(rules(t, h), forward), "one copy of the port's FORWARD rule")
	assert.Equal(t, ip, c.NetworkSettings.IPAddress)
	assert.Equal(t, port, c.NetworkSettings.Ports["80/tcp"][0].HostPort)
	assert.Contains(t, rules(t, h), "--dport "+port+" -j DNAT --to-destination "+ip+":80")

	// Nobody new gets them.
	job := eng.Job("allocate_interface", "newcomer")
	job.Setenv("RequestedIP", ip)
	assert.ErrorContains(t, job.Run(), "ip already allocated")
	require.NoError(t, eng.Job("allocate_interface", "newcomer").Run())
	job = eng.Job("allocate_port", "newcomer")
	job.Setenv("HostPort", port)
	job.Setenv("ContainerPort", "80")
	job.Setenv("Proto", "tcp")
	assert.ErrorContains(t, job.Run(), "port is already allocated")

	// Restoring a stopped or address-less container does nothing.
	idle := netContainer(t, d2, "idle", nil, nil)
	require.NoError(t, idle.restoreNetwork())
	assert.Equal(t, "", idle.NetworkSettings.IPAddress)
	c.releaseNetwork()
	require.NoError(t, eng.Job("release_interface", "newcomer").Run())
	assert.NotContains(t, rules(t, h), forward, "released: no copy left")
}

func TestNetworkManyContainersAtOnce(t *testing.T) {
	d, h := netDaemon(t, "10.76.0.1/16", nil)
	const n = 100
	cs := make([]*Container, n)
	for i := range cs {
		cs[i] = netContainer(t, d, fmt.Sprintf("c%d", i), &runconfig.Config{ExposedPorts: nat.PortSet{"80/tcp": {}}},
			&runconfig.HostConfig{NetworkMode: "bridge", PortBindings: nat.PortMap{"80/tcp": {{}}}})
	}
	var wg sync.WaitGroup
	errs := make([]error, n)
	for i, c := range cs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = c.initializeNetworking()
		}()
	}
	wg.Wait()
	ips, ports := map[string]bool{}, map[string]bool{}
	_, bridgeNet, _ := net.ParseCIDR("10.76.0.0/16")
	for i, c := range cs {
		require.NoError(t, errs[i])
		ip := c.NetworkSettings.IPAddress
		assert.True(t, bridgeNet.Contains(net.ParseIP(ip)), ip)
		ips[ip] = true
		ports[c.NetworkSettings.Ports["80/tcp"][0].HostPort] = true
	}
	assert.Len(t, ips, n, "unique addresses")
	assert.Len(t, ports, n, "unique host ports")
	assert.Equal(t, n, strings.Count(rules(t, h), "-j DNAT"))

	for i, c := range cs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			cs[i].releaseNetwork()
			_ = c
		}()
	}
	wg.Wait()
	assert.NotContains(t, rules(t, h), "DNAT")
	assert.NotContains(t, rules(t, h), "/32")
}

func TestNetworkLegacyPortSpecs(t *testing.T) {
	d, _ := netDaemon(t, "10.77.0.1/24", nil)
	c := netContainer(t, d, "old", &runconfig.Config{PortSpecs: []string{"8080:80"}}, nil)
	require.NoError(t, c.initializeNetworking())
	assert.Nil(t, c.Config.PortSpecs)
	assert.Contains(t, c.Config.ExposedPorts, nat.Port("80/tcp"))
	assert.Equal(t, nat.PortMap{"80/tcp": {{HostIp: "0.0.0.0", HostPort: "8080"}}}, c.NetworkSettings.Ports)
	c.releaseNetwork()
}

func TestPortMappingAPINil(t *testing.T) {
	var ns *NetworkSettings
	assert.Equal(t, 0, ns.PortMappingAPI().Len())
	assert.IsType(t, &engine.Table{}, (&NetworkSettings{}).PortMappingAPI())
}

func TestRegisterLinksByNameNotIDPrefix(t *testing.T) {
	d, _ := netDaemon(t, "10.79.0.1/24", nil)
	db := netContainerID(t, d, "ab"+strings.Repeat("0", 62), "db", nil, nil)
	// web's id starts with "db": Get("db") would find web by prefix and
	// link it to itself; links name containers by name only.
	web := netContainerID(t, d, "db"+strings.Repeat("0", 62), "web", nil,
		&runconfig.HostConfig{NetworkMode: "bridge", Links: []string{"db:db"}})
	require.Same(t, web, d.Get("db"), "the prefix wins in Get")
	require.NoError(t, d.RegisterLinks(web, web.hostConfig))
	children, err := d.Children("/web")
	require.NoError(t, err)
	require.Len(t, children, 1)
	assert.Same(t, db, children["/web/db"])
	assert.EqualError(t, d.RegisterLinks(web, &runconfig.HostConfig{Links: []string{"nobody:x"}}), "Could not find entity for nobody")
}

func TestNetworkScrubAfterDaemonCrash(t *testing.T) {
	d, h := netDaemon(t, "10.90.0.1/24", nil)
	scrubAfterCrash(t, d, h)
}

// scrubAfterCrash runs on a daemon whose bridge is 10.90.0.1/24.
func scrubAfterCrash(t *testing.T, d *Daemon, h backend.Host) {
	before := rules(t, h)
	// What a daemon killed with -9 leaves in FORWARD for a container at
	// 10.90.0.7 publishing 80 and linked to one at 10.90.0.8 (the new
	// daemon's InitDriver already emptied the DOCKER chain).
	ipt := h.Root().IPTables()
	stale := [][]string{
		{"!", "-i", "docker0", "-o", "docker0", "-p", "tcp", "-d", "10.90.0.7", "--dport", "80", "-j", "ACCEPT"},
		{"-i", "docker0", "-o", "docker0", "-p", "tcp", "-s", "10.90.0.8", "--dport", "5432", "-d", "10.90.0.7", "-j", "ACCEPT"},
		{"-i", "docker0", "-o", "docker0", "-p", "tcp", "-s", "10.90.0.7", "--sport", "5432", "-d", "10.90.0.8", "-j", "ACCEPT"},
	}
	for _, r := range stale {
		require.NoError(t, ipt.Insert("filter", "FORWARD", 1, r...))
	}
	// Someone else's rule on another address stays.
	require.NoError(t, ipt.Insert("filter", "FORWARD", 1, "-d", "10.90.0.70", "-j", "ACCEPT"))

	c := netContainer(t, d, "crashed", nil, nil)
	c.NetworkSettings = &NetworkSettings{IPAddress: "10.90.0.7", IPPrefixLen: 24, Gateway: "10.90.0.1", Bridge: "docker0",
		Ports: nat.PortMap{"80/tcp": {{HostIp: "0.0.0.0", HostPort: "49153"}}}}
	require.NoError(t, c.scrubNetwork())
	assert.Equal(t, &NetworkSettings{}, c.NetworkSettings)
	after := rules(t, h)
	assert.NotContains(t, after, "10.90.0.7/32")
	assert.Contains(t, after, "-A FORWARD -d 10.90.0.70/32 -j ACCEPT")
	require.NoError(t, ipt.Delete("filter", "FORWARD", "-d", "10.90.0.70", "-j", "ACCEPT"))
	assert.Equal(t, before, rules(t, h))

	// A container that never had an address: nothing to do.
	idle := netContainer(t, d, "idle", nil, nil)
	require.NoError(t, idle.scrubNetwork())
}
