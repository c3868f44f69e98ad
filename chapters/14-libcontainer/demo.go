// Package chapter14 is the demo of book ch.14 libcontainer介绍: the layers
// from the daemon down to the kernel (§14.2), then each part of §14.3 run
// for real — the namespaces a container gets, its cgroup on this machine's
// cgroup version (v1 as in the book, v2 as on today's distributions) with
// pause/unpause through the freezer, the four network modes, the mounts
// (a read-only volume), and what capabilities a container keeps.
//
// Reproduces the vendored libcontainer/{namespaces,cgroups,network,mount}
// of Docker v1.2.0 through v1_2/libcontainer and
// v1_2/daemon/execdriver/native; see README.md (English) and README.zh.md.
package chapter14

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/dockerlab/dockerlab/backend"
	"github.com/dockerlab/dockerlab/backend/linux"
	chapter13 "github.com/dockerlab/dockerlab/chapters/13-dockerinit"
	"github.com/dockerlab/dockerlab/chapters/chapterutil"
	"github.com/dockerlab/dockerlab/v1_2/daemon/execdriver"
	"github.com/dockerlab/dockerlab/v1_2/daemon/execdriver/native"
	"github.com/dockerlab/dockerlab/v1_2/daemon/execdriver/native/template"
)

const (
	bridge     = "br-ch14"
	bridgeAddr = "10.114.0.1/24"
)

// demo carries what every step uses.
type demo struct {
	h      backend.Host
	out    io.Writer
	driver *native.Driver
	rootfs string
}

// Run runs the demo on h, printing to out.
func Run(ctx context.Context, h backend.Host, out io.Writer) error {
	fmt.Fprintf(out, "## ch.14 libcontainer介绍 on the %s backend\n", h.Name())
	rootfs, err := chapter13.MakeRootfs(h)
	if err != nil {
		return err
	}
	defer os.RemoveAll(rootfs)
	root, err := os.MkdirTemp("", "dockerlab-ch14-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(root)
	removeBridge, err := chapter13.AddBridge(h, bridge, bridgeAddr)
	if err != nil {
		return err
	}
	defer removeBridge()
	driver, err := native.NewDriver(filepath.Join(root, "execdriver", "native"), filepath.Join(root, "init", "dockerinit-1.2.0"), h)
	if err != nil {
		return err
	}
	d := &demo{h: h, out: out, driver: driver, rootfs: rootfs}
	for _, step := range []func() error{d.layers, d.namespaces, d.cgroups, d.networks, d.mounts, d.capabilities} {
		if err := step(); err != nil {
			return err
		}
	}
	return nil
}

// id makes a 64-hex container id from a short tag.
func id(tag string) string { return (tag + strings.Repeat("0", 64))[:64] }

func (d *demo) command(tag string, args ...string) *execdriver.Command {
	return &execdriver.Command{
		ID: id(tag), Rootfs: d.rootfs, Entrypoint: args[0], Arguments: args[1:],
		Env: []string{"HOSTNAME=" + tag, "PATH=/bin"},
	}
}

// run runs c; while runs while it waits for a line on stdin (so it
// sees the container alive), and run returns what it printed.
func (d *demo) run(c *execdriver.Command, while func(c *execdriver.Command) error) (string, int, error) {
	var buf bytes.Buffer
	w := &chapterutil.SyncWriter{W: &buf}
	stdinR, stdinW := io.Pipe()
	if while != nil {
		c.Entrypoint, c.Arguments = "sh", []string{"-c", "read go; " + shellJoin(c.Entrypoint, c.Arguments)}
	} else {
		stdinW.Close()
	}
	var whileErr error
	code, err := d.driver.Run(c, execdriver.NewPipes(stdinR, w, w, true), func(c *execdriver.Command) {
		if while != nil {
			whileErr = while(c)
			stdinW.Write([]byte("go\n"))
			stdinW.Close()
		}
	})
	if err == nil {
		err = whileErr
	}
	return buf.String(), code, err
}

func shellJoin(cmd string, args []string) string {
	parts := []string{cmd}
	for _, a := range args {
		parts = append(parts, "'"+strings.ReplaceAll(a, "'", `'\''`)+"'")
	}
	return strings.Join(parts, " ")
}

func (d *demo) indent(text string) {
	for _, line := range strings.Split(strings.TrimRight(text, "\n"), "\n") {
		fmt.Fprintf(d.out, "  | %s\n", line)
	}
}

// §14.2: who calls whom.
func (d *demo) layers() error {
	fmt.Fprintln(d.out, "## 14.2 Docker, libcontainer and LXC")
	fmt.Fprintln(d.out, "  docker client → daemon job \"start\" → execdriver "+d.driver.Name()+" (Docker 0.x: lxc-start)")
	fmt.Fprintln(d.out, "    → libcontainer: container.json, namespaces.Exec, cgroups, network strategies")
	fmt.Fprintf(d.out, "    → backend %q → the kernel (clone, setns, mount, pivot_root, cgroupfs, netlink)\n", d.h.Name())
	return nil
}

// §14.3 namespace: the five clone flags and what each one changes.
func (d *demo) namespaces() error {
	fmt.Fprintln(d.out, "## 14.3 namespace: template.New() asks for")
	cfg := template.New()
	names := make([]string, 0, len(cfg.Namespaces))
	for n, on := range cfg.Namespaces {
		if on {
			names = append(names, "CLONE_"+n)
		}
	}
	sort.Strings(names)
	fmt.Fprintf(d.out, "  %s\n", strings.Join(names, " | "))
	out, code, err := d.run(d.command("ns14", "sh", "-c", "echo UTS hostname: $(hostname); echo PID my pid: $$; echo NS /: $(ls /); ps"), nil)
	if err != nil {
		return err
	}
	d.indent(out)
	fmt.Fprintf(d.out, "  exit code %d: NEWUTS gave the hostname, NEWPID made the shell pid 1 (ps reads the container's own /proc), NEWNS made the busybox tree \"/\"\n", code)
	return nil
}

// cgroupFiles names the files a limit lands in on a cgroup version.
func cgroupFiles(mode backend.CgroupMode, root, parent, name string, memory, shares int64) []string {
	if mode == backend.CgroupV2 {
		dir := filepath.Join(root, parent, name)
		return []string{
			fmt.Sprintf("%s/memory.max = %d", dir, memory),
			fmt.Sprintf("%s/cpu.weight = %d (cpu.shares %d converted: backend.SharesToWeight)", dir, backend.SharesToWeight(shares), shares),
			fmt.Sprintf("%s/cgroup.freeze = 1 while paused", dir),
		}
	}
	return []string{
		fmt.Sprintf("%s/memory/%s/%s/memory.limit_in_bytes = %d", root, parent, name, memory),
		fmt.Sprintf("%s/cpu/%s/%s/cpu.shares = %d", root, parent, name, shares),
		fmt.Sprintf("%s/freezer/%s/%s/freezer.state = FROZEN while paused", root, parent, name),
	}
}

// §14.3 cgroup: -m and -c on this machine's cgroups, then pause.
func (d *demo) cgroups() error {
	cg := d.h.Cgroups()
	// The backend puts every cgroup under its parent: linux's
	// Options.CgroupParent ("dockerlab", "docker" upstream); the fake
	// machine keeps them at its root.
	parent := ""
	if lh, ok := d.h.(*linux.Host); ok {
		parent = lh.Options().CgroupParent
	}
	fmt.Fprintf(d.out, "## 14.3 cgroup: this machine mounts cgroup %s at %s (controllers %s)\n", cg.Mode(), cg.Root(), strings.Join(cg.Controllers(), ","))
	const memory, shares = 32 << 20, 512
	c := d.command("cg14", "sleep", "1")
	c.Resources = &execdriver.Resources{Memory: memory, CpuShares: shares}
	_, _, err := d.run(c, func(c *execdriver.Command) error {
		st, err := cg.Stats(c.ID)
		if err != nil {
			return err
		}
		fmt.Fprintf(d.out, "  -m 32m -c 512 → memory limit %d, cpu shares %d (read back)\n", st.MemoryLimit, st.CPUShares)
		mode := cg.Mode()
		if mode == backend.CgroupHybrid {
			mode = backend.CgroupV1
		}
		other := backend.CgroupV1
		if mode == backend.CgroupV1 {
			other = backend.CgroupV2
		}
		fmt.Fprintf(d.out, "  on cgroup %s (this machine) the files are (<id> = %s…):\n", mode, c.ID[:12])
		for _, f := range cgroupFiles(mode, cg.Root(), parent, "<id>", memory, shares) {
			fmt.Fprintf(d.out, "    %s\n", f)
		}
		fmt.Fprintf(d.out, "  on cgroup %s they would be:\n", other)
		for _, f := range cgroupFiles(other, "/sys/fs/cgroup", parent, "<id>", memory, shares) {
			fmt.Fprintf(d.out, "    %s\n", f)
		}
		pids, err := d.driver.GetPidsForContainer(c.ID)
		if err != nil {
			return err
		}
		fmt.Fprintf(d.out, "  GetPidsForContainer: %d process(es) in the group\n", len(pids))
		if err := d.driver.Pause(c); err != nil {
			return err
		}
		st, err = cg.Stats(c.ID)
		if err != nil {
			return err
		}
		fmt.Fprintf(d.out, "  docker pause → freezer: frozen %v\n", st.Frozen)
		if err := d.driver.Unpause(c); err != nil {
			return err
		}
		st, err = cg.Stats(c.ID)
		if err != nil {
			return err
		}
		fmt.Fprintf(d.out, "  docker unpause → frozen %v\n", st.Frozen)
		return nil
	})
	return err
}

// addrs lists "link addr" pairs of a namespace, lo and eth0 first.
func addrs(n backend.Net) (string, error) {
	list, err := n.AddrList("")
	if err != nil {
		return "", err
	}
	var parts []string
	for _, a := range list {
		if a.IPNet.IP.To4() != nil {
			parts = append(parts, a.LinkName+" "+a.IPNet.String())
		}
	}
	return strings.Join(parts, ", "), nil
}

// §14.3 网络: the four modes, seen from outside through the backend.
func (d *demo) networks() error {
	fmt.Fprintln(d.out, "## 14.3 网络: the four network modes (addresses of the namespace each container runs in)")
	gw := strings.Split(bridgeAddr, "/")[0]
	show := func(mode string) func(c *execdriver.Command) error {
		return func(c *execdriver.Command) error {
			n, err := d.h.NetNS(c.Process.NetNS())
			if err != nil {
				return err
			}
			a, err := addrs(n)
			if err != nil {
				return err
			}
			fmt.Fprintf(d.out, "  %-10s %s\n", mode, a)
			return nil
		}
	}
	none := d.command("none14", "true")
	if _, _, err := d.run(none, show("none")); err != nil {
		return err
	}
	bridged := d.command("bridge14", "sleep", "1")
	bridged.Network = &execdriver.Network{Mtu: 1500, Interface: &execdriver.NetworkInterface{
		Gateway: gw, IPAddress: "10.114.0.2", Bridge: bridge, IPPrefixLen: 24,
	}}
	_, _, err := d.run(bridged, func(c *execdriver.Command) error {
		if err := show("bridge")(c); err != nil {
			return err
		}
		joined := d.command("ctr14", "true")
		joined.Network = &execdriver.Network{ContainerID: c.ID}
		_, _, err := d.run(joined, show("container"))
		return err
	})
	if err != nil {
		return err
	}
	host := d.command("host14", "true")
	host.Network = &execdriver.Network{HostNetworking: true}
	_, _, err = d.run(host, show("host"))
	return err
}

// §14.3 挂载: the system mounts and a read-only volume.
func (d *demo) mounts() error {
	fmt.Fprintln(d.out, "## 14.3 挂载: / is the rootfs after pivot_root; /proc, /dev (tmpfs), /dev/pts, /dev/shm, /sys (ro) are mounted by the backend's init")
	vol, err := os.MkdirTemp("", "dockerlab-ch14-volume-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(vol)
	if err := os.WriteFile(filepath.Join(vol, "hello"), []byte("hello from the host\n"), 0o644); err != nil {
		return err
	}
	c := d.command("mnt14", "sh", "-c", "cat /data/hello; touch /data/new && echo wrote || echo read-only volume: write refused")
	c.Mounts = []execdriver.Mount{{Source: vol, Destination: "/data", Writable: false}}
	out, _, err := d.run(c, nil)
	if err != nil {
		return err
	}
	fmt.Fprintln(d.out, "  -v <tmpdir>:/data:ro →")
	d.indent(out)
	return nil
}

// §14.3 设备, 其他: capabilities, devices. The lines say what Docker 1.2
// did with the list and, apart, what dockerlab does today: it records the
// list and applies none of it (docs/divergences.md), so nothing is
// printed as dropped that is not.
func (d *demo) capabilities() error {
	fmt.Fprintln(d.out, "## 14.3 其他: capabilities (template.DefaultCapabilities, recorded in container.json)")
	fmt.Fprintf(d.out, "  Docker 1.2 kept: %s\n", strings.Join(template.DefaultCapabilities, " "))
	kept := map[string]bool{}
	for _, c := range template.DefaultCapabilities {
		kept[c] = true
	}
	var dropped []string
	for _, c := range execdriver.AllCapabilities {
		if !kept[c] {
			dropped = append(dropped, c)
		}
	}
	fmt.Fprintf(d.out, "  Docker 1.2 dropped, unless --privileged or --cap-add: %s\n", strings.Join(dropped, " "))
	fmt.Fprintln(d.out, "  dockerlab today: the list is recorded, not applied: nothing is dropped, a container keeps every capability of root")
	fmt.Fprintln(d.out, "## 14.3 设备: /dev holds null zero full random urandom tty (made by the backend's init); the devices cgroup is not reproduced")
	fmt.Fprintf(d.out, "## nsinit: libcontainer's own CLI read %s and ran it; here the native driver does (chapter 13)\n", "container.json")
	return nil
}
