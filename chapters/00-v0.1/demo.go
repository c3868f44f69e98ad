// Package v01demo is the demo of the prologue, Docker 0.1.0: one
// container's life told through 0.1.0's own pieces, on either backend.
//
// It narrates upstream v0.1.0's runtime.go (NewRuntimeFromDirectory),
// network.go (NetworkManager, the pre-filled IP and port channels, the
// DOCKER chain of PortMapper), commands.go (CmdImport, CmdImages, CmdRun,
// CmdPs, CmdPort, CmdLogs, CmdKill, CmdRm) and container.go (Start,
// monitor, Kill), rebuilt in v0_1/. Reader's note 002 sections: 创建runtime,
// containers/graph/repositories, 从lxcbr0网桥接口创建网络管理器, 关于lxcbr0,
// command → local call. See README.md (English) and README.zh.md.
package v01demo

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/dockerlab/dockerlab/backend"
	"github.com/dockerlab/dockerlab/chapters/chapterutil"
	docker "github.com/dockerlab/dockerlab/v0_1"
	"github.com/dockerlab/dockerlab/v0_1/rcli"
)

// bridge is the interface 0.1.0 expected lxc-net to have made.
const bridge = "lxcbr0"

// command is what the demo runs in its container: it prints a line for
// `logs` and then stays up so `ps`, `port` and the DNAT rule can be seen.
// Both backends run it (the fake simulates sh, echo and sleep).
var command = []string{"sh", "-c", "echo hello from v0.1; sleep 1000"}

// Run runs the demo on h, printing to out.
func Run(ctx context.Context, h backend.Host, out io.Writer) (err error) {
	before, err := chapterutil.Take(h.Root())
	if err != nil {
		return err
	}
	layer, source, err := loadImage(h.Name())
	if err != nil {
		return err
	}
	root, err := os.MkdirTemp("", "dockerlab-v01demo-")
	if err != nil {
		return err
	}
	d := &demo{h: h, out: out, root: root}
	defer func() {
		if err != nil { // leave the machine as it was even when a step failed
			d.killAll()
			before.Restore(h.Root(), io.Discard)
			os.RemoveAll(root)
		}
	}()
	fmt.Fprintf(out, "## Docker 0.1.0 on the %s backend\n", h.Name())
	steps := []func() error{
		d.setupBridge,
		d.newRuntime,
		d.networkManager,
		func() error { return d.importImage(layer, source) },
		d.runContainer,
		d.logs,
		d.confinement,
		d.killAndRm,
	}
	for _, step := range steps {
		if err := step(); err != nil {
			return err
		}
	}
	fmt.Fprintln(out, "## 6c. the machine put back as it was (lxcbr0 and the DOCKER chain only if the demo made them):")
	if err := before.Restore(h.Root(), out); err != nil {
		return err
	}
	if err := os.RemoveAll(root); err != nil {
		return err
	}
	fmt.Fprintf(out, "  rm -r %s\n## done\n", root)
	return nil
}

// demo is the state the steps share.
type demo struct {
	h    backend.Host
	out  io.Writer
	root string
	srv  *docker.Server
	id   string
}

// docker runs one command the way the client's in-process fallback does
// (rcli.LocalCall: find Cmd<Name> by reflection), printing the command
// line and its answer indented; it returns the answer.
func (d *demo) docker(stdin io.Reader, args ...string) (string, error) {
	fmt.Fprintf(d.out, "$ docker %s\n", strings.Join(args, " "))
	var answer bytes.Buffer
	err := rcli.LocalCall(d.srv, io.NopCloser(stdin), &answer, args...)
	d.indent(answer.String())
	return answer.String(), err
}

// indent prints text two spaces in, so the demo's own lines stand out.
func (d *demo) indent(text string) {
	for _, line := range strings.Split(strings.TrimRight(text, "\n"), "\n") {
		if line != "" {
			fmt.Fprintf(d.out, "  %s\n", line)
		}
	}
}

// natTable is the nat part of iptables-save: the DOCKER chain lives there.
func (d *demo) natTable() (string, error) {
	save, err := backend.DumpIPTables(d.h.Root())
	if err != nil {
		return "", err
	}
	start := strings.Index(save, "*nat")
	if start < 0 {
		return "", nil
	}
	nat := save[start:]
	if end := strings.Index(nat, "COMMIT"); end >= 0 {
		nat = nat[:end+len("COMMIT")]
	}
	return nat, nil
}

// 0. NewRuntime reads lxcbr0's address, so the bridge must exist first.
func (d *demo) setupBridge() error {
	fmt.Fprintln(d.out, "## 0. the bridge lxcbr0 (lxc-net made it in 2013; 0.1.0 only reads it)")
	if _, err := d.h.Root().LinkByName(bridge); err == nil {
		fmt.Fprintln(d.out, "  lxcbr0 exists: the demo uses it as it is")
		return nil
	}
	fmt.Fprintln(d.out, "  lxcbr0 is missing, so first `dockerlab v0.1 setup-bridge` (docker.SetupBridge):")
	var said bytes.Buffer
	err := docker.SetupBridge(d.h, &said)
	d.indent(said.String())
	return err
}

// 1. NewServer → NewRuntimeFromDirectory: three entries under the root.
func (d *demo) newRuntime() error {
	fmt.Fprintf(d.out, "## 1. NewServer → NewRuntimeFromDirectory(%s)\n", d.root)
	srv, err := docker.NewServer(d.h, d.root)
	if err != nil {
		return err
	}
	d.srv = srv
	for _, name := range []string{"containers", "graph", "repositories"} {
		info, err := os.Stat(filepath.Join(d.root, name))
		if err != nil {
			return err
		}
		fmt.Fprintf(d.out, "  %s %04o %s\n", info.Mode(), info.Mode().Perm(), name)
	}
	return nil
}

// 2. The network manager: allocators that are channels, and the DOCKER
// chain. The runtime's own allocators are private, so a second IP
// allocator on the same network shows what the channel holds.
func (d *demo) networkManager() error {
	fmt.Fprintln(d.out, "## 2. the network manager on lxcbr0")
	addrs, err := d.h.Root().AddrList(bridge)
	if err != nil {
		return err
	}
	if len(addrs) == 0 {
		return backend.Errorf(backend.ErrNotFound, syscall.EADDRNOTAVAIL, "addr list", bridge, "%s has no IPv4 address: run `dockerlab v0.1 setup-bridge`", bridge)
	}
	network := addrs[0].IPNet
	fmt.Fprintf(d.out, "  lxcbr0's address %s: the network and the containers' gateway\n", network)
	alloc, err := docker.NewIPAllocator(network)
	if err != nil {
		return err
	}
	var taken []string
	for range 3 {
		ip, err := alloc.Acquire()
		if err != nil {
			return err
		}
		taken = append(taken, ip.String())
		defer alloc.Release(ip)
	}
	fmt.Fprintf(d.out, "  a second IPAllocator, pre-filled with every host address but .1: Acquire ×3 → %s (released again)\n", strings.Join(taken, " "))
	ports, err := docker.NewPortAllocator()
	if err != nil {
		return err
	}
	var got []string
	for range 3 {
		port, err := ports.Acquire()
		if err != nil {
			return err
		}
		got = append(got, strconv.Itoa(port))
		defer ports.Release(port)
	}
	fmt.Fprintf(d.out, "  a second PortAllocator, pre-filled with 49153…65534 (never 65535): Acquire ×3 → %s (released again)\n", strings.Join(got, " "))
	nat, err := d.natTable()
	if err != nil {
		return err
	}
	fmt.Fprintln(d.out, "  PortMapper: flush and delete DOCKER, then create it and jump to it from PREROUTING and OUTPUT:")
	d.indent(nat)
	return nil
}

// 3. import reads a tarball on stdin and stores it as an image.
func (d *demo) importImage(layer []byte, source string) error {
	fmt.Fprintf(d.out, "## 3. import busybox from %s\n", source)
	if _, err := d.docker(bytes.NewReader(layer), "import", "-", "busybox"); err != nil {
		return err
	}
	_, err := d.docker(strings.NewReader(""), "images")
	return err
}

// 4. run -d: an address from the channel, a port from the other, a DNAT
// rule, a veth on lxcbr0.
func (d *demo) runContainer() error {
	fmt.Fprintln(d.out, "## 4. run a container in the background with port 80 published")
	args := append([]string{"run", "-d", "-p", "80", "busybox"}, command...)
	fmt.Fprintf(d.out, "$ docker %s\n", strings.Join(quoted(args), " "))
	var answer bytes.Buffer
	if err := rcli.LocalCall(d.srv, io.NopCloser(strings.NewReader("")), &answer, args...); err != nil {
		return err
	}
	d.indent(answer.String())
	d.id = strings.TrimSpace(answer.String())
	container := d.srv.Runtime().Get(d.id)
	if container == nil {
		return fmt.Errorf("run answered %q, which is not a container", d.id)
	}
	if _, err := d.docker(strings.NewReader(""), "ps"); err != nil {
		return err
	}
	if _, err := d.docker(strings.NewReader(""), "port", d.id, "80"); err != nil {
		return err
	}
	fmt.Fprintf(d.out, "  the container has %s/%d, gateway %s\n", container.NetworkSettings.IpAddress,
		container.NetworkSettings.IpPrefixLen, container.NetworkSettings.Gateway)
	nat, err := d.natTable()
	if err != nil {
		return err
	}
	fmt.Fprintln(d.out, "  the nat table now has the DNAT rule of the published port:")
	d.indent(nat)
	links, err := backend.DumpLinks(d.h.Root())
	if err != nil {
		return err
	}
	fmt.Fprintln(d.out, "  the host end of the container's veth pair is on lxcbr0 (its peer is eth0 inside):")
	d.indent(links)
	return nil
}

// quoted puts quotes around arguments a shell would split.
func quoted(args []string) []string {
	var out []string
	for _, a := range args {
		if strings.ContainsAny(a, " ;") {
			a = "'" + a + "'"
		}
		out = append(out, a)
	}
	return out
}

// 5. logs replays the container's stdout and stderr files. The echo runs
// after `run -d` has answered, so the demo waits for it to land.
func (d *demo) logs() error {
	fmt.Fprintln(d.out, "## 5. logs: the runtime copied the container's output to containers/<id>/<id>-stdout.log and -stderr.log; logs prints them")
	for tries := 0; tries < 100; tries++ {
		var answer bytes.Buffer
		if err := rcli.LocalCall(d.srv, io.NopCloser(strings.NewReader("")), &answer, "logs", d.id); err != nil {
			return err
		}
		if strings.Contains(answer.String(), "hello") {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	_, err := d.docker(strings.NewReader(""), "logs", d.id)
	return err
}

// 5b. what config.lxc leaves a container's root, enforced: chapter 14
// shows 1.2's answer, which turned two of these round.
func (d *demo) confinement() error {
	fmt.Fprintln(d.out, "## 5b. config.lxc's lxc.cap.drop and device whitelist, enforced: NET_ADMIN is kept, MKNOD is not (1.2 turned both round), /proc/sys is read-only")
	script := "exec 2>&1; grep CapEff /proc/self/status; ip link add br9 type bridge && echo 'ip link add: ok'; busybox mknod /dev/x c 1 3; (: > /proc/sys/kernel/panic); true"
	_, err := d.docker(strings.NewReader(""), "run", "busybox", "sh", "-c", script)
	return err
}

// 6. kill, rm, and the rule gone.
func (d *demo) killAndRm() error {
	fmt.Fprintln(d.out, "## 6. kill and rm (`stop` would wait 10 s: sh as pid 1 ignores SIGTERM, so the demo sends SIGKILL)")
	if _, err := d.docker(strings.NewReader(""), "kill", d.id); err != nil {
		return err
	}
	if _, err := d.docker(strings.NewReader(""), "ps", "-a"); err != nil {
		return err
	}
	if _, err := d.docker(strings.NewReader(""), "rm", d.id); err != nil {
		return err
	}
	nat, err := d.natTable()
	if err != nil {
		return err
	}
	fmt.Fprintln(d.out, "## 6b. the exit released the address and the port and removed the DNAT rule:")
	d.indent(nat)
	return nil
}

// killAll stops every container after a failed step.
func (d *demo) killAll() {
	if d.srv == nil {
		return
	}
	for _, c := range d.srv.Runtime().List() {
		c.Kill()
	}
}
