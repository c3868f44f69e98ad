// Tests for driver.go and handlers.go on the fake kernel. Upstream's only
// test (bridge/driver_test.go, TestAllocatePortDetection) needed root and
// changed the host's network; its check is part of scenario().
package bridge

import (
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/dockerlab/dockerlab/backend"
	"github.com/dockerlab/dockerlab/backend/fake"
	"github.com/dockerlab/dockerlab/v1_2/pkg/iptables"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestScenarioFakeBare(t *testing.T) { scenario(t, fake.NewBare()) }

// fake.New looks like a VM: eth0 10.0.2.15/24 and a default route, which
// must not stop docker0 from taking 172.17.42.1/16.
func TestScenarioFakeVM(t *testing.T) { scenario(t, fake.New()) }

// recordArgv wraps the current iptables runner (set by useHost) so the
// test sees every argv.
func recordArgv(t *testing.T) *[]string {
	var calls []string
	var inner iptables.Runner
	inner = iptables.SetRunner(func(args ...string) ([]byte, error) {
		calls = append(calls, strings.Join(args, " "))
		return inner(args...)
	})
	t.Cleanup(func() { iptables.SetRunner(inner) })
	return &calls
}

func TestInitDriverArgv(t *testing.T) {
	useHost(t, fake.NewBare())
	calls := recordArgv(t)
	_, err := runInit(t, initEnv())
	require.NoError(t, err)
	assert.Equal(t, []string{
		"-C POSTROUTING -t nat -s 172.17.42.1/16 ! -o docker0 -j MASQUERADE",
		"-I POSTROUTING -t nat -s 172.17.42.1/16 ! -o docker0 -j MASQUERADE",
		"-D FORWARD -i docker0 -o docker0 -j DROP",
		"-C FORWARD -i docker0 -o docker0 -j ACCEPT",
		"-I FORWARD -i docker0 -o docker0 -j ACCEPT",
		"-C FORWARD -i docker0 ! -o docker0 -j ACCEPT",
		"-I FORWARD -i docker0 ! -o docker0 -j ACCEPT",
		"-C FORWARD -o docker0 -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT",
		"-I FORWARD -o docker0 -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT",
		"-t nat -D PREROUTING -m addrtype --dst-type LOCAL -j DOCKER",
		"-t nat -D OUTPUT -m addrtype --dst-type LOCAL ! --dst 127.0.0.0/8 -j DOCKER",
		"-t nat -D OUTPUT -m addrtype --dst-type LOCAL -j DOCKER",
		"-t nat -D PREROUTING -j DOCKER",
		"-t nat -D OUTPUT -j DOCKER",
		"-t nat -F DOCKER",
		"-t nat -X DOCKER",
		"-t nat -N DOCKER",
		"-t nat -A PREROUTING -m addrtype --dst-type LOCAL -j DOCKER",
		"-t nat -A OUTPUT -m addrtype --dst-type LOCAL ! --dst 127.0.0.0/8 -j DOCKER",
	}, *calls)

	// A restart with --icc=false only probes, swaps the icc rule and
	// remakes the DOCKER chain.
	*calls = nil
	_, err = runInit(t, initEnv("InterContainerCommunication", "false"))
	require.NoError(t, err)
	assert.Equal(t, []string{
		"-C POSTROUTING -t nat -s 172.17.42.1/16 ! -o docker0 -j MASQUERADE",
		"-D FORWARD -i docker0 -o docker0 -j ACCEPT",
		"-C FORWARD -i docker0 -o docker0 -j DROP",
		"-I FORWARD -i docker0 -o docker0 -j DROP",
		"-C FORWARD -i docker0 ! -o docker0 -j ACCEPT",
		"-C FORWARD -o docker0 -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT",
	}, (*calls)[:6])
	assert.Len(t, *calls, 6+7+3, "then Remove (7) and NewChain (3)")
}

func TestLinkArgv(t *testing.T) {
	useHost(t, fake.NewBare())
	eng, err := runInit(t, initEnv())
	require.NoError(t, err)
	calls := recordArgv(t)
	_, err = run(t, eng, "link", []string{"-I"}, "ParentIP", "172.17.0.3", "ChildIP", "172.17.0.2",
		"Ports", `["6379/tcp","53/udp"]`)
	require.NoError(t, err)
	assert.Equal(t, []string{
		"-I FORWARD -i docker0 -o docker0 -p tcp -s 172.17.0.3 --dport 6379 -d 172.17.0.2 -j ACCEPT",
		"-I FORWARD -i docker0 -o docker0 -p tcp -s 172.17.0.2 --sport 6379 -d 172.17.0.3 -j ACCEPT",
		"-I FORWARD -i docker0 -o docker0 -p udp -s 172.17.0.3 --dport 53 -d 172.17.0.2 -j ACCEPT",
		"-I FORWARD -i docker0 -o docker0 -p udp -s 172.17.0.2 --sport 53 -d 172.17.0.3 -j ACCEPT",
	}, *calls)

	// Deleting twice fails, unless the caller says to ignore errors.
	for i := 0; i < 2; i++ {
		_, err = run(t, eng, "link", []string{"-D"}, "ParentIP", "172.17.0.3", "ChildIP", "172.17.0.2", "Ports", `["6379/tcp"]`)
		if i == 0 {
			require.NoError(t, err)
		} else {
			require.Error(t, err)
			assert.Contains(t, err.Error(), "iptables failed: iptables -D FORWARD")
		}
	}
	_, err = run(t, eng, "link", []string{"-D"}, "ParentIP", "172.17.0.3", "ChildIP", "172.17.0.2",
		"Ports", `["6379/tcp"]`, "IgnoreErrors", "true")
	assert.NoError(t, err)
}

var dynamicRuns int

func TestAllocateDynamic(t *testing.T) {
	h := fake.NewBare()
	useHost(t, h)
	// A network of this run's own: the allocator's state is global, as
	// upstream's, so earlier allocations on another network do not show.
	dynamicRuns++
	prefix := fmt.Sprintf("10.99.%d.", dynamicRuns)
	eng, err := runInit(t, initEnv("BridgeIP", prefix+"1/24"))
	require.NoError(t, err)
	var got []string
	for _, id := range []string{"a", "b", "c"} {
		out, err := run(t, eng, "allocate_interface", []string{id})
		require.NoError(t, err)
		got = append(got, out.Get("IP"))
		assert.Equal(t, "24", out.Get("IPPrefixLen"))
		assert.Equal(t, "ffffff00", out.Get("Mask"))
	}
	assert.Equal(t, []string{prefix + "2", prefix + "3", prefix + "4"}, got)

	_, err = run(t, eng, "allocate_interface", []string{"d"}, "RequestedIP", prefix+"3")
	assert.EqualError(t, err, "ip already allocated")
}

func TestCreateBridgeAvoidsRoutesAndNameservers(t *testing.T) {
	h := fake.New()
	useHost(t, h)
	_, n172, _ := parseCIDR("172.17.0.0/16")
	require.NoError(t, h.Root().RouteAdd(backend.Route{Dst: n172, Gw: parseIP("10.0.2.2")}))
	require.NoError(t, os.WriteFile(ResolvConfPath, []byte("search lan\nnameserver 10.0.42.53 # dns\nnameserver ::1\n"), 0o644))

	_, err := runInit(t, initEnv())
	require.NoError(t, err)
	addrs, err := h.Root().AddrList("docker0")
	require.NoError(t, err)
	require.Len(t, addrs, 1)
	assert.Equal(t, "10.1.42.1/16", addrs[0].IPNet.String(), "172.17/16 is routed, 10.0/16 holds the nameserver")
}

func TestCreateBridgeNoFreeRange(t *testing.T) {
	h := fake.NewBare()
	useHost(t, h)
	require.NoError(t, h.Root().AddBridge("eth9", 0))
	require.NoError(t, h.Root().LinkSetUp("eth9"))
	for _, c := range []string{"172.16.0.1/12", "10.0.0.1/8", "192.168.0.1/16"} {
		ip, n, _ := parseCIDR(c)
		n.IP = ip
		require.NoError(t, h.Root().AddrAdd("eth9", n))
	}
	_, err := runInit(t, initEnv())
	require.EqualError(t, err, "Could not find a free IP address range for interface 'docker0'. Please configure its address manually and run 'docker -b docker0'")
	_, err = h.Root().LinkByName("docker0")
	assert.ErrorIs(t, err, backend.ErrNotFound, "nothing was made")
}

func TestBridgeIPMismatch(t *testing.T) {
	useHost(t, fake.NewBare())
	_, err := runInit(t, initEnv())
	require.NoError(t, err)
	_, err = runInit(t, initEnv("BridgeIP", "10.0.42.1/16"))
	assert.EqualError(t, err, "bridge ip (172.17.42.1) does not match existing bridge configuration 10.0.42.1")
	_, err = runInit(t, initEnv("BridgeIP", "172.17.42.1/16"))
	assert.NoError(t, err)
}

func TestNamedBridgeMustExist(t *testing.T) {
	h := fake.NewBare()
	useHost(t, h)
	_, err := runInit(t, initEnv("BridgeIface", "br0"))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "br0", "a job error is text: the backend's message names the link")

	require.NoError(t, h.Root().AddBridge("br0", 0))
	ip, n, _ := parseCIDR("192.168.5.1/24")
	n.IP = ip
	require.NoError(t, h.Root().AddrAdd("br0", n))
	eng, err := runInit(t, initEnv("BridgeIface", "br0"))
	require.NoError(t, err)
	out, err := run(t, eng, "allocate_interface", []string{"x"})
	require.NoError(t, err)
	assert.Equal(t, "br0", out.Get("Bridge"))
	assert.Equal(t, "192.168.5.1", out.Get("Gateway"))
}

func TestIptablesDisabled(t *testing.T) {
	h := fake.NewBare()
	useHost(t, h)
	// A DOCKER chain from an earlier run goes even with --iptables=false.
	_, err := iptables.NewChain("DOCKER", "docker0")
	require.NoError(t, err)
	_, err = runInit(t, initEnv("EnableIptables", "false", "EnableIpForward", "false"))
	require.NoError(t, err)
	tables, err := h.Root().IPTables().Save()
	require.NoError(t, err)
	assert.NotContains(t, tables, "DOCKER")
	assert.NotContains(t, tables, "docker0")
	fwd, err := h.Root().Sysctl("net.ipv4.ip_forward")
	require.NoError(t, err)
	assert.Equal(t, "0", fwd)
}

func TestIPForwardFailureIsOnlyAWarning(t *testing.T) {
	h := fake.NewBare()
	useHost(t, h)
	h.FailNext("SetSysctl", backend.Errorf(backend.ErrPermission, 0, "sysctl", "net.ipv4.ip_forward", "read-only /proc/sys"))
	_, err := runInit(t, initEnv())
	assert.NoError(t, err)
}

func TestAddrAddErrorIsChecked(t *testing.T) {
	// Upstream L299 ignored this error.
	h := fake.NewBare()
	useHost(t, h)
	h.FailNext("AddrAdd", backend.Errorf(backend.ErrPermission, 0, "addr add", "docker0", "operation not permitted"))
	_, err := runInit(t, initEnv())
	require.Error(t, err)
	assert.Contains(t, err.Error(), "Unable to add private network")
}

func TestNoHost(t *testing.T) {
	useHost(t, fake.NewBare())
	SetHost(nil)
	_, err := runInit(t, initEnv())
	assert.EqualError(t, err, errNoHost.Error())
}

func TestBadDefaultBindingIP(t *testing.T) {
	useHost(t, fake.NewBare())
	_, err := runInit(t, initEnv("DefaultBindingIP", "localhost"))
	assert.EqualError(t, err, `invalid DefaultBindingIP "localhost": not an IP address`)
}

func TestHandlerBadInput(t *testing.T) {
	useHost(t, fake.NewBare())
	eng, err := runInit(t, initEnv())
	require.NoError(t, err)
	for _, c := range []struct {
		job  string
		args []string
		kv   []string
		want string
	}{
		{"allocate_interface", nil, nil, "Usage: allocate_interface CONTAINER_ID"},
		{"allocate_interface", []string{"x"}, []string{"RequestedIP", "nope"}, `invalid RequestedIP "nope": not an IP address`},
		{"release_interface", nil, nil, "Usage: release_interface CONTAINER_ID"},
		{"release_interface", []string{"ghost"}, nil, "No network information to release for ghost"},
		{"allocate_port", []string{"ghost"}, []string{"Proto", "tcp"}, "No network information for ghost: allocate_interface first"},
		{"link", nil, nil, "Usage: link -I|-A|-D"},
		{"link", []string{"-X"}, nil, `link: unknown action "-X": want -I, -A or -D`},
		{"link", []string{"-I"}, []string{"Ports", `["80"]`}, `link: bad port "80": want PORT/PROTO, e.g. 80/tcp`},
	} {
		_, err := run(t, eng, c.job, c.args, c.kv...)
		assert.EqualError(t, err, c.want, "%s %v", c.job, c.args)
	}

	_, err = run(t, eng, "allocate_interface", []string{"c"}, "RequestedIP", "172.17.0.9")
	require.NoError(t, err)
	_, err = run(t, eng, "allocate_port", []string{"c"}, "Proto", "sctp", "ContainerPort", "80")
	assert.EqualError(t, err, "unsupported address type sctp")
	_, err = run(t, eng, "allocate_port", []string{"c"}, "Proto", "tcp", "ContainerPort", "80", "HostIP", "nope")
	assert.EqualError(t, err, `invalid HostIP "nope": not an IP address`)
	_, err = run(t, eng, "release_interface", []string{"c"})
	require.NoError(t, err)
}

func TestAllocateBeforeInit(t *testing.T) {
	useHost(t, fake.NewBare())
	eng := newEngine()
	require.NoError(t, eng.Register("allocate_interface", Allocate))
	_, err := run(t, eng, "allocate_interface", []string{"c"})
	assert.EqualError(t, err, "network driver not initialised: run init_networkdriver first")
}
