//go:build linux

// container_network.go on the real kernel, as root, inside a throwaway
// network namespace (linuxtest.NewHost): packets, not just rules. With
// --icc=false a container reaches exactly the exposed port of the one it
// links to and nothing else; a published port answers through the DNAT
// rule from the sandbox side and through docker-proxy on the sandbox's
// own loopback (the OUTPUT rule leaves 127.0.0.0/8 to the proxy); after
// release nothing answers and no rule is left.
//
// Each "container" here is a network namespace wired as the native
// driver wires one (veth on docker0, the peer renamed eth0 with the
// allocated address, default route via the gateway) with busybox
// processes in it, so the test checks the daemon's side of the network
// without depending on the execdriver.
package daemon

import (
	"bytes"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dockerlab/dockerlab/backend"
	"github.com/dockerlab/dockerlab/backend/linux/linuxtest"
	"github.com/dockerlab/dockerlab/v1_2/nat"
	"github.com/dockerlab/dockerlab/v1_2/runconfig"
)

// plug gives c what the native driver would: a veth on c's bridge whose
// peer, in a namespace of c's own, is eth0 with c's address and a default
// route via the gateway. It returns that namespace.
func plug(t *testing.T, h backend.Host, c *Container) backend.NSRef {
	t.Helper()
	name := "dl-" + c.ID[:8]
	ns, err := h.NewNetNS(name)
	require.NoError(t, err)
	t.Cleanup(func() { h.DeleteNetNS(name) })
	root := h.Root()
	veth, peer := "veth"+c.ID[:7], "p"+c.ID[:7]
	settings := c.NetworkSettings
	require.NoError(t, root.AddVeth(veth, peer, 1500))
	require.NoError(t, root.LinkSetMaster(veth, settings.Bridge))
	require.NoError(t, root.LinkSetUp(veth))
	require.NoError(t, root.LinkSetNs(peer, backend.NSName(name)))
	require.NoError(t, ns.LinkSetName(peer, "eth0"))
	require.NoError(t, ns.AddrAdd("eth0", &net.IPNet{IP: net.ParseIP(settings.IPAddress), Mask: net.CIDRMask(settings.IPPrefixLen, 32)}))
	require.NoError(t, ns.LinkSetUp("eth0"))
	require.NoError(t, ns.LinkSetUp("lo"))
	require.NoError(t, ns.RouteAdd(backend.Route{Dst: backend.DefaultDst(), Gw: net.ParseIP(settings.Gateway), LinkName: "eth0"}))
	return backend.NSName(name)
}

// serve runs busybox httpd on port in ns, answering with the text of
// rootfs/www/index.html; it is killed at the end of the test.
func serve(t *testing.T, h backend.Host, rootfs string, ns backend.NSRef, port string) {
	t.Helper()
	p, err := h.Start(backend.ProcSpec{
		Args:       []string{"/bin/busybox", "httpd", "-f", "-p", port, "-h", "/www"},
		NetNS:      ns,
		Rootfs:     rootfs,
		Namespaces: backend.Namespaces{Mount: true},
	})
	require.NoError(t, err)
	t.Cleanup(func() {
		p.Signal(syscall.SIGKILL)
		p.Wait()
	})
}

// fetch asks url's host and port for "/" with busybox nc (Debian's
// static busybox wget crashes) and returns the body, or an error.
func fetch(t *testing.T, h backend.Host, rootfs string, ns backend.NSRef, url string) (string, error) {
	t.Helper()
	hostPort := strings.TrimSuffix(strings.TrimPrefix(url, "http://"), "/")
	host, port, err := net.SplitHostPort(hostPort)
	require.NoError(t, err)
	var out, errOut bytes.Buffer
	p, err := h.Start(backend.ProcSpec{
		Args:       []string{"/bin/busybox", "nc", "-w", "2", host, port},
		NetNS:      ns,
		Rootfs:     rootfs,
		Namespaces: backend.Namespaces{Mount: true},
		Stdin:      strings.NewReader("GET / HTTP/1.0\r\n\r\n"),
		Stdout:     &out,
		Stderr:     &errOut,
	})
	require.NoError(t, err)
	st, err := p.Wait()
	require.NoError(t, err)
	_, body, ok := strings.Cut(out.String(), "\r\n\r\n")
	if st.Code != 0 || !ok {
		return "", &fetchError{url: url, msg: fmt.Sprintf("exit %d: %s", st.Code, strings.TrimSpace(errOut.String()))}
	}
	return body, nil
}

type fetchError struct{ url, msg string }

func (e *fetchError) Error() string { return "fetch " + e.url + ": " + e.msg }

// fetchSoon is fetch tried a few times: a server just started may not
// listen yet. Only for URLs that must answer.
func fetchSoon(t *testing.T, h backend.Host, rootfs string, ns backend.NSRef, url string) string {
	t.Helper()
	var err error
	for i := 0; i < 5; i++ {
		var page string
		if page, err = fetch(t, h, rootfs, ns, url); err == nil {
			return page
		}
	}
	require.NoError(t, err)
	return ""
}

func TestNetworkLinuxICCLinksAndPublishedPort(t *testing.T) {
	h := linuxtest.NewHost(t) // skips, saying why, unless root
	rootfs := linuxtest.BusyboxRootfs(t)
	require.NoError(t, os.MkdirAll(filepath.Join(rootfs, "www"), 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(rootfs, "www", "index.html"), []byte("hello from db\n"), 0o644))

	d := netDaemonOn(t, h, "10.78.0.1/24", func(c *Config) { c.InterContainerCommunication = false })
	root := backend.NSRef{}
	// A daemon's sandbox has lo up, as the machine it stands for; the
	// test's throwaway namespace starts with it down.
	require.NoError(t, h.Root().LinkSetUp("lo"))

	// db exposes 80 and publishes it on any port; it also listens on
	// 8080, which it does not expose.
	db := netContainer(t, d, "db", &runconfig.Config{Hostname: "db", ExposedPorts: nat.PortSet{"80/tcp": {}}},
		&runconfig.HostConfig{NetworkMode: "bridge", PortBindings: nat.PortMap{"80/tcp": {{}}}})
	require.NoError(t, db.initializeNetworking())
	dbNS := plug(t, h, db)
	serve(t, h, rootfs, dbNS, "80")
	serve(t, h, rootfs, dbNS, "8080")
	db.State.SetRunning(1)
	hostPort := db.NetworkSettings.Ports["80/tcp"][0].HostPort

	web := netContainer(t, d, "web", &runconfig.Config{Hostname: "web"},
		&runconfig.HostConfig{NetworkMode: "bridge", Links: []string{"db:db"}})
	require.NoError(t, d.RegisterLinks(web, web.hostConfig))
	require.NoError(t, web.initializeNetworking())
	_, err := web.setupLinkedContainers()
	require.NoError(t, err)
	webNS := plug(t, h, web)

	other := netContainer(t, d, "other", nil, nil)
	require.NoError(t, other.initializeNetworking())
	otherNS := plug(t, h, other)

	dbURL := "http://" + db.NetworkSettings.IPAddress
	// Both of db's servers answer the machine itself (its packets are
	// not forwarded, so FORWARD's DROP does not see them).
	assert.Equal(t, "hello from db\n", fetchSoon(t, h, rootfs, root, dbURL+":80/"))
	assert.Equal(t, "hello from db\n", fetchSoon(t, h, rootfs, root, dbURL+":8080/"))
	assert.Equal(t, "hello from db\n", fetchSoon(t, h, rootfs, webNS, dbURL+":80/"), "the link opens db's exposed port to web")
	_, err = fetch(t, h, rootfs, webNS, dbURL+":8080/")
	assert.Error(t, err, "only the exposed port: --icc=false drops the rest")
	_, err = fetch(t, h, rootfs, otherNS, dbURL+":80/")
	assert.Error(t, err, "a container without the link is dropped")

	// The published port, from the sandbox itself.
	assert.Equal(t, "hello from db\n", fetchSoon(t, h, rootfs, root, "http://10.78.0.1:"+hostPort+"/"), "DNAT of a local address")
	assert.Equal(t, "hello from db\n", fetchSoon(t, h, rootfs, root, "http://127.0.0.1:"+hostPort+"/"), "docker-proxy on loopback")

	// Stop everything: no rule about these containers is left, and
	// neither the link nor the published port answers.
	web.disableActiveLinks()
	for _, c := range []*Container{web, other, db} {
		c.releaseNetwork()
	}
	dump, err := backend.DumpIPTables(h.Root())
	require.NoError(t, err)
	assert.NotRegexp(t, `10\.78\.0\.\d+/32`, dump, "rm leaves no rule")
	assert.NotContains(t, dump, "DNAT")
	_, err = fetch(t, h, rootfs, webNS, dbURL+":80/")
	assert.Error(t, err, "the link is gone")
	_, err = fetch(t, h, rootfs, root, "http://127.0.0.1:"+hostPort+"/")
	assert.Error(t, err, "the proxy is gone")
}

func TestNetworkLinuxScrubAfterDaemonCrash(t *testing.T) {
	h := linuxtest.NewHost(t)
	d := netDaemonOn(t, h, "10.90.0.1/24", nil)
	scrubAfterCrash(t, d, h)
}

// A docker-proxy gets Pdeathsig when the thread that forked it exits.
// Here the container's network is allocated on a goroutine that locks
// its thread and ends without unlocking, so that thread exits at once
// (the linux backend does the same each time it starts a process in a
// namespace). The proxy must still listen afterwards.
func TestNetworkLinuxProxyOutlivesForkingThread(t *testing.T) {
	h := linuxtest.NewHost(t)
	rootfs := linuxtest.BusyboxRootfs(t)
	require.NoError(t, h.Root().LinkSetUp("lo"))
	d := netDaemonOn(t, h, "10.92.0.1/24", nil)
	c := netContainer(t, d, "web", &runconfig.Config{ExposedPorts: nat.PortSet{"80/tcp": {}}},
		&runconfig.HostConfig{NetworkMode: "bridge", PortBindings: nat.PortMap{"80/tcp": {{}}}})
	errc := make(chan error, 1)
	go func() {
		runtime.LockOSThread() // never unlocked: the thread exits with this goroutine
		errc <- c.initializeNetworking()
	}()
	require.NoError(t, <-errc)
	port := c.NetworkSettings.Ports["80/tcp"][0].HostPort

	// Connect a few times: a proxy killed by the thread's exit refuses.
	// (The proxy accepts, then cannot reach the container, which has no
	// interface here: nc is stopped after half a second.)
	for i := 0; i < 3; i++ {
		var errOut bytes.Buffer
		p, err := h.Start(backend.ProcSpec{
			Args:       []string{"/bin/busybox", "sh", "-c", "/bin/busybox nc -w 1 127.0.0.1 " + port + " </dev/null & sleep 0.5; kill $! 2>/dev/null"},
			Rootfs:     rootfs,
			Namespaces: backend.Namespaces{Mount: true},
			Stdout:     io.Discard,
			Stderr:     &errOut,
		})
		require.NoError(t, err)
		_, err = p.Wait()
		require.NoError(t, err)
		require.NotContains(t, errOut.String(), "refused", "try %d: docker-proxy died with the thread that forked it", i+1)
	}
}

// With --loopback-forward, a published port answers on the machine's own
// 127.0.0.1 — the namespace the daemon (here: this test) runs in — while
// docker0 and the container stay in the sandbox; the port is forwarded
// only while it is published, and no rule of the machine is involved.
func TestNetworkLinuxLoopbackForwarder(t *testing.T) {
	h := linuxtest.NewHost(t)
	rootfs := linuxtest.BusyboxRootfs(t)
	require.NoError(t, os.MkdirAll(filepath.Join(rootfs, "www"), 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(rootfs, "www", "index.html"), []byte("hello through loopback\n"), 0o644))
	require.NoError(t, h.Root().LinkSetUp("lo"))
	d := netDaemonOn(t, h, "10.94.0.1/24", func(c *Config) { c.LoopbackForward = true })

	// A port free on this machine's loopback (the sandbox is a namespace
	// of its own, where nothing listens yet).
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	port := fmt.Sprint(l.Addr().(*net.TCPAddr).Port)
	require.NoError(t, l.Close())

	c := netContainer(t, d, "web", &runconfig.Config{ExposedPorts: nat.PortSet{"80/tcp": {}}},
		&runconfig.HostConfig{NetworkMode: "bridge", PortBindings: nat.PortMap{"80/tcp": {{HostPort: port}}}})
	require.NoError(t, c.initializeNetworking())
	serve(t, h, rootfs, plug(t, h, c), "80")

	get := func() (string, error) {
		conn, err := net.Dial("tcp", "127.0.0.1:"+port)
		if err != nil {
			return "", err
		}
		defer conn.Close()
		io.WriteString(conn, "GET / HTTP/1.0\r\n\r\n")
		out, err := io.ReadAll(conn)
		_, body, _ := strings.Cut(string(out), "\r\n\r\n")
		return body, err
	}
	var body string
	for i := 0; i < 50; i++ { // httpd may not listen yet
		if body, err = get(); err == nil && body != "" {
			break
		}
	}
	require.NoError(t, err)
	assert.Equal(t, "hello through loopback\n", body, "the machine's 127.0.0.1:%s reaches the container", port)

	c.releaseNetwork()
	_, err = get()
	assert.Error(t, err, "the forwarder stops with the port")
}
