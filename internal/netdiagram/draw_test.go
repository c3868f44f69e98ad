// Golden tests for Draw with hand-built models. Run
// `go test ./internal/netdiagram -update` after a deliberate layout change
// and read the diff of testdata/*.golden.
package netdiagram

import (
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden")

func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name+".golden")
	if *update {
		require.NoError(t, os.WriteFile(path, []byte(got), 0o644))
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err, "run with -update to create it")
	require.Equal(t, string(want), got)
}

func up(name string, addrs ...string) Iface { return Iface{Name: name, Up: true, Addrs: addrs} }

// twoContainers is Docker 1.2's default picture: docker0 with two
// containers, each reached through a veth pair.
func twoContainers() Model {
	return Model{
		Namespace: "root",
		IPForward: "1",
		Bridges: []Bridge{{
			Iface: up("docker0", "172.17.42.1/16"),
			Ports: []Port{
				{Iface: up("veth1a2b3c"), Veth: true, PeerIndex: 7,
					Peer: &Endpoint{Where: "ns c1", Iface: up("eth0", "172.17.0.2/16")}},
				{Iface: up("veth4d5e6f"), Veth: true, PeerIndex: 9,
					Peer: &Endpoint{Where: "pid 4242 (web)", Iface: up("eth0", "172.17.0.3/16", "fe80::1/64")}},
			},
		}},
		Uplinks: []Iface{up("eth0", "10.0.2.15/24")},
	}
}

func TestDrawTwoContainers(t *testing.T) {
	golden(t, "two-containers", Draw(twoContainers()))
}

func TestDrawIsDeterministic(t *testing.T) {
	require.Equal(t, Draw(twoContainers()), Draw(twoContainers()))
}

func TestDrawOddCases(t *testing.T) {
	m := Model{
		Namespace: "sandbox dockerlab",
		IPForward: "0",
		Bridges: []Bridge{
			{Iface: Iface{Name: "lxcbr0"}},
			{Iface: up("br-wide-name", "10.0.0.1/24"), Ports: []Port{
				{Iface: Iface{Name: "vethlost"}, Veth: true, PeerIndex: 12},
				{Iface: up("dummyport")},
				{Iface: up("averyveryverylongname"), Veth: true, PeerIndex: 3,
					Peer: &Endpoint{Where: "same namespace", Iface: Iface{Name: "x"}}},
			}},
		},
		Loose: []Port{
			{Iface: Iface{Name: "vethA"}, Veth: true, PeerIndex: 5,
				Peer: &Endpoint{Where: "ns c1", Iface: Iface{Name: "vethB"}}},
		},
	}
	golden(t, "odd-cases", Draw(m))
}

func TestDrawNoBridge(t *testing.T) {
	m := Model{Namespace: "root", IPForward: "0", Uplinks: []Iface{up("eth0", "10.0.2.15/24")}}
	golden(t, "no-bridge", Draw(m))
}
