// Tests for the dumps (dump.go, dump_procs.go) and Normalize
// (dump_normalize.go), against a hand-filled namespace: the formats are
// pinned here so that both backends, which share this code, print them.
package backend

import (
	"net"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// stubNet answers only the reads the dumps make; the embedded nil Net
// makes any other call panic, which would be a bug in the dumps.
type stubNet struct {
	Net
	links  []Link
	addrs  []Addr
	routes []Route
	save   string
	fwd    string
}

func (s stubNet) Ref() NSRef                      { return NSName("stub") }
func (s stubNet) LinkList() ([]Link, error)       { return s.links, nil }
func (s stubNet) AddrList(string) ([]Addr, error) { return s.addrs, nil }
func (s stubNet) RouteList() ([]Route, error)     { return s.routes, nil }
func (s stubNet) IPTables() IPTables              { return stubTables{save: s.save} }
func (s stubNet) Sysctl(string) (string, error)   { return s.fwd, nil }

type stubTables struct {
	IPTables
	save string
}

func (s stubTables) Save() (string, error) { return s.save, nil }

func cidr(t *testing.T, s string) *net.IPNet {
	ip, n, err := net.ParseCIDR(s)
	require.NoError(t, err)
	n.IP = ip.To4()
	return n
}

func mac(t *testing.T, s string) net.HardwareAddr {
	m, err := net.ParseMAC(s)
	require.NoError(t, err)
	return m
}

// docker12 is the root namespace of the Docker 1.2 picture: docker0 with
// one port, the port's peer moved into a container namespace.
func docker12(t *testing.T) stubNet {
	_, net172, _ := net.ParseCIDR("172.17.0.0/16")
	return stubNet{
		links: []Link{
			{Index: 4, Name: "veth1a", Kind: KindVeth, Up: true, MTU: 1500, HardwareAddr: mac(t, "02:11:22:33:44:55"), Master: "docker0", MasterIndex: 2, PeerIndex: 5, PeerNetNS: "c1"},
			{Index: 1, Name: "lo", Kind: KindLoopback, MTU: 65536},
			{Index: 2, Name: "docker0", Kind: KindBridge, Up: true, MTU: 1500, HardwareAddr: mac(t, "02:42:ac:11:00:01")},
			{Index: 7, Name: "va", Kind: KindVeth, MTU: 1500, HardwareAddr: mac(t, "02:00:00:00:00:07"), PeerIndex: 8},
			{Index: 8, Name: "vb", Kind: KindVeth, MTU: 1500, HardwareAddr: mac(t, "02:00:00:00:00:08"), PeerIndex: 7},
		},
		addrs: []Addr{
			{LinkIndex: 2, LinkName: "docker0", IPNet: cidr(t, "172.17.42.1/16")},
			{LinkIndex: 1, LinkName: "lo", IPNet: cidr(t, "127.0.0.1/8")},
			{LinkIndex: 2, LinkName: "docker0", IPNet: &net.IPNet{IP: net.ParseIP("fe80::1"), Mask: net.CIDRMask(64, 128)}},
		},
		routes: []Route{
			{Dst: net172, LinkIndex: 2, LinkName: "docker0", Src: net.ParseIP("172.17.42.1").To4(), Scope: ScopeLink, Proto: ProtoKernel},
			{Dst: DefaultDst(), Gw: net.ParseIP("172.17.42.9").To4(), LinkIndex: 2, LinkName: "docker0", Scope: ScopeUniverse, Proto: ProtoBoot},
		},
		save: "*filter\n:INPUT ACCEPT [0:0]\nCOMMIT\n",
		fwd:  "1\n",
	}
}

func TestDumpLinks(t *testing.T) {
	out, err := DumpLinks(docker12(t))
	require.NoError(t, err)
	assert.Equal(t, ""+
		"1: lo: <LOOPBACK> mtu 65536\\    link/loopback 00:00:00:00:00:00\n"+
		"2: docker0: <BROADCAST,MULTICAST,UP> mtu 1500\\    link/ether 02:42:ac:11:00:01\n"+
		"4: veth1a@if5: <BROADCAST,MULTICAST,UP> mtu 1500 master docker0\\    link/ether 02:11:22:33:44:55\n"+
		"7: va@vb: <BROADCAST,MULTICAST> mtu 1500\\    link/ether 02:00:00:00:00:07\n"+
		"8: vb@va: <BROADCAST,MULTICAST> mtu 1500\\    link/ether 02:00:00:00:00:08\n", out)
}

func TestDumpAddrs(t *testing.T) {
	out, err := DumpAddrs(docker12(t))
	require.NoError(t, err)
	assert.Equal(t, ""+
		"1: lo    inet 127.0.0.1/8 scope host lo\n"+
		"2: docker0    inet 172.17.42.1/16 brd 172.17.255.255 scope global docker0\n", out)
}

func TestDumpRoutes(t *testing.T) {
	out, err := DumpRoutes(docker12(t))
	require.NoError(t, err)
	assert.Equal(t, ""+
		"default via 172.17.42.9 dev docker0\n"+
		"172.17.0.0/16 dev docker0 proto kernel scope link src 172.17.42.1\n", out)
}

func TestDumpHasEverySection(t *testing.T) {
	out, err := Dump(docker12(t))
	require.NoError(t, err)
	for _, h := range []string{"# ip -o link\n", "# ip -o addr\n", "# ip route\n", "# sysctl net.ipv4.ip_forward\nnet.ipv4.ip_forward = 1\n", "# iptables-save\n*filter\n"} {
		assert.Contains(t, out, h)
	}
}

func TestNormalizeRenumbersAndHidesMACs(t *testing.T) {
	// The same wiring numbered two ways must normalise to the same text.
	real := "" +
		"1: lo: <LOOPBACK> mtu 65536\\    link/loopback 00:00:00:00:00:00\n" +
		"2: docker0: <BROADCAST,MULTICAST,UP> mtu 1500\\    link/ether 4a:1b:2c:3d:4e:5f\n" +
		"3: veth1a@if4: <BROADCAST,MULTICAST,UP> mtu 1500 master docker0\\    link/ether 9e:00:11:22:33:44\n" +
		"2: docker0    inet 172.17.42.1/16 brd 172.17.255.255 scope global docker0\n"
	fake := "" +
		"1: lo: <LOOPBACK> mtu 65536\\    link/loopback 00:00:00:00:00:00\n" +
		"12: docker0: <BROADCAST,MULTICAST,UP> mtu 1500\\    link/ether 02:aa:bb:cc:dd:ee\n" +
		"13: veth1a@if14: <BROADCAST,MULTICAST,UP> mtu 1500 master docker0\\    link/ether 02:ff:ee:dd:cc:bb\n" +
		"12: docker0    inet 172.17.42.1/16 brd 172.17.255.255 scope global docker0\n"
	assert.Equal(t, Normalize(real), Normalize(fake))
	assert.Contains(t, Normalize(fake), "2: docker0: <BROADCAST,MULTICAST,UP> mtu 1500\\    link/ether xx:xx:xx:xx:xx:xx\n")
	assert.Contains(t, Normalize(fake), "3: veth1a@if1: ")
	assert.Contains(t, Normalize(fake), "link/loopback 00:00:00:00:00:00")

	// A real difference survives.
	assert.NotEqual(t, Normalize(real), Normalize(fake+"-A FORWARD -j ACCEPT\n"))
	assert.NotEqual(t, Normalize(real), Normalize(strings.Replace(fake, "mtu 1500 master", "mtu 1400 master", 1)))
}

type stubHost struct {
	Host
	procs []ProcInfo
}

func (s stubHost) Procs() ([]ProcInfo, error) { return s.procs, nil }

func TestDumpProcs(t *testing.T) {
	h := stubHost{procs: []ProcInfo{
		{Pid: 1002, Args: []string{"sleep", "100"}, NetNS: NSName("c1"), State: "running", StartedAt: time.Unix(0, 0)},
		{Pid: 1001, Args: []string{"sh", "-c", "echo hi"}, Hostname: "box1", NetNS: NSPid(1001), OwnNetNS: true, Cgroup: "dockerlab/abc", Rootfs: "/tmp/r", State: "exited"},
	}}
	out, err := DumpProcs(h)
	require.NoError(t, err)
	assert.Equal(t, ""+
		"PID   NETNS     HOSTNAME  CGROUP         STATE    ROOTFS  COMMAND\n"+
		"1001  pid:1001  box1      dockerlab/abc  exited   /tmp/r  sh -c echo hi\n"+
		"1002  c1        -         -              running  -       sleep 100\n", out)
}
