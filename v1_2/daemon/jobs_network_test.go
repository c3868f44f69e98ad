// Container networking end to end, through the jobs a client drives
// (create, start, wait, logs, stop, delete): what a container sees of its
// network in each of the four modes, published ports, links, and many
// containers started at once. The same scenarios run on the fake here and
// on the real kernel in jobs_network_linux_test.go. Book ch.7 §7.2–7.6;
// note 003 "四种网络模式".
package daemon

import (
	"fmt"
	"net"
	"os"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dockerlab/dockerlab/backend/fake"
	"github.com/dockerlab/dockerlab/v1_2/pkg/jsonlog"
)

// showNetwork is the command a container runs to print its own view.
const showNetwork = `echo "hostname $(hostname)"; ip addr; ip route; cat /etc/hosts`

// runToEnd starts container name and returns what it printed once it
// exited (the logs job), after the daemon has cleaned up after it.
func (l *lifeDaemon) runToEnd(t *testing.T, name string, env ...string) string {
	t.Helper()
	_, _, err := l.run("start", []string{name}, env...)
	require.NoError(t, err)
	_, _, err = l.run("wait", []string{name})
	require.NoError(t, err)
	c := l.d.Get(name)
	c.waitForPreviousRun()
	// The json-file log, read as the logs job reads it.
	f, err := os.Open(c.LogPath())
	require.NoError(t, err)
	defer f.Close()
	var out strings.Builder
	require.NoError(t, jsonlog.WriteLog(f, &out, ""))
	return out.String()
}

// networkModes runs one container per mode on l and checks each one's
// view. machineAddr is an address the machine itself has (for host).
func networkModes(t *testing.T, l *lifeDaemon, prefix, machineAddr string) {
	rulesBefore := rules(t, l.h)
	linksBefore := hostLinks(t, l.h)

	// bridge: eth0 with the allocated address, default route via docker0.
	l.create(t, "bridged", `Cmd=["sh","-c",`+quoteJSON(showNetwork)+`]`, "Hostname=bridged")
	out := l.runToEnd(t, "bridged")
	c := l.d.Get("bridged")
	ip := c.NetworkSettings.IPAddress
	assert.Equal(t, "", ip, "stopped: the address went back")
	assert.Contains(t, out, "hostname bridged\n")
	assert.Regexp(t, `inet `+prefix+`\.\d+\.\d+/16 .*eth0`, out)
	assert.Contains(t, out, "default via "+prefix+".42.1 dev eth0")
	assert.Regexp(t, `(?m)^`+prefix+`\.\d+\.\d+\tbridged$`, out, "its own line in /etc/hosts")

	// host: the machine's own interfaces, no address allocated.
	l.create(t, "hosted", `Cmd=["sh","-c",`+quoteJSON(showNetwork)+`]`)
	out = l.runToEnd(t, "hosted", "NetworkMode=host")
	assert.Contains(t, out, "inet "+machineAddr)
	assert.Contains(t, out, "docker0", "the bridge is one of the machine's links")
	assert.Equal(t, "", l.d.Get("hosted").NetworkSettings.IPAddress)

	// none: loopback only.
	l.create(t, "alone", `Cmd=["sh","-c",`+quoteJSON(showNetwork)+`]`, "Hostname=alone", `ExposedPorts={"80/tcp":{}}`)
	out = l.runToEnd(t, "alone", "NetworkMode=none", "PublishAllPorts=true")
	assert.Contains(t, out, "inet 127.0.0.1/8")
	assert.NotContains(t, out, "eth0")
	assert.NotContains(t, out, "default via")

	// container:<name>: the running container's eth0 and hostname.
	l.create(t, "host1", `Cmd=["sleep","1000"]`, "Hostname=host1")
	_, _, err := l.run("start", []string{"host1"})
	require.NoError(t, err)
	host1 := l.d.Get("host1")
	l.create(t, "guest", `Cmd=["sh","-c",`+quoteJSON(showNetwork)+`]`)
	out = l.runToEnd(t, "guest", "NetworkMode=container:host1")
	assert.Contains(t, out, "inet "+host1.NetworkSettings.IPAddress+"/16")
	assert.Contains(t, out, "hostname host1\n")
	_, _, err = l.run("kill", []string{"host1"})
	require.NoError(t, err)
	host1.waitForPreviousRun()

	for _, name := range []string{"bridged", "hosted", "alone", "host1", "guest"} {
		_, _, err := l.run("delete", []string{name})
		require.NoError(t, err, name)
	}
	assert.Equal(t, rulesBefore, rules(t, l.h), "no rule left")
	assert.Equal(t, linksBefore, hostLinks(t, l.h), "no veth left")
}

// quoteJSON is s as a JSON string.
func quoteJSON(s string) string {
	return fmt.Sprintf("%q", s)
}

func TestJobsNetworkModesFake(t *testing.T) {
	l := newLifeDaemon(t, fake.New(), "", "10.81.42.1/16")
	networkModes(t, l, "10.81", "10.0.2.15/24")
}

// publishedAndLinked: db publishes 80 and web links to it; web sees the
// link in its environment and /etc/hosts; the DNAT rule lives exactly as
// long as db runs.
func publishedAndLinked(t *testing.T, l *lifeDaemon) {
	rulesBefore := rules(t, l.h)
	l.create(t, "db", `Cmd=["sleep","1000"]`, `ExposedPorts={"80/tcp":{}}`, `Env=["ROLE=database"]`)
	_, _, err := l.run("start", []string{"db"}, `PortBindings={"80/tcp":[{"HostIp":"","HostPort":""}]}`)
	require.NoError(t, err)
	db := l.d.Get("db")
	dbIP := db.NetworkSettings.IPAddress
	port := db.NetworkSettings.Ports["80/tcp"][0].HostPort
	assert.NotEmpty(t, port)
	assert.Contains(t, rules(t, l.h), "--dport "+port+" -j DNAT --to-destination "+dbIP+":80")

	l.create(t, "web", `Cmd=["sh","-c","env; cat /etc/hosts"]`)
	out := l.runToEnd(t, "web", `Links=["db:db"]`)
	assert.Contains(t, out, "DB_PORT=tcp://"+dbIP+":80\n")
	assert.Contains(t, out, "DB_PORT_80_TCP_ADDR="+dbIP+"\n")
	assert.Contains(t, out, "DB_NAME=/web/db\n")
	assert.Contains(t, out, "DB_ENV_ROLE=database\n")
	assert.Contains(t, out, dbIP+"\tdb\n")
	assert.NotContains(t, rules(t, l.h), "--dport 80 -d "+dbIP, "web stopped: its link rules went")

	_, _, err = l.run("kill", []string{"db"})
	require.NoError(t, err)
	db.waitForPreviousRun()
	assert.NotContains(t, rules(t, l.h), "DNAT")
	for _, name := range []string{"web", "db"} {
		_, _, err := l.run("delete", []string{name})
		require.NoError(t, err, name)
	}
	assert.Equal(t, rulesBefore, rules(t, l.h), "rm leaves no rule")
}

func TestJobsNetworkPublishedAndLinkedFake(t *testing.T) {
	l := newLifeDaemon(t, fake.New(), "", "10.82.42.1/16")
	publishedAndLinked(t, l)
}

// manyAtOnce creates and starts n containers with -p 80 concurrently:
// every one gets its own address and host port.
func manyAtOnce(t *testing.T, l *lifeDaemon, n int, network string) {
	rulesBefore := rules(t, l.h)
	ids := make([]string, n)
	for i := range ids {
		ids[i] = l.create(t, fmt.Sprintf("many%d", i), `Cmd=["sleep","1000"]`, `ExposedPorts={"80/tcp":{}}`)
	}
	var wg sync.WaitGroup
	errs := make([]error, n)
	for i, id := range ids {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, _, errs[i] = l.run("start", []string{id}, `PortBindings={"80/tcp":[{"HostIp":"","HostPort":""}]}`)
		}()
	}
	wg.Wait()
	_, bridgeNet, err := net.ParseCIDR(network)
	require.NoError(t, err)
	ips, ports := map[string]bool{}, map[string]bool{}
	for i, id := range ids {
		require.NoError(t, errs[i])
		c := l.d.Get(id)
		ip := c.NetworkSettings.IPAddress
		assert.True(t, bridgeNet.Contains(net.ParseIP(ip)), ip)
		ips[ip] = true
		ports[c.NetworkSettings.Ports["80/tcp"][0].HostPort] = true
	}
	assert.Len(t, ips, n, "unique addresses")
	assert.Len(t, ports, n, "unique host ports")
	assert.Equal(t, n, strings.Count(rules(t, l.h), "-j DNAT"))

	for _, id := range ids {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, _, err := l.run("kill", []string{id})
			assert.NoError(t, err)
			l.d.Get(id).waitForPreviousRun()
			_, _, err = l.run("delete", []string{id})
			assert.NoError(t, err)
		}()
	}
	wg.Wait()
	assert.Equal(t, rulesBefore, rules(t, l.h), "no rule left")
}

func TestJobsNetworkManyAtOnceFake(t *testing.T) {
	l := newLifeDaemon(t, fake.New(), "", "10.83.42.1/16")
	manyAtOnce(t, l, 100, "10.83.0.0/16")
}

// shutdownReleases: a daemon that stops with containers running leaves
// none of their rules behind, though its engine refuses jobs by then.
func shutdownReleases(t *testing.T, l *lifeDaemon) {
	rulesBefore := rules(t, l.h)
	l.create(t, "db", `Cmd=["sleep","1000"]`, `ExposedPorts={"80/tcp":{}}`)
	_, _, err := l.run("start", []string{"db"}, `PortBindings={"80/tcp":[{"HostIp":"","HostPort":""}]}`)
	require.NoError(t, err)
	l.create(t, "web", `Cmd=["sleep","1000"]`)
	_, _, err = l.run("start", []string{"web"}, `Links=["db:db"]`)
	require.NoError(t, err)
	during := rules(t, l.h)
	require.Contains(t, during, "-j DNAT")
	require.Contains(t, during, "--sport 80 -j ACCEPT")

	l.eng.Shutdown()
	assert.Equal(t, rulesBefore, rules(t, l.h), "no DNAT, port or link rule outlives the daemon")
}

func TestJobsNetworkShutdownReleasesFake(t *testing.T) {
	shutdownReleases(t, newLifeDaemon(t, fake.New(), "", "10.88.42.1/16"))
}
