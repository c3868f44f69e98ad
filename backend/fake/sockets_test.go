package fake

import (
	"errors"
	"io"
	"net"
	"strings"
	"syscall"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dockerlab/dockerlab/backend"
)

// dockerNet builds what Docker 1.2's bridge driver makes (book ch.7 §7.2,
// note 000): docker0 172.17.42.1/16 in the root, ip_forward on, the nat
// DOCKER chain hooked from PREROUTING and OUTPUT, the FORWARD rules with
// icc on or off; plus one container namespace per name with eth0 on the
// bridge and a default route via 172.17.42.1.
func dockerNet(t *testing.T, k *Kernel, icc bool, containers ...string) {
	t.Helper()
	root := k.Root()
	require.NoError(t, root.AddBridge("docker0", 1500))
	require.NoError(t, root.AddrAdd("docker0", cidr(t, "172.17.42.1/16")))
	require.NoError(t, root.LinkSetUp("docker0"))
	require.NoError(t, root.SetSysctl("net.ipv4.ip_forward", "1"))
	ipt := root.IPTables()
	raw := func(args ...string) {
		_, err := ipt.Raw(args...)
		require.NoError(t, err, "%v", args)
	}
	raw("-t", "nat", "-N", "DOCKER")
	raw("-t", "nat", "-A", "PREROUTING", "-m", "addrtype", "--dst-type", "LOCAL", "-j", "DOCKER")
	raw("-t", "nat", "-A", "OUTPUT", "-m", "addrtype", "--dst-type", "LOCAL", "!", "--dst", "127.0.0.0/8", "-j", "DOCKER")
	raw("-t", "nat", "-I", "POSTROUTING", "-s", "172.17.42.1/16", "!", "-o", "docker0", "-j", "MASQUERADE")
	if icc {
		raw("-I", "FORWARD", "-i", "docker0", "-o", "docker0", "-j", "ACCEPT")
	} else {
		raw("-I", "FORWARD", "-i", "docker0", "-o", "docker0", "-j", "DROP")
	}
	raw("-I", "FORWARD", "-i", "docker0", "!", "-o", "docker0", "-j", "ACCEPT")
	raw("-I", "FORWARD", "-o", "docker0", "-m", "conntrack", "--ctstate", "RELATED,ESTABLISHED", "-j", "ACCEPT")
	for i, name := range containers {
		ns, err := k.NewNetNS(name)
		require.NoError(t, err)
		host := "veth" + name
		require.NoError(t, root.AddVeth(host, "tmp"+name, 1500))
		require.NoError(t, root.LinkSetMaster(host, "docker0"))
		require.NoError(t, root.LinkSetUp(host))
		require.NoError(t, root.LinkSetNs("tmp"+name, backend.NSName(name)))
		require.NoError(t, ns.LinkSetName("tmp"+name, "eth0"))
		require.NoError(t, ns.AddrAdd("eth0", cidr(t, "172.17.0."+string(rune('2'+i))+"/16")))
		require.NoError(t, ns.LinkSetUp("eth0"))
		require.NoError(t, ns.LinkSetUp("lo"))
		require.NoError(t, ns.RouteAdd(backend.Route{Gw: net.ParseIP("172.17.42.1")}))
	}
}

// serve answers every connection with its remote address and closes.
func serve(t *testing.T, l net.Listener) {
	t.Cleanup(func() { l.Close() })
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			io.WriteString(c, "hello from "+c.LocalAddr().String()+" to "+c.RemoteAddr().String()+"\n")
			c.Close()
		}
	}()
}

func fetch(t *testing.T, k *Kernel, from backend.NSRef, addr string) (string, error) {
	t.Helper()
	c, err := k.Dial(from, "tcp", addr)
	if err != nil {
		return "", err
	}
	defer c.Close()
	b, err := io.ReadAll(c)
	require.NoError(t, err)
	return string(b), nil
}

func isErrno(t *testing.T, err error, errno syscall.Errno) {
	t.Helper()
	require.Error(t, err)
	assert.True(t, errors.Is(err, errno), "want %v, got %v", errno, err)
}

func TestSocketsLoopbackAndBind(t *testing.T) {
	k := New()
	root := backend.NSRef{}
	l, err := k.Listen(root, "tcp", "127.0.0.1:7000")
	require.NoError(t, err)
	serve(t, l)
	got, err := fetch(t, k, root, "127.0.0.1:7000")
	require.NoError(t, err)
	assert.Equal(t, "hello from 127.0.0.1:7000 to 127.0.0.1:32768\n", got)
	// 127.0.0.1 is bound, not the machine's other address.
	_, err = fetch(t, k, root, "10.0.2.15:7000")
	isErrno(t, err, syscall.ECONNREFUSED)
	assert.ErrorIs(t, err, backend.ErrUnreachable)
	assert.Contains(t, err.Error(), "Connection refused")

	_, err = k.Listen(root, "tcp", "0.0.0.0:7000")
	isErrno(t, err, syscall.EADDRINUSE)
	_, err = k.Listen(root, "tcp", "172.17.0.9:80")
	isErrno(t, err, syscall.EADDRNOTAVAIL)
	_, err = k.Listen(root, "udp", ":53")
	assert.ErrorIs(t, err, backend.ErrUnsupported)

	// A wildcard bind answers every local address, and 0.0.0.0 itself.
	l2, err := k.Listen(root, "tcp", ":7001")
	require.NoError(t, err)
	serve(t, l2)
	for _, a := range []string{"127.0.0.1:7001", "10.0.2.15:7001", "0.0.0.0:7001", "127.9.9.9:7001"} {
		_, err := fetch(t, k, root, a)
		assert.NoError(t, err, a)
	}
	// A closed listener is gone.
	require.NoError(t, l2.Close())
	_, err = fetch(t, k, root, "127.0.0.1:7001")
	isErrno(t, err, syscall.ECONNREFUSED)
	// Nowhere to go.
	_, err = fetch(t, k, root, "192.0.2.1:80")
	isErrno(t, err, syscall.EHOSTUNREACH) // via eth0: no world outside the machine
}

func TestSocketsBridgeAndDNAT(t *testing.T) {
	k := New()
	dockerNet(t, k, true, "web", "client")
	web := backend.NSName("web")
	l, err := k.Listen(web, "tcp", "0.0.0.0:80")
	require.NoError(t, err)
	serve(t, l)

	// Host to container, over docker0.
	got, err := fetch(t, k, backend.NSRef{}, "172.17.0.2:80")
	require.NoError(t, err)
	assert.Equal(t, "hello from 172.17.0.2:80 to 172.17.42.1:32768\n", got)
	// Container to container, across the bridge.
	got, err = fetch(t, k, backend.NSName("client"), "172.17.0.2:80")
	require.NoError(t, err)
	assert.Contains(t, got, "to 172.17.0.3:")
	// Not listening on 81; lo of another namespace is its own.
	_, err = fetch(t, k, backend.NSName("client"), "172.17.0.2:81")
	isErrno(t, err, syscall.ECONNREFUSED)
	_, err = fetch(t, k, backend.NSName("client"), "127.0.0.1:80")
	isErrno(t, err, syscall.ECONNREFUSED)
	_, err = fetch(t, k, backend.NSName("client"), "172.17.0.99:80")
	isErrno(t, err, syscall.EHOSTUNREACH)

	// docker run -p 8080:80: the DNAT rule and its FORWARD ACCEPT
	// (pkg/iptables Forward).
	ipt := k.Root().IPTables()
	require.NoError(t, ipt.Append("nat", "DOCKER", "-p", "tcp", "-d", "0/0", "--dport", "8080", "!", "-i", "docker0",
		"-j", "DNAT", "--to-destination", "172.17.0.2:80"))
	require.NoError(t, ipt.Insert("filter", "FORWARD", 1, "!", "-i", "docker0", "-o", "docker0", "-p", "tcp",
		"-d", "172.17.0.2", "--dport", "80", "-j", "ACCEPT"))
	// From the host itself: nat OUTPUT (the machine's own address).
	got, err = fetch(t, k, backend.NSRef{}, "10.0.2.15:8080")
	require.NoError(t, err)
	assert.Contains(t, got, "hello from 172.17.0.2:80")
	// 127.0.0.1 is excluded by "! --dst 127.0.0.0/8": that is the
	// docker-proxy's job, and there is none here.
	_, err = fetch(t, k, backend.NSRef{}, "127.0.0.1:8080")
	isErrno(t, err, syscall.ECONNREFUSED)
	// From outside the machine's root namespace, through nat PREROUTING:
	// a client namespace wired to the root by a veth.
	outside, err := k.NewNetNS("outside")
	require.NoError(t, err)
	require.NoError(t, k.Root().AddVeth("vout", "vin", 1500))
	require.NoError(t, k.Root().LinkSetNs("vin", backend.NSName("outside")))
	require.NoError(t, k.Root().AddrAdd("vout", cidr(t, "192.168.7.1/24")))
	require.NoError(t, k.Root().LinkSetUp("vout"))
	require.NoError(t, outside.AddrAdd("vin", cidr(t, "192.168.7.2/24")))
	require.NoError(t, outside.LinkSetUp("vin"))
	got, err = fetch(t, k, backend.NSName("outside"), "192.168.7.1:8080")
	require.NoError(t, err)
	assert.True(t, strings.HasPrefix(got, "hello from 172.17.0.2:80 to 192.168.7.2:"), got) // no MASQUERADE on the way in
	// Without ip_forward the root does not pass it on.
	require.NoError(t, k.Root().SetSysctl("net.ipv4.ip_forward", "0"))
	_, err = fetch(t, k, backend.NSName("outside"), "192.168.7.1:8080")
	isErrno(t, err, syscall.ETIMEDOUT)
}

func TestSocketsICCFalse(t *testing.T) {
	k := New()
	dockerNet(t, k, false, "db", "app", "other")
	for _, port := range []string{"5432", "22"} {
		l, err := k.Listen(backend.NSName("db"), "tcp", ":"+port)
		require.NoError(t, err)
		serve(t, l)
	}
	// --icc=false: docker0 to docker0 is dropped.
	_, err := fetch(t, k, backend.NSName("app"), "172.17.0.2:5432")
	isErrno(t, err, syscall.ETIMEDOUT)
	assert.Contains(t, err.Error(), "Connection timed out")
	// The host still reaches the container (routed, not bridged).
	_, err = fetch(t, k, backend.NSRef{}, "172.17.0.2:5432")
	require.NoError(t, err)
	// --link db:db opens exactly the exposed port, from app only
	// (bridge/handlers.go LinkContainers: both directions).
	ipt := k.Root().IPTables()
	require.NoError(t, ipt.Insert("filter", "FORWARD", 1, "-i", "docker0", "-o", "docker0", "-p", "tcp",
		"-s", "172.17.0.3", "--dport", "5432", "-d", "172.17.0.2", "-j", "ACCEPT"))
	require.NoError(t, ipt.Insert("filter", "FORWARD", 1, "-i", "docker0", "-o", "docker0", "-p", "tcp",
		"-s", "172.17.0.2", "--sport", "5432", "-d", "172.17.0.3", "-j", "ACCEPT"))
	got, err := fetch(t, k, backend.NSName("app"), "172.17.0.2:5432")
	require.NoError(t, err)
	assert.True(t, strings.HasPrefix(got, "hello from 172.17.0.2:5432 to 172.17.0.3:"), got)
	_, err = fetch(t, k, backend.NSName("app"), "172.17.0.2:22")
	isErrno(t, err, syscall.ETIMEDOUT)
	_, err = fetch(t, k, backend.NSName("other"), "172.17.0.2:5432")
	isErrno(t, err, syscall.ETIMEDOUT)
	// A REJECT answers at once with "refused".
	require.NoError(t, ipt.Insert("filter", "FORWARD", 1, "-s", "172.17.0.4", "-j", "REJECT"))
	_, err = fetch(t, k, backend.NSName("other"), "172.17.0.2:5432")
	isErrno(t, err, syscall.ECONNREFUSED)
}

func TestSocketStreams(t *testing.T) {
	k := New()
	l, err := k.Listen(backend.NSRef{}, "tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer l.Close()
	addr := l.Addr().String()
	assert.NotEqual(t, "127.0.0.1:0", addr)
	done := make(chan string, 1)
	go func() {
		c, err := l.Accept()
		if err != nil {
			done <- err.Error()
			return
		}
		// Half-close: read the request to EOF, then answer.
		b, _ := io.ReadAll(c)
		io.WriteString(c, strings.ToUpper(string(b)))
		c.Close()
		done <- "ok"
	}()
	c, err := k.Dial(backend.NSRef{}, "tcp", addr)
	require.NoError(t, err)
	big := strings.Repeat("x", 3*sockBufSize) // more than one buffer: the writer waits for the reader
	go func() {
		io.WriteString(c, big)
		c.(interface{ CloseWrite() error }).CloseWrite()
	}()
	b, err := io.ReadAll(c)
	require.NoError(t, err)
	assert.Equal(t, strings.ToUpper(big), string(b))
	assert.Equal(t, "ok", <-done)
	require.NoError(t, c.Close())
	_, err = c.Write([]byte("late"))
	assert.Error(t, err)
}
