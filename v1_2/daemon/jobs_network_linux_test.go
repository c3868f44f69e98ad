//go:build linux

// jobs_network_test.go's scenarios on the real kernel, as root, inside a
// throwaway network namespace (linuxtest.NewHost) with a busybox image:
// the same four modes seen from inside real containers, -p and --link,
// many containers at once.
package daemon

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dockerlab/dockerlab/backend"
	"github.com/dockerlab/dockerlab/backend/backendtest"
	"github.com/dockerlab/dockerlab/backend/linux/linuxtest"
	"github.com/dockerlab/dockerlab/v1_2/archive"
)

func TestJobsNetworkModesLinux(t *testing.T) {
	l := newLifeDaemon(t, linuxtest.NewHost(t), "", "10.84.42.1/16")
	networkModes(t, l, "10.84", "10.84.42.1/16")
}

func TestJobsNetworkPublishedAndLinkedLinux(t *testing.T) {
	l := newLifeDaemon(t, linuxtest.NewHost(t), "", "10.85.42.1/16")
	publishedAndLinked(t, l)
}

// webDaemon is a daemon with --icc=false on h whose image "web" is
// busybox with a page at /www/index.html. It also returns the rootfs, for
// clients run on the machine itself.
func webDaemon(t *testing.T, h backend.Host, bip string) (*lifeDaemon, string) {
	t.Helper()
	dir := setup(t, "nameserver 10.0.2.3\n")
	config := defaults(h, dir, nil)
	config.BridgeIP = bip
	config.InterContainerCommunication = false
	eng := newEngine(t)
	d, err := NewDaemon(config, eng)
	require.NoError(t, err)
	require.NoError(t, d.Install(eng))
	t.Cleanup(eng.Shutdown)

	rootfs := backendtest.Rootfs(t, h)
	require.NoError(t, os.MkdirAll(filepath.Join(rootfs, "www"), 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(rootfs, "www", "index.html"), []byte("hello from db\n"), 0o644))
	layer, err := archive.Tar(rootfs, archive.Uncompressed)
	require.NoError(t, err)
	img, err := d.graph.Import(layer, "busybox with a web page")
	layer.Close()
	require.NoError(t, err)
	require.NoError(t, d.repositories.Set("busybox", "latest", img.ID, true))
	return &lifeDaemon{d: d, eng: eng, h: h, dir: dir}, rootfs
}

// ncGet is a shell line that asks ip:port for "/" with busybox nc, tries
// times (the server may still be starting; a port that must stay shut
// needs one try), and prints "<tag>=<status>".
func ncGet(tag, ip, port string, tries int) string {
	list := strings.TrimSpace(strings.Repeat("x ", tries))
	return `ok=1; for i in ` + list + `; do printf 'GET / HTTP/1.0\r\n\r\n' | /bin/busybox nc -w 2 ` + ip + ` ` + port +
		` | grep -q "hello from db" && { ok=0; break; }; sleep 0.3; done; echo "` + tag + `=$ok"`
}

// Real containers, real packets: with --icc=false, web (linked to db)
// reaches db's exposed port 80 and not its unexposed 8080; a container
// without the link reaches nothing; db's published port answers the
// machine through DNAT and through docker-proxy on loopback; when db
// stops neither answers and no rule is left.
func TestJobsNetworkTrafficLinux(t *testing.T) {
	h := linuxtest.NewHost(t)
	require.NoError(t, h.Root().LinkSetUp("lo")) // as a daemon's sandbox has it
	l, rootfs := webDaemon(t, h, "10.86.42.1/16")
	rulesBefore := rules(t, l.h)

	l.create(t, "db", `Cmd=["sh","-c","/bin/busybox httpd -p 8080 -h /www; exec /bin/busybox httpd -f -p 80 -h /www"]`,
		`ExposedPorts={"80/tcp":{}}`)
	_, _, err := l.run("start", []string{"db"}, `PortBindings={"80/tcp":[{"HostIp":"","HostPort":""}]}`)
	require.NoError(t, err)
	db := l.d.Get("db")
	dbIP := db.NetworkSettings.IPAddress
	port := db.NetworkSettings.Ports["80/tcp"][0].HostPort

	root := backend.NSRef{}
	assert.Equal(t, "hello from db\n", fetchSoon(t, h, rootfs, root, "http://"+dbIP+":8080/"), "8080 is up (the machine is not forwarded)")
	assert.Equal(t, "hello from db\n", fetchSoon(t, h, rootfs, root, "http://10.86.42.1:"+port+"/"), "DNAT from the sandbox side")
	assert.Equal(t, "hello from db\n", fetchSoon(t, h, rootfs, root, "http://127.0.0.1:"+port+"/"), "docker-proxy on loopback")

	l.create(t, "web", `Cmd=["sh","-c",`+quoteJSON(ncGet("linked80", "$DB_PORT_80_TCP_ADDR", "80", 5)+"; "+
		ncGet("linked8080", "$DB_PORT_80_TCP_ADDR", "8080", 1))+`]`)
	out := l.runToEnd(t, "web", `Links=["db:db"]`)
	assert.Contains(t, out, "linked80=0\n", "the link opens db's exposed port")
	assert.Contains(t, out, "linked8080=1\n", "and only that one")

	l.create(t, "other", `Cmd=["sh","-c",`+quoteJSON(ncGet("other80", dbIP, "80", 1))+`]`)
	out = l.runToEnd(t, "other")
	assert.Contains(t, out, "other80=1\n", "--icc=false: no link, no traffic")

	_, _, err = l.run("kill", []string{"db"})
	require.NoError(t, err)
	db.waitForPreviousRun()
	_, err = fetch(t, h, rootfs, root, "http://127.0.0.1:"+port+"/")
	assert.Error(t, err, "the proxy stopped with db")
	for _, name := range []string{"web", "other", "db"} {
		_, _, err := l.run("delete", []string{name})
		require.NoError(t, err, name)
	}
	assert.Equal(t, rulesBefore, rules(t, l.h), "rm leaves no rule")
}

func TestJobsNetworkManyAtOnceLinux(t *testing.T) {
	if testing.Short() {
		t.Skip("100 real containers and their docker-proxy processes: skipped with -short")
	}
	l := newLifeDaemon(t, linuxtest.NewHost(t), "", "10.87.42.1/16")
	manyAtOnce(t, l, 100, "10.87.0.0/16")
}

func TestJobsNetworkShutdownReleasesLinux(t *testing.T) {
	shutdownReleases(t, newLifeDaemon(t, linuxtest.NewHost(t), "", "10.89.42.1/16"))
}

// A docker-proxy must outlive the thread that forked it: it gets
// Pdeathsig when that thread exits, and the linux backend throws away a
// thread each time it starts a process in a namespace. After many such
// starts, db's published port still answers on loopback.
func TestJobsNetworkProxySurvivesThreadChurnLinux(t *testing.T) {
	h := linuxtest.NewHost(t)
	require.NoError(t, h.Root().LinkSetUp("lo"))
	l, rootfs := webDaemon(t, h, "10.91.42.1/16")
	l.create(t, "db", `Cmd=["/bin/busybox","httpd","-f","-p","80","-h","/www"]`, `ExposedPorts={"80/tcp":{}}`)
	_, _, err := l.run("start", []string{"db"}, `PortBindings={"80/tcp":[{"HostIp":"","HostPort":""}]}`)
	require.NoError(t, err)
	port := l.d.Get("db").NetworkSettings.Ports["80/tcp"][0].HostPort
	root := backend.NSRef{}
	assert.Equal(t, "hello from db\n", fetchSoon(t, h, rootfs, root, "http://127.0.0.1:"+port+"/"))
	for i := 0; i < 30; i++ {
		_, err := fetch(t, h, rootfs, root, "http://10.91.42.1:"+port+"/")
		require.NoError(t, err)
	}
	page, err := fetch(t, h, rootfs, root, "http://127.0.0.1:"+port+"/")
	require.NoError(t, err, "docker-proxy died with a thread")
	assert.Equal(t, "hello from db\n", page)
	_, _, err = l.run("kill", []string{"db"})
	require.NoError(t, err)
	l.d.Get("db").waitForPreviousRun()
}
