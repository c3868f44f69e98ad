// The daemon's network life, step by step, run the same way on every
// backend (docs/design.md "Parity is the point of the fake"): start, restart,
// toggle --icc, give two containers addresses, publish ports, link them,
// tear it all down. Each step checks iptables-save against a golden text
// taken from iptables-nft 1.8.9 on a real kernel, and the linux test
// (driver_linux_test.go) also compares every dump with the fake's.
package bridge

import (
	"testing"

	"github.com/dockerlab/dockerlab/backend"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The tables after InitDriver with the defaults: note 000 "设置iptables规则"
// (1)-(4) and "创建DOCKER链". Every FORWARD rule went in with -I, so they
// read bottom-up in the order setupIPTables made them.
const goldenInit = `*filter
:INPUT ACCEPT [0:0]
:FORWARD ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
-A FORWARD -o docker0 -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
-A FORWARD -i docker0 ! -o docker0 -j ACCEPT
-A FORWARD -i docker0 -o docker0 -j ACCEPT
COMMIT
*nat
:PREROUTING ACCEPT [0:0]
:INPUT ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
:POSTROUTING ACCEPT [0:0]
:DOCKER - [0:0]
-A PREROUTING -m addrtype --dst-type LOCAL -j DOCKER
-A OUTPUT ! -d 127.0.0.0/8 -m addrtype --dst-type LOCAL -j DOCKER
-A POSTROUTING -s 172.17.0.0/16 ! -o docker0 -j MASQUERADE
COMMIT
`

// After a restart with --icc=false: the ACCEPT was deleted and a DROP
// inserted at the top.
const goldenNoICC = `*filter
:INPUT ACCEPT [0:0]
:FORWARD ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
-A FORWARD -i docker0 -o docker0 -j DROP
-A FORWARD -o docker0 -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
-A FORWARD -i docker0 ! -o docker0 -j ACCEPT
COMMIT
*nat
:PREROUTING ACCEPT [0:0]
:INPUT ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
:POSTROUTING ACCEPT [0:0]
:DOCKER - [0:0]
-A PREROUTING -m addrtype --dst-type LOCAL -j DOCKER
-A OUTPUT ! -d 127.0.0.0/8 -m addrtype --dst-type LOCAL -j DOCKER
-A POSTROUTING -s 172.17.0.0/16 ! -o docker0 -j MASQUERADE
COMMIT
`

// After a restart with --icc=true again: the ACCEPT is back, now on top.
const goldenICCAgain = `*filter
:INPUT ACCEPT [0:0]
:FORWARD ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
-A FORWARD -i docker0 -o docker0 -j ACCEPT
-A FORWARD -o docker0 -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
-A FORWARD -i docker0 ! -o docker0 -j ACCEPT
COMMIT
*nat
:PREROUTING ACCEPT [0:0]
:INPUT ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
:POSTROUTING ACCEPT [0:0]
:DOCKER - [0:0]
-A PREROUTING -m addrtype --dst-type LOCAL -j DOCKER
-A OUTPUT ! -d 127.0.0.0/8 -m addrtype --dst-type LOCAL -j DOCKER
-A POSTROUTING -s 172.17.0.0/16 ! -o docker0 -j MASQUERADE
COMMIT
`

// With c1 (172.17.0.5) publishing 80/tcp on 0.0.0.0:49153 and 53/udp on
// 127.0.0.1:8053, and c2 (172.17.0.6) linked to c1's port 80.
const goldenContainers = `*filter
:INPUT ACCEPT [0:0]
:FORWARD ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
-A FORWARD -s 172.17.0.5/32 -d 172.17.0.6/32 -i docker0 -o docker0 -p tcp -m tcp --sport 80 -j ACCEPT
-A FORWARD -s 172.17.0.6/32 -d 172.17.0.5/32 -i docker0 -o docker0 -p tcp -m tcp --dport 80 -j ACCEPT
-A FORWARD -d 172.17.0.5/32 ! -i docker0 -o docker0 -p udp -m udp --dport 53 -j ACCEPT
-A FORWARD -d 172.17.0.5/32 ! -i docker0 -o docker0 -p tcp -m tcp --dport 80 -j ACCEPT
-A FORWARD -i docker0 -o docker0 -j ACCEPT
-A FORWARD -o docker0 -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
-A FORWARD -i docker0 ! -o docker0 -j ACCEPT
COMMIT
*nat
:PREROUTING ACCEPT [0:0]
:INPUT ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
:POSTROUTING ACCEPT [0:0]
:DOCKER - [0:0]
-A PREROUTING -m addrtype --dst-type LOCAL -j DOCKER
-A OUTPUT ! -d 127.0.0.0/8 -m addrtype --dst-type LOCAL -j DOCKER
-A POSTROUTING -s 172.17.0.0/16 ! -o docker0 -j MASQUERADE
-A DOCKER ! -i docker0 -p tcp -m tcp --dport 49153 -j DNAT --to-destination 172.17.0.5:80
-A DOCKER -d 127.0.0.1/32 ! -i docker0 -p udp -m udp --dport 8053 -j DNAT --to-destination 172.17.0.5:53
COMMIT
`

// scenario runs the whole story on h and returns the normalised full
// dump taken after each step, for the parity check.
func scenario(t *testing.T, h backend.Host) []string {
	useHost(t, h)
	root := h.Root()
	var dumps []string
	snapshot := func(wantTables string) {
		t.Helper()
		tables, err := backend.DumpIPTables(root)
		require.NoError(t, err)
		assert.Equal(t, wantTables, tables)
		full, err := backend.Dump(root)
		require.NoError(t, err)
		dumps = append(dumps, backend.Normalize(full))
	}

	// Start: docker0 made, rules set, forwarding on.
	eng, err := runInit(t, initEnv())
	require.NoError(t, err)
	addrs, err := root.AddrList("docker0")
	require.NoError(t, err)
	require.Len(t, addrs, 1)
	assert.Equal(t, "172.17.42.1/16", addrs[0].IPNet.String())
	link, err := root.LinkByName("docker0")
	require.NoError(t, err)
	assert.Equal(t, backend.KindBridge, link.Kind)
	assert.True(t, link.Up)
	fwd, err := root.Sysctl("net.ipv4.ip_forward")
	require.NoError(t, err)
	assert.Equal(t, "1", fwd)
	assert.Equal(t, "172.17.42.1", eng.Hack_GetGlobalVar("httpapi.bridgeIP").(interface{ String() string }).String())
	snapshot(goldenInit)

	// Restart: nothing is added twice.
	_, err = runInit(t, initEnv())
	require.NoError(t, err)
	snapshot(goldenInit)

	// Restart with --icc=false, then with --icc=true.
	_, err = runInit(t, initEnv("InterContainerCommunication", "false"))
	require.NoError(t, err)
	snapshot(goldenNoICC)
	eng, err = runInit(t, initEnv())
	require.NoError(t, err)
	snapshot(goldenICCAgain)

	// Two containers.
	out, err := run(t, eng, "allocate_interface", []string{"c1"}, "RequestedIP", "172.17.0.5")
	require.NoError(t, err)
	assert.Equal(t, map[string]string{"IP": "172.17.0.5", "Mask": "ffff0000", "Gateway": "172.17.42.1",
		"Bridge": "docker0", "IPPrefixLen": "16"}, out.Map())
	_, err = run(t, eng, "allocate_interface", []string{"c2"}, "RequestedIP", "172.17.0.6")
	require.NoError(t, err)

	out, err = run(t, eng, "allocate_port", []string{"c1"}, "HostPort", "0", "ContainerPort", "80", "Proto", "tcp")
	require.NoError(t, err)
	assert.Equal(t, map[string]string{"HostIP": "0.0.0.0", "HostPort": "49153"}, out.Map())
	out, err = run(t, eng, "allocate_port", []string{"c1"}, "HostIP", "127.0.0.1", "HostPort", "8053", "ContainerPort", "53", "Proto", "udp")
	require.NoError(t, err)
	assert.Equal(t, map[string]string{"HostIP": "127.0.0.1", "HostPort": "8053"}, out.Map())
	// The same explicit host port again fails at once (upstream's
	// TestAllocatePortDetection).
	_, err = run(t, eng, "allocate_port", []string{"c2"}, "HostIP", "127.0.0.1", "HostPort", "8053", "ContainerPort", "53", "Proto", "udp")
	require.EqualError(t, err, "Bind for 127.0.0.1:8053 failed: port is already allocated")

	_, err = run(t, eng, "link", []string{"-I"}, "ParentIP", "172.17.0.6", "ChildIP", "172.17.0.5", "Ports", `["80/tcp"]`)
	require.NoError(t, err)
	snapshot(goldenContainers)

	// Tear down: unlink, release both; the tables are as after start.
	_, err = run(t, eng, "link", []string{"-D"}, "ParentIP", "172.17.0.6", "ChildIP", "172.17.0.5", "Ports", `["80/tcp"]`)
	require.NoError(t, err)
	_, err = run(t, eng, "release_interface", []string{"c1"})
	require.NoError(t, err)
	_, err = run(t, eng, "release_interface", []string{"c2"})
	require.NoError(t, err)
	snapshot(goldenICCAgain)

	// A second release of the same container is an error now.
	_, err = run(t, eng, "release_interface", []string{"c1"})
	assert.EqualError(t, err, "No network information to release for c1")
	return dumps
}
