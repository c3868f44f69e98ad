// Build against a tiny hand-made host: only the methods Build calls are
// implemented (the embedded interfaces are nil, so anything else would
// panic and fail the test loudly).
package netdiagram

import (
	"net"
	"testing"

	"github.com/dockerlab/dockerlab/backend"
	"github.com/stretchr/testify/require"
)

type stubNet struct {
	backend.Net
	ref   backend.NSRef
	links []backend.Link
	addrs []backend.Addr
	fwd   string
}

func (n *stubNet) Ref() backend.NSRef                      { return n.ref }
func (n *stubNet) LinkList() ([]backend.Link, error)       { return n.links, nil }
func (n *stubNet) AddrList(string) ([]backend.Addr, error) { return n.addrs, nil }
func (n *stubNet) Sysctl(string) (string, error)           { return n.fwd, nil }

type stubHost struct {
	backend.Host
	root  *stubNet
	named map[string]*stubNet
	pids  map[int]*stubNet
	procs []backend.ProcInfo
}

func (h *stubHost) Root() backend.Net { return h.root }
func (h *stubHost) ListNetNS() ([]string, error) {
	return []string{"c1"}, nil
}
func (h *stubHost) NetNS(ref backend.NSRef) (backend.Net, error) {
	if ref.Pid != 0 {
		return h.pids[ref.Pid], nil
	}
	return h.named[ref.Name], nil
}
func (h *stubHost) Procs() ([]backend.ProcInfo, error) { return h.procs, nil }

func cidr(s string) *net.IPNet {
	ip, n, _ := net.ParseCIDR(s)
	n.IP = ip
	return n
}

func TestBuildFindsPeersInNamedAndProcessNamespaces(t *testing.T) {
	root := &stubNet{fwd: "1", links: []backend.Link{
		{Index: 1, Name: "lo", Kind: backend.KindLoopback, Up: true},
		{Index: 2, Name: "eth0", Kind: backend.KindDevice, Up: true},
		{Index: 3, Name: "docker0", Kind: backend.KindBridge, Up: true},
		{Index: 5, Name: "vethA", Kind: backend.KindVeth, Up: true, MasterIndex: 3, Master: "docker0", PeerIndex: 4},
		{Index: 7, Name: "vethB", Kind: backend.KindVeth, Up: true, MasterIndex: 3, Master: "docker0", PeerIndex: 6},
		{Index: 8, Name: "vethC", Kind: backend.KindVeth, PeerIndex: 9},
		{Index: 9, Name: "vethD", Kind: backend.KindVeth, PeerIndex: 8},
	}, addrs: []backend.Addr{
		{LinkIndex: 2, LinkName: "eth0", IPNet: cidr("10.0.2.15/24")},
		{LinkIndex: 3, LinkName: "docker0", IPNet: cidr("172.17.42.1/16")},
	}}
	c1 := &stubNet{ref: backend.NSName("c1"), links: []backend.Link{
		{Index: 1, Name: "lo", Kind: backend.KindLoopback},
		{Index: 4, Name: "eth0", Kind: backend.KindVeth, Up: true, PeerIndex: 5},
	}, addrs: []backend.Addr{{LinkIndex: 4, LinkName: "eth0", IPNet: cidr("172.17.0.2/16")}}}
	p42 := &stubNet{ref: backend.NSPid(42), links: []backend.Link{
		// index 4 here too: only the pair (6 ↔ 7) must match vethB.
		{Index: 4, Name: "other", Kind: backend.KindVeth, PeerIndex: 5},
		{Index: 6, Name: "eth0", Kind: backend.KindVeth, Up: true, PeerIndex: 7},
	}, addrs: []backend.Addr{{LinkIndex: 6, LinkName: "eth0", IPNet: cidr("172.17.0.3/16")}}}
	h := &stubHost{root: root, named: map[string]*stubNet{"c1": c1}, pids: map[int]*stubNet{42: p42},
		procs: []backend.ProcInfo{{Pid: 42, OwnNetNS: true, Hostname: "web", State: "running"}}}

	m, err := Build(h, root)
	require.NoError(t, err)
	require.Equal(t, "root", m.Namespace)
	require.Equal(t, "1", m.IPForward)
	require.Equal(t, []Iface{up("eth0", "10.0.2.15/24")}, m.Uplinks)
	require.Len(t, m.Bridges, 1)
	br := m.Bridges[0]
	require.Equal(t, up("docker0", "172.17.42.1/16"), br.Iface)
	require.Len(t, br.Ports, 2)
	require.Equal(t, &Endpoint{Where: "ns c1", Iface: up("eth0", "172.17.0.2/16")}, br.Ports[0].Peer)
	require.Equal(t, &Endpoint{Where: "pid 42 (web)", Iface: up("eth0", "172.17.0.3/16")}, br.Ports[1].Peer)

	// A pair with both ends here: each end finds the other, not itself.
	require.Len(t, m.Loose, 2)
	require.Equal(t, "same namespace", m.Loose[0].Peer.Where)
	require.Equal(t, "vethD", m.Loose[0].Peer.Name)

	golden(t, "built", Draw(m))
}
