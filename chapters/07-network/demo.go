// Package chapter07 is the demo of book ch.7 Docker容器网络: the four
// network modes (§7.2) from `docker run` flags (§7.3) through the
// daemon's create and start jobs, which ask the bridge driver for an
// address and published ports (§7.4) before the execdriver builds the
// container's network namespace (§7.5–7.6). Each container prints what
// it sees (hostname, ip addr, ip route, /etc/hosts, link variables) and
// the demo prints the iptables rules the daemon added for it.
//
// Reproduces upstream daemon/container.go (initializeNetworking,
// allocateNetwork, allocatePort, setupLinkedContainers, populateCommand's
// network switch) at v1.2.0 through v1_2/daemon/container_network.go; see
// README.md (English) and README.zh.md.
package chapter07

import (
	"context"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"strings"

	"github.com/dockerlab/dockerlab/backend"
	chapter13 "github.com/dockerlab/dockerlab/chapters/13-dockerinit"
	"github.com/dockerlab/dockerlab/chapters/chapterutil"
	"github.com/dockerlab/dockerlab/v1_2/archive"
	"github.com/dockerlab/dockerlab/v1_2/builtins"
	"github.com/dockerlab/dockerlab/v1_2/daemon"
	"github.com/dockerlab/dockerlab/v1_2/engine"
	"github.com/dockerlab/dockerlab/v1_2/pkg/jsonlog"
	"github.com/dockerlab/dockerlab/v1_2/runconfig"
)

// showNetwork is what each short-lived container runs: its own view.
const showNetwork = `echo "hostname: $(hostname)"; ip addr; ip route; echo "--- /etc/hosts"; cat /etc/hosts`

// run is one `docker run` of the demo: its name and its flags and command.
type run struct {
	name string
	args []string
}

// The demo's containers, in the order they run. db and web stay up (-d):
// web's link to db shows as rules while it runs; the others link to db
// or join its namespace, print what they see and exit. On the real
// kernel db serves a page with busybox httpd and client fetches it over
// the link; the fake machine has no sockets, so there db only sleeps.
func runsFor(backendName string) []run {
	dbCmd := []string{"sleep", "1000"}
	clientCmd := showNetwork + `; echo "--- link variables"; env | grep ^DB_ | sort`
	if backendName == "linux" {
		dbCmd = []string{"/bin/busybox", "httpd", "-f", "-p", "80", "-h", "/www"}
		clientCmd += `; echo "--- GET http://$DB_PORT_80_TCP_ADDR/ over the link"; ` + httpGet("$DB_PORT_80_TCP_ADDR", "80")
	}
	return []run{
		{"db", append([]string{"-d", "-p", "80", "--expose", "5432", "-h", "db", "busybox"}, dbCmd...)},
		{"web", []string{"-d", "--link", "db:db", "-h", "web", "busybox", "sleep", "1000"}},
		{"client", []string{"--link", "db:db", "-h", "client", "busybox", "sh", "-c", clientCmd}},
		{"hosted", []string{"--net", "host", "busybox", "sh", "-c", showNetwork}},
		{"alone", []string{"--net", "none", "-h", "alone", "busybox", "sh", "-c", showNetwork}},
		{"guest", []string{"--net", "container:db", "busybox", "sh", "-c", showNetwork}},
	}
}

// httpGet is a shell line asking ip:port for "/" with busybox nc (a few
// tries: httpd may still be starting) and printing the answer's first
// and last lines (status and page).
func httpGet(ip, port string) string {
	return `for i in 1 2 3 4 5 6 7 8 9 10; do r=$(printf 'GET / HTTP/1.0\r\n\r\n' | /bin/busybox nc -w 2 ` + ip + ` ` + port +
		`) && [ -n "$r" ] && break; sleep 0.3; done; echo "$r" | head -1; echo "$r" | tail -1`
}

// Run runs the demo on h, printing to out.
func Run(ctx context.Context, h backend.Host, out io.Writer) error {
	before, err := chapterutil.Take(h.Root())
	if err != nil {
		return err
	}
	dir, cleanup, err := chapterutil.TempRoot("dockerlab-ch7-")
	if err != nil {
		return err
	}
	defer cleanup()

	fmt.Fprintf(out, "## ch.7 Docker容器网络 on the %s backend\n", h.Name())
	fmt.Fprintln(out, "## §7.3 Client配置: what the `docker run` flags become (runconfig.Parse)")
	runs := runsFor(h.Name())
	parsed := make([]*parsedRun, len(runs))
	for i, r := range runs {
		p, err := parse(r)
		if err != nil {
			return err
		}
		parsed[i] = p
		fmt.Fprintf(out, "  docker run --name %s %s\n      → %s\n", r.name, shortArgs(r.args), p.summary())
	}

	eng := engine.New()
	eng.Logging = false
	eng.Stdout, eng.Stderr = out, out
	if err := builtins.Register(eng); err != nil {
		return err
	}
	config := &daemon.Config{
		Root:                        filepath.Join(dir, "root"),
		EnableIptables:              true,
		EnableIpForward:             true,
		DefaultIp:                   net.ParseIP("0.0.0.0"),
		InterContainerCommunication: false, // so that the link's rules matter
		ExecDriver:                  "native",
		Host:                        h,
	}
	d, err := daemon.NewDaemon(config, eng)
	if err != nil {
		eng.Shutdown()
		return err
	}
	err = demo(h, eng, d, parsed, out)
	eng.Shutdown()
	if err != nil {
		return err
	}
	fmt.Fprintln(out, "## the daemon left docker0 and its rules, as upstream; the demo removes what it added:")
	return before.Restore(h.Root(), out)
}

// demo runs the containers on a daemon started with --icc=false.
func demo(h backend.Host, eng *engine.Engine, d *daemon.Daemon, parsed []*parsedRun, out io.Writer) error {
	if err := d.Install(eng); err != nil {
		return err
	}
	rootfs, err := importBusybox(h, d)
	if rootfs != "" {
		defer os.RemoveAll(rootfs)
	}
	if err != nil {
		return err
	}
	fmt.Fprintln(out, "## the daemon: --icc=false, so docker0 drops traffic between containers unless a link allows it")
	printRules(h, out, "FORWARD", "-j DROP")

	for _, p := range parsed {
		mode := p.hostConfig.NetworkMode
		fmt.Fprintf(out, "\n## §7.2 %s mode: docker run --name %s %s\n", modeName(mode), p.name, shortArgs(p.args))
		id, err := p.createAndStart(eng)
		if err != nil {
			return err
		}
		c := d.Get(id)
		ns := c.NetworkSettings
		if ns.IPAddress != "" {
			fmt.Fprintf(out, "  §7.4 allocate_interface → IPAddress %s/%d, Gateway %s, Bridge %s\n", ns.IPAddress, ns.IPPrefixLen, ns.Gateway, ns.Bridge)
		} else {
			fmt.Fprintf(out, "  §7.4 no allocate_interface: the %s mode gives no address of its own\n", modeName(mode))
		}
		for port, bindings := range ns.Ports {
			for _, b := range bindings {
				fmt.Fprintf(out, "  §7.4 allocate_port %s → %s:%s\n", port, b.HostIp, b.HostPort)
			}
		}
		if p.detached {
			// What the daemon added to the machine for it: DNAT for
			// published ports, FORWARD ACCEPTs for them and for links.
			if len(ns.Ports) > 0 {
				printRules(h, out, "DOCKER", ns.IPAddress)
			}
			printRules(h, out, "FORWARD", ns.IPAddress+"/32")
			if h.Name() == "linux" && len(ns.Ports["80/tcp"]) > 0 {
				port := ns.Ports["80/tcp"][0].HostPort
				fmt.Fprintf(out, "  from the machine, GET http://%s:%s/ (DNAT of a local address): %s\n",
					ns.Gateway, port, fetchFromMachine(h, rootfs, ns.Gateway, port))
				fmt.Fprintf(out, "  from the machine, GET http://127.0.0.1:%s/ (loopback: docker-proxy): %s\n",
					port, fetchFromMachine(h, rootfs, "127.0.0.1", port))
			}
			continue
		}
		text, err := waitAndRead(eng, c)
		if err != nil {
			return err
		}
		fmt.Fprintf(out, "  §7.6 inside %s:\n", p.name)
		for _, line := range strings.Split(strings.TrimRight(text, "\n"), "\n") {
			fmt.Fprintf(out, "    | %s\n", strings.TrimRight(line, "\r")) // HTTP lines end in CRLF
		}
	}

	fmt.Fprintln(out, "\n## docker kill web db; docker rm web client hosted alone guest db: the addresses, ports and rules go back")
	for _, name := range []string{"web", "db"} {
		if err := jobRun(eng, "kill", name); err != nil {
			return err
		}
		if _, err := waitAndRead(eng, d.Get(name)); err != nil {
			return err
		}
	}
	for _, p := range parsed {
		if err := jobRun(eng, "delete", p.name); err != nil {
			return err
		}
	}
	printRules(h, out, "DOCKER", "DNAT")
	printRules(h, out, "FORWARD", "/32")
	return nil
}

// parsedRun is a run after runconfig.Parse.
type parsedRun struct {
	run
	config     *runconfig.Config
	hostConfig *runconfig.HostConfig
	detached   bool
}

func parse(r run) (*parsedRun, error) {
	config, hostConfig, _, err := runconfig.Parse(r.args, nil)
	if err != nil {
		return nil, fmt.Errorf("docker run %s: %w", strings.Join(r.args, " "), err)
	}
	detached := !config.AttachStdout && !config.AttachStderr
	return &parsedRun{run: r, config: config, hostConfig: hostConfig, detached: detached}, nil
}

// summary is the network part of the parsed configuration.
func (p *parsedRun) summary() string {
	var exposed []string
	for port := range p.config.ExposedPorts {
		exposed = append(exposed, string(port))
	}
	var published []string
	for port, bindings := range p.hostConfig.PortBindings {
		for _, b := range bindings {
			published = append(published, fmt.Sprintf("%s→%q:%q", port, b.HostIp, b.HostPort))
		}
	}
	sortStrings(exposed)
	sortStrings(published)
	return fmt.Sprintf("NetworkMode=%s ExposedPorts=%v PortBindings=%v Links=%v Hostname=%q",
		p.hostConfig.NetworkMode, exposed, published, p.hostConfig.Links, p.config.Hostname)
}

// createAndStart is what the client does for `docker run`: the create job
// with the Config, then the start job with the HostConfig (Docker 1.2's
// API sent the HostConfig with start).
func (p *parsedRun) createAndStart(eng *engine.Engine) (string, error) {
	job := eng.Job("create", p.name)
	if err := job.ImportEnv(p.config); err != nil {
		return "", err
	}
	var id strings.Builder
	job.Stdout.Add(&id)
	if err := job.Run(); err != nil {
		return "", err
	}
	start := eng.Job("start", p.name)
	if err := start.ImportEnv(p.hostConfig); err != nil {
		return "", err
	}
	if err := start.Run(); err != nil {
		return "", err
	}
	return strings.TrimSpace(id.String()), nil
}

// waitAndRead waits for c to exit and for the daemon to clean up after
// it (the network is released then), and returns what it printed.
func waitAndRead(eng *engine.Engine, c *daemon.Container) (string, error) {
	if err := jobRun(eng, "wait", c.ID); err != nil {
		return "", err
	}
	// wait answers at the exit; the monitor releases the network and
	// closes the log just after.
	c.WaitReleased()
	f, err := os.Open(c.LogPath())
	if err != nil {
		return "", err
	}
	defer f.Close()
	var text strings.Builder
	if err := jsonlog.WriteLog(f, &text, ""); err != nil {
		return "", err
	}
	return text.String(), nil
}

func jobRun(eng *engine.Engine, name string, args ...string) error {
	job := eng.Job(name, args...)
	job.Stdout.Add(io.Discard)
	return job.Run()
}

// importBusybox registers a busybox root filesystem as the image
// "busybox" (what `docker import` does, without the stream). It returns
// that directory, which the caller removes: on the real kernel the demo
// runs its own busybox clients from it.
func importBusybox(h backend.Host, d *daemon.Daemon) (string, error) {
	rootfs, err := chapter13.MakeRootfs(h)
	if err != nil {
		return "", err
	}
	// The demo's commands use grep, env and sort too; db serves /www.
	for _, applet := range []string{"grep", "env", "sort"} {
		os.Symlink("busybox", filepath.Join(rootfs, "bin", applet))
	}
	if err := os.MkdirAll(filepath.Join(rootfs, "www"), 0o755); err != nil {
		return rootfs, err
	}
	if err := os.WriteFile(filepath.Join(rootfs, "www", "index.html"), []byte("hello from db\n"), 0o644); err != nil {
		return rootfs, err
	}
	layer, err := archive.Tar(rootfs, archive.Uncompressed)
	if err != nil {
		return rootfs, err
	}
	defer layer.Close()
	img, err := d.Graph().Import(layer, "busybox for chapter 7")
	if err != nil {
		return rootfs, err
	}
	return rootfs, d.Repositories().Set("busybox", "latest", img.ID, true)
}

// fetchFromMachine asks ip:port for "/" from the machine itself (the
// backend's root namespace: the sandbox on linux) with busybox nc.
func fetchFromMachine(h backend.Host, rootfs, ip, port string) string {
	var stdout strings.Builder
	p, err := h.Start(backend.ProcSpec{
		Args:       []string{"/bin/busybox", "sh", "-c", httpGet(ip, port)},
		Rootfs:     rootfs,
		Namespaces: backend.Namespaces{Mount: true},
		Stdout:     &stdout,
		Stderr:     &stdout,
	})
	if err != nil {
		return err.Error()
	}
	p.Wait()
	return strings.Join(strings.Fields(stdout.String()), " ")
}

// printRules prints the rules of chain (nat DOCKER or filter FORWARD)
// that contain match.
func printRules(h backend.Host, out io.Writer, chain, match string) {
	table := "filter"
	if chain == "DOCKER" {
		table = "nat"
	}
	lines, err := h.Root().IPTables().List(table, chain)
	if err != nil {
		fmt.Fprintf(out, "  iptables -t %s -S %s: %v\n", table, chain, err)
		return
	}
	n := 0
	for _, line := range lines {
		if strings.HasPrefix(line, "-A ") && match != "" && strings.Contains(line, match) {
			fmt.Fprintf(out, "  iptables -t %s: %s\n", table, line)
			n++
		}
	}
	if n == 0 {
		fmt.Fprintf(out, "  iptables -t %s -S %s: no rule with %q\n", table, chain, match)
	}
}

func modeName(mode runconfig.NetworkMode) string {
	if mode == "" {
		return "bridge"
	}
	return string(mode)
}

// shortArgs prints args, quoting the shell command and shortening the
// view script.
func shortArgs(args []string) string {
	var parts []string
	for _, a := range args {
		if strings.HasPrefix(a, showNetwork) {
			a = "<hostname; ip addr; ip route; cat /etc/hosts" + strings.TrimPrefix(a, showNetwork) + ">"
		}
		if strings.ContainsAny(a, " ;$") {
			a = "'" + a + "'"
		}
		parts = append(parts, a)
	}
	return strings.Join(parts, " ")
}

func sortStrings(s []string) {
	for i := 1; i < len(s); i++ {
		for j := i; j > 0 && s[j] < s[j-1]; j-- {
			s[j], s[j-1] = s[j-1], s[j]
		}
	}
}
