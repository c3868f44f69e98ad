// Tests of two exercises of chapter 7, through the bridge driver's jobs:
//   - ch07.allocate-port (the "allocate_port" job: the DNAT and FORWARD
//     rules of iptables.Chain.Forward, and portmapper.Map's rules, table
//     entry and userland proxy): `dockerlab lab check ch07.allocate-port`,
//     or `go test ./v1_2/daemon/networkdriver/bridge -run
//     TestCh07AllocatePort`;
//   - ch07.links (the "link" job's FORWARD rules, LinkContainers; the
//     variables are tested in v1_2/links): `dockerlab lab check
//     ch07.links`, or `go test ./v1_2/daemon/networkdriver/bridge -run
//     TestCh07Links`.
//
// They run on the kernel lab check chose (labtest.Host): the fake by
// default, the real one with --backend linux.
package bridge

import (
	"fmt"
	"net"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dockerlab/dockerlab/backend"
	"github.com/dockerlab/dockerlab/backend/fake"
	"github.com/dockerlab/dockerlab/backend/linux/linuxtest"
	"github.com/dockerlab/dockerlab/lab/labtest"
	"github.com/dockerlab/dockerlab/v1_2/daemon/networkdriver/portmapper"
	"github.com/dockerlab/dockerlab/v1_2/engine"
	"github.com/dockerlab/dockerlab/v1_2/pkg/iptables"
)

// labProxies records the userland proxies Map starts and stops; a proxy
// whose host port is in fail refuses to start.
type labProxies struct {
	running map[string]bool // "tcp 0.0.0.0:49153 -> 172.17.0.2:80" → running
	fail    map[int]bool
}

type labProxy struct {
	set  *labProxies
	name string
	port int
}

func (p *labProxy) Start() error {
	if p.set.fail[p.port] {
		return fmt.Errorf("listen on port %d: address already in use", p.port)
	}
	p.set.running[p.name] = true
	return nil
}

func (p *labProxy) Stop() error {
	delete(p.set.running, p.name)
	return nil
}

// labRecordProxies makes portmapper start recording proxies for the test.
func labRecordProxies(t *testing.T) *labProxies {
	t.Helper()
	set := &labProxies{running: map[string]bool{}, fail: map[int]bool{}}
	old := portmapper.NewProxy
	portmapper.NewProxy = func(proto string, hostIP net.IP, hostPort int, containerIP net.IP, containerPort int) portmapper.UserlandProxy {
		name := fmt.Sprintf("%s %s -> %s", proto, net.JoinHostPort(hostIP.String(), fmt.Sprint(hostPort)), net.JoinHostPort(containerIP.String(), fmt.Sprint(containerPort)))
		return &labProxy{set: set, name: name, port: hostPort}
	}
	t.Cleanup(func() { portmapper.NewProxy = old })
	return set
}

// labDaemon starts the bridge driver on h as a daemon does (docker0,
// 172.17.42.1/16, the DOCKER chain) and gives container c1 an address,
// released again at the end of the test (the address allocator's state
// is the package's: the next test asks for the same address).
func labDaemon(t *testing.T, h backend.Host) *engine.Engine {
	t.Helper()
	useHost(t, h)
	eng, err := runInit(t, initEnv())
	require.NoError(t, err, "init_networkdriver")
	out, err := run(t, eng, "allocate_interface", []string{"c1"}, "RequestedIP", "172.17.0.2")
	require.NoError(t, err, "allocate_interface")
	require.Equal(t, "172.17.0.2", out.Get("IP"))
	t.Cleanup(func() { labRelease(t, eng) })
	return eng
}

// labRelease is release_interface c1, when c1 still has an address.
func labRelease(t *testing.T, eng *engine.Engine) {
	if currentInterfaces.Get("c1") != nil {
		run(t, eng, "release_interface", []string{"c1"})
	}
}

// labPublish runs allocate_port for c1 and returns HostIP:HostPort.
func labPublish(t *testing.T, eng *engine.Engine, kv ...string) (string, error) {
	t.Helper()
	out, err := run(t, eng, "allocate_port", []string{"c1"}, kv...)
	if err != nil {
		return "", err
	}
	return net.JoinHostPort(out.Get("HostIP"), out.Get("HostPort")), nil
}

// `docker run -p 80`: a port of the dynamic range on every address. The
// DNAT rule in DOCKER sends it to the container (but not traffic coming
// from docker0 itself); the FORWARD rule, inserted first, lets it into
// the bridge; a userland proxy serves what DNAT cannot see (the host's own
// connections over loopback).
func TestCh07AllocatePort(t *testing.T) {
	h := labtest.Host(t)
	proxies := labRecordProxies(t)
	eng := labDaemon(t, h)
	host, err := labPublish(t, eng, "HostPort", "0", "ContainerPort", "80", "Proto", "tcp")
	require.NoError(t, err)
	assert.Equal(t, "0.0.0.0:49153", host, "the first port of the dynamic range, on every address")
	assert.Equal(t, []string{
		"-A DOCKER ! -i docker0 -p tcp -m tcp --dport 49153 -j DNAT --to-destination 172.17.0.2:80",
	}, labRules(t, h, "nat", "DOCKER"), `DNAT of host port 49153 to the container's 80, for packets not coming from docker0; any destination is "0/0" (not 0.0.0.0, which would be one address)`)
	assert.Equal(t, "-A FORWARD -d 172.17.0.2/32 ! -i docker0 -o docker0 -p tcp -m tcp --dport 80 -j ACCEPT",
		labRules(t, h, "filter", "FORWARD")[0], "the FORWARD ACCEPT into the bridge for the container's port, inserted (-I) at the top")
	assert.Equal(t, map[string]bool{"tcp 0.0.0.0:49153 -> 172.17.0.2:80": true}, proxies.running, "Map starts the userland proxy for the mapping")
}

// -p 127.0.0.1:8053:53/udp: one address, an explicit port, udp.
func TestCh07AllocatePort_HostIPUdp(t *testing.T) {
	h := labtest.Host(t)
	proxies := labRecordProxies(t)
	eng := labDaemon(t, h)
	host, err := labPublish(t, eng, "HostIP", "127.0.0.1", "HostPort", "8053", "ContainerPort", "53", "Proto", "udp")
	require.NoError(t, err)
	assert.Equal(t, "127.0.0.1:8053", host)
	assert.Equal(t, []string{
		"-A DOCKER -d 127.0.0.1/32 ! -i docker0 -p udp -m udp --dport 8053 -j DNAT --to-destination 172.17.0.2:53",
	}, labRules(t, h, "nat", "DOCKER"), "the DNAT rule matches only the host address asked for")
	assert.Equal(t, "-A FORWARD -d 172.17.0.2/32 ! -i docker0 -o docker0 -p udp -m udp --dport 53 -j ACCEPT",
		labRules(t, h, "filter", "FORWARD")[0])
	assert.Equal(t, map[string]bool{"udp 127.0.0.1:8053 -> 172.17.0.2:53": true}, proxies.running)
}

// The FORWARD rule must go before what the machine already had in
// FORWARD (a firewall's final DROP), or published ports are unreachable.
func TestCh07AllocatePort_BeforeExistingRules(t *testing.T) {
	h := labtest.Host(t)
	labRecordProxies(t)
	eng := labDaemon(t, h)
	require.NoError(t, h.Root().IPTables().Append("filter", "FORWARD", "-j", "DROP"))
	_, err := labPublish(t, eng, "HostPort", "0", "ContainerPort", "80", "Proto", "tcp")
	require.NoError(t, err)
	rules := labRules(t, h, "filter", "FORWARD")
	assert.Equal(t, "-A FORWARD -d 172.17.0.2/32 ! -i docker0 -o docker0 -p tcp -m tcp --dport 80 -j ACCEPT", rules[0], "inserted (-I), not appended")
	assert.Equal(t, "-A FORWARD -j DROP", rules[len(rules)-1])
}

// release_interface unmaps: the proxy stops, both rules go, the port is
// free again.
func TestCh07AllocatePort_Release(t *testing.T) {
	h := labtest.Host(t)
	proxies := labRecordProxies(t)
	eng := labDaemon(t, h)
	before := labRules(t, h, "filter", "FORWARD")
	_, err := labPublish(t, eng, "HostPort", "8080", "ContainerPort", "80", "Proto", "tcp")
	require.NoError(t, err)
	_, err = run(t, eng, "release_interface", []string{"c1"})
	require.NoError(t, err)
	assert.Empty(t, labRules(t, h, "nat", "DOCKER"), "the DNAT rule is deleted (-D: the same rule)")
	assert.Equal(t, before, labRules(t, h, "filter", "FORWARD"), "the FORWARD rule is deleted (-D, not -I)")
	assert.Empty(t, proxies.running, "the proxy is stopped")

	_, err = run(t, eng, "allocate_interface", []string{"c1"}, "RequestedIP", "172.17.0.2")
	require.NoError(t, err)
	_, err = labPublish(t, eng, "HostPort", "8080", "ContainerPort", "80", "Proto", "tcp")
	assert.NoError(t, err, "the host port was given back")
}

// A proxy that cannot start (its port is taken by someone else) undoes
// the mapping: no rule, no table entry, the port given back.
func TestCh07AllocatePort_ProxyFails(t *testing.T) {
	h := labtest.Host(t)
	proxies := labRecordProxies(t)
	eng := labDaemon(t, h)
	before := labRules(t, h, "filter", "FORWARD")
	proxies.fail[8080] = true
	_, err := labPublish(t, eng, "HostPort", "8080", "ContainerPort", "80", "Proto", "tcp")
	require.Error(t, err, "the proxy's failure is the job's")
	assert.Contains(t, err.Error(), "address already in use")
	assert.Empty(t, labRules(t, h, "nat", "DOCKER"), "the DNAT rule is taken back")
	assert.Equal(t, before, labRules(t, h, "filter", "FORWARD"), "the FORWARD rule is taken back")

	proxies.fail[8080] = false
	host, err := labPublish(t, eng, "HostPort", "8080", "ContainerPort", "80", "Proto", "tcp")
	require.NoError(t, err, "neither the port nor the mapping table keeps the failed attempt")
	assert.Equal(t, "0.0.0.0:8080", host)
	assert.Equal(t, map[string]bool{"tcp 0.0.0.0:8080 -> 172.17.0.2:80": true}, proxies.running)
}

// A rule that cannot be added fails the job: Forward returns iptables'
// error, and Map gives the port back.
func TestCh07AllocatePort_RuleFails(t *testing.T) {
	h := labtest.Host(t)
	labRecordProxies(t)
	eng := labDaemon(t, h)
	portmapper.SetIptablesChain(&iptables.Chain{Name: "NOSUCH", Bridge: "docker0"})
	_, err := labPublish(t, eng, "HostPort", "8080", "ContainerPort", "80", "Proto", "tcp")
	require.Error(t, err, "a DNAT rule in a chain that does not exist cannot be added")
	assert.Contains(t, err.Error(), "No chain/target/match by that name", "iptables' error comes back as the job's")
	assert.Len(t, labRules(t, h, "filter", "FORWARD"), 3, "…and no FORWARD rule was added either (only setupIPTables' three are there)")
	portmapper.SetIptablesChain(&iptables.Chain{Name: "DOCKER", Bridge: "docker0"})
	_, err = labPublish(t, eng, "HostPort", "8080", "ContainerPort", "80", "Proto", "tcp")
	assert.NoError(t, err, "the port was given back after the failure")
}

// On the real kernel (lab check --backend linux, as root), the tables are
// what the fake kernel shows, dump for dump.
func TestCh07AllocatePort_LinuxParity(t *testing.T) {
	real := linuxtest.NewHost(t) // skips, saying why, unless root on Linux
	labRecordProxies(t)
	var dumps []string
	for _, h := range []backend.Host{real, fake.NewBare()} {
		eng := labDaemon(t, h)
		_, err := labPublish(t, eng, "HostPort", "0", "ContainerPort", "80", "Proto", "tcp")
		require.NoError(t, err)
		_, err = labPublish(t, eng, "HostIP", "127.0.0.1", "HostPort", "8053", "ContainerPort", "53", "Proto", "udp")
		require.NoError(t, err)
		dump, err := h.Root().IPTables().Save()
		require.NoError(t, err)
		dumps = append(dumps, dump)
		labRelease(t, eng)
	}
	assert.Equal(t, dumps[1], dumps[0])
}

// labLinkDaemon starts the bridge driver with --icc=false, where only the
// links open the bridge between two containers.
func labLinkDaemon(t *testing.T, h backend.Host) *engine.Engine {
	t.Helper()
	useHost(t, h)
	eng, err := runInit(t, initEnv("InterContainerCommunication", "false"))
	require.NoError(t, err, "init_networkdriver")
	return eng
}

// labLink runs `link ACTION` for web (172.17.0.6) linked to db
// (172.17.0.5), which exposes ports.
func labLink(t *testing.T, eng *engine.Engine, action string, ignoreErrors bool, ports ...string) error {
	t.Helper()
	list := "["
	for i, p := range ports {
		if i > 0 {
			list += ","
		}
		list += fmt.Sprintf("%q", p)
	}
	list += "]"
	ignore := "false"
	if ignoreErrors {
		ignore = "true"
	}
	_, err := run(t, eng, "link", []string{action}, "ParentIP", "172.17.0.6", "ChildIP", "172.17.0.5", "Ports", list, "IgnoreErrors", ignore)
	return err
}

// `link -I` opens exactly the child's exposed ports between the two
// containers, both ways: the parent to the child's port, and the child's
// answers from it. Each rule is inserted at the top of FORWARD, before
// --icc=false's DROP.
func TestCh07Links_Forward(t *testing.T) {
	h := labtest.Host(t)
	eng := labLinkDaemon(t, h)
	require.NoError(t, labLink(t, eng, "-I", false, "5432/tcp", "53/udp"))
	rules := labRules(t, h, "filter", "FORWARD")
	require.GreaterOrEqual(t, len(rules), 4)
	assert.Equal(t, []string{
		"-A FORWARD -s 172.17.0.5/32 -d 172.17.0.6/32 -i docker0 -o docker0 -p udp -m udp --sport 53 -j ACCEPT",
		"-A FORWARD -s 172.17.0.6/32 -d 172.17.0.5/32 -i docker0 -o docker0 -p udp -m udp --dport 53 -j ACCEPT",
		"-A FORWARD -s 172.17.0.5/32 -d 172.17.0.6/32 -i docker0 -o docker0 -p tcp -m tcp --sport 5432 -j ACCEPT",
		"-A FORWARD -s 172.17.0.6/32 -d 172.17.0.5/32 -i docker0 -o docker0 -p tcp -m tcp --dport 5432 -j ACCEPT",
	}, rules[:4], "per port, in the order of Ports: parent → child's port, then child's port → parent; each inserted (-I) on top, so the list reads backwards")
	assert.Contains(t, rules, "-A FORWARD -i docker0 -o docker0 -j DROP", "--icc=false's DROP is still there, below the link's rules")
}

// `link -D` deletes the same rules; a second -D fails unless errors are
// ignored (what Disable asks for, as the rules may already be gone).
func TestCh07Links_Delete(t *testing.T) {
	h := labtest.Host(t)
	eng := labLinkDaemon(t, h)
	before := labRules(t, h, "filter", "FORWARD")
	require.NoError(t, labLink(t, eng, "-I", false, "80/tcp"))
	require.NoError(t, labLink(t, eng, "-D", false, "80/tcp"))
	assert.Equal(t, before, labRules(t, h, "filter", "FORWARD"), "-D removes what -I added (the action is iptables' own flag)")
	assert.Error(t, labLink(t, eng, "-D", false, "80/tcp"), "deleting rules that are not there fails")
	assert.NoError(t, labLink(t, eng, "-D", true, "80/tcp"), "…unless IgnoreErrors is set")
}

// A port that is not PORT/PROTO is refused, naming it.
func TestCh07Links_BadPort(t *testing.T) {
	h := labtest.Host(t)
	eng := labLinkDaemon(t, h)
	before := labRules(t, h, "filter", "FORWARD")
	err := labLink(t, eng, "-I", false, "80")
	require.Error(t, err)
	assert.Contains(t, err.Error(), `"80"`, "the error names the bad port")
	assert.Equal(t, before, labRules(t, h, "filter", "FORWARD"), "nothing was added")
}

// On the real kernel (lab check --backend linux, as root), FORWARD is what
// the fake kernel shows, dump for dump.
func TestCh07Links_LinuxParity(t *testing.T) {
	real := linuxtest.NewHost(t) // skips, saying why, unless root on Linux
	var dumps []string
	for _, h := range []backend.Host{real, fake.NewBare()} {
		eng := labLinkDaemon(t, h)
		require.NoError(t, labLink(t, eng, "-I", false, "5432/tcp", "53/udp"))
		dump, err := h.Root().IPTables().Save()
		require.NoError(t, err)
		dumps = append(dumps, dump)
	}
	assert.Equal(t, dumps[1], dumps[0])
}
