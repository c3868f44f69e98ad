// Package chapter13 is the demo of book ch.13 dockerinit启动: the native
// driver's Run, the argv it computes for dockerinit, container.json and
// state.json, the cgroup and the veth made while the container's first
// process waits, and what that process sees once it runs (its hostname,
// pid 1, eth0, the default route).
//
// Reproduces upstream daemon/execdriver/native/driver.go (Run,
// createCommand), dockerinit/dockerinit.go, reexec/reexec.go and the
// vendored libcontainer/namespaces/exec.go at Docker v1.2.0 through
// v1_2/daemon/execdriver/native and v1_2/libcontainer; see README.md
// (English) and README.zh.md.
package chapter13

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"strings"

	"github.com/dockerlab/dockerlab/backend"
	"github.com/dockerlab/dockerlab/chapters/chapterutil"
	"github.com/dockerlab/dockerlab/v1_2/daemon/execdriver"
	"github.com/dockerlab/dockerlab/v1_2/daemon/execdriver/native"
	"github.com/dockerlab/dockerlab/v1_2/daemon/execdriver/native/template"
	"github.com/dockerlab/dockerlab/v1_2/libcontainer"
	"github.com/dockerlab/dockerlab/v1_2/libcontainer/namespaces"
)

// The demo's bridge and container.
const (
	Bridge      = "br-ch13"
	bridgeAddr  = "10.113.0.1/24"
	containerIP = "10.113.0.2"
	ContainerID = "13d0c0ffee13d0c0ffee13d0c0ffee13d0c0ffee13d0c0ffee13d0c0ffee13d0"
	memoryLimit = 64 << 20
)

// script is the entrypoint's command: it waits for a line on stdin so
// the demo can look at it while it runs, then shows what it sees.
const script = "read go; echo hostname: $(hostname); echo my pid: $$; ip addr show eth0; ip route"

// Run runs the demo on h, printing to out.
func Run(ctx context.Context, h backend.Host, out io.Writer) error {
	fmt.Fprintf(out, "## ch.13 dockerinit启动 on the %s backend\n", h.Name())
	rootfs, err := MakeRootfs(h)
	if err != nil {
		return err
	}
	defer os.RemoveAll(rootfs)
	daemonRoot, err := os.MkdirTemp("", "dockerlab-ch13-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(daemonRoot)

	removeBridge, err := AddBridge(h, Bridge, bridgeAddr)
	if err != nil {
		return err
	}
	defer removeBridge()

	fmt.Fprintln(out, "## 13.2 dockerinit and the daemon")
	initPath := filepath.Join(daemonRoot, "init", "dockerinit-1.2.0")
	fmt.Fprintf(out, "  NewDaemon copies its own binary to <root>/init/dockerinit-1.2.0 (here %s);\n", initPath)
	fmt.Fprintln(out, "  the native driver names that file when it starts a container, and the binary's")
	fmt.Fprintln(out, "  main() calls reexec.Init() first: argv[0] decides which program it is.")
	driver, err := native.NewDriver(filepath.Join(daemonRoot, "execdriver", "native"), initPath, h)
	if err != nil {
		return err
	}

	fmt.Fprintf(out, "## 13.3 the entry: %s.Run(command)\n", driver.Name())
	c := &execdriver.Command{
		ID: ContainerID, Rootfs: rootfs, InitPath: "/.dockerinit",
		Entrypoint: "sh", Arguments: []string{"-c", script},
		Env:       []string{"HOSTNAME=" + ContainerID[:12], "PATH=/bin"},
		Resources: &execdriver.Resources{Memory: memoryLimit},
		Network: &execdriver.Network{Mtu: 1500, Interface: &execdriver.NetworkInterface{
			Gateway: strings.Split(bridgeAddr, "/")[0], IPAddress: containerIP, Bridge: Bridge, IPPrefixLen: 24,
		}},
	}
	fmt.Fprintf(out, "  Command{ID: %s…, Entrypoint: %q, Arguments: %q, Network: bridge %s, ip %s, Memory: %d}\n",
		c.ID[:12], c.Entrypoint, c.Arguments, Bridge, containerIP, memoryLimit)

	var buf bytes.Buffer
	inside := &chapterutil.SyncWriter{W: &buf}
	stdinR, stdinW := io.Pipe()
	var callbackErr error
	code, err := driver.Run(c, execdriver.NewPipes(stdinR, inside, inside, true), func(c *execdriver.Command) {
		defer func() {
			stdinW.Write([]byte("go\n"))
			stdinW.Close()
		}()
		callbackErr = whileWaiting(out, h, driver, c)
	})
	if err != nil {
		return err
	}
	if callbackErr != nil {
		return callbackErr
	}
	fmt.Fprintln(out, "## 13.5 namespace完成, 执行Entrypoint: what the container printed")
	for _, line := range strings.Split(strings.TrimRight(buf.String(), "\n"), "\n") {
		fmt.Fprintf(out, "  | %s\n", line)
	}
	fmt.Fprintf(out, "  exit code %d\n", code)

	fmt.Fprintln(out, "## after the exit")
	return afterExit(out, h, filepath.Join(daemonRoot, "execdriver", "native", ContainerID))
}

// whileWaiting prints what exists while the container's process waits on
// its stdin: the argv, container.json, state.json, the process, the
// cgroup and the host end of the veth.
func whileWaiting(out io.Writer, h backend.Host, driver *native.Driver, c *execdriver.Command) error {
	state, err := libcontainer.GetState(stateDir(driver, c))
	if err != nil {
		return err
	}
	fmt.Fprintln(out, "  createCommand's argv for dockerinit (recorded in state.json \"init_args\"):")
	fmt.Fprintf(out, "    %s %s\n", state.InitPath, quoteArgs(state.InitArgs))
	data, err := os.ReadFile(filepath.Join(stateDir(driver, c), native.ConfigFile))
	if err != nil {
		return err
	}
	var pretty map[string]any
	if err := json.Unmarshal(data, &pretty); err != nil {
		return err
	}
	fmt.Fprintf(out, "  <root>/%s…/%s (libcontainer.Config, upstream's field names):\n", c.ID[:12], native.ConfigFile)
	indented, _ := json.MarshalIndent(pretty, "    ", "  ")
	fmt.Fprintf(out, "    %s\n", indented)

	fmt.Fprintln(out, "## 13.4 reexec.Init() and the flow: argv[0] \"native\" chose the init; it set up, then exec'd the entrypoint")
	procs, err := h.Procs()
	if err != nil {
		return err
	}
	for _, p := range procs {
		if p.Pid == c.ContainerPid {
			fmt.Fprintf(out, "  now: pid %d (pid 1 inside), own network namespace: %v, hostname %q, cgroup %q, rootfs %s\n",
				p.Pid, p.OwnNetNS, p.Hostname, p.Cgroup, filepath.Base(p.Rootfs))
		}
	}

	if err := initPhase(out, h, c.Rootfs); err != nil {
		return err
	}

	fmt.Fprintln(out, "## 13.5 cgroups参数: the cgroup, joined before the program ran")
	st, err := h.Cgroups().Stats(ContainerID)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "  cgroup %s… (%s): memory limit %d bytes, pids %d\n", ContainerID[:12], h.Cgroups().Mode(), st.MemoryLimit, len(st.Pids))

	fmt.Fprintln(out, "## 13.5 网络栈资源: the veth pair, host end on the bridge, the other end moved into the container")
	link, err := h.Root().LinkByName(state.NetworkState.VethHost)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "  host end %s: master %s, up %v; child end %s is now eth0 inside\n", link.Name, link.Master, link.Up, state.NetworkState.VethChild)
	return nil
}

// initPhase starts one more process the way namespaces.Exec does, to
// look at the process table from the Setup hook — the moment upstream's
// parent wrote to the sync pipe while dockerinit waited: the process
// still runs under dockerinit's argv, argv[0] "native", which
// reexec.Init() looked up.
func initPhase(out io.Writer, h backend.Host, rootfs string) error {
	cfg := template.New()
	cfg.Cgroups = nil
	args := []string{"true"}
	spec, err := namespaces.BuildSpec(cfg, rootfs, args, namespaces.Stdio{})
	if err != nil {
		return err
	}
	argv := native.InitArgs("", "<root>/<id>", args[0], args[1:])
	spec.InitName, spec.InitArgs = argv[0], argv[1:]
	spec.Setup = func(p backend.Process) error {
		procs, err := h.Procs()
		if err != nil {
			return err
		}
		for _, info := range procs {
			if info.Pid == p.Pid() {
				fmt.Fprintf(out, "  before the exec (a second container, looked at from the parent's Setup hook, the sync pipe moment): argv %s\n", quoteArgs(info.Args))
			}
		}
		return nil
	}
	p, err := h.Start(spec)
	if err != nil {
		return err
	}
	st, err := p.Wait()
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "  then the init exec'd %q, which exited with %d\n", args[0], st.Code)
	return nil
}

// stateDir is <driver root>/<id>.
func stateDir(driver *native.Driver, c *execdriver.Command) string {
	return filepath.Join(driver.Root(), c.ID)
}

// afterExit checks that the container left nothing behind.
func afterExit(out io.Writer, h backend.Host, dir string) error {
	_, err := os.Stat(dir)
	fmt.Fprintf(out, "  <root>/%s… removed: %v\n", ContainerID[:12], errors.Is(err, os.ErrNotExist))
	_, err = h.Cgroups().Stats(ContainerID)
	fmt.Fprintf(out, "  cgroup removed: %v\n", errors.Is(err, backend.ErrNotFound))
	links, err := h.Root().LinkList()
	if err != nil {
		return err
	}
	veths := 0
	for _, l := range links {
		if l.Kind == backend.KindVeth {
			veths++
		}
	}
	fmt.Fprintf(out, "  veth ends left in the machine's namespace: %d\n", veths)
	return nil
}

// quoteArgs prints argv the way a shell would read it back.
func quoteArgs(args []string) string {
	q := make([]string, len(args))
	for i, a := range args {
		if a == "" || strings.ContainsAny(a, " $;'\"") {
			q[i] = "'" + strings.ReplaceAll(a, "'", `'\''`) + "'"
		} else {
			q[i] = a
		}
	}
	return strings.Join(q, " ")
}

// AddBridge makes a bridge with an address, up, and returns how to remove
// it. A bridge already there is an error: the demo removes what it adds.
func AddBridge(h backend.Host, name, cidr string) (func(), error) {
	ip, ipnet, err := net.ParseCIDR(cidr)
	if err != nil {
		return nil, err
	}
	r := h.Root()
	if err := r.AddBridge(name, 0); err != nil {
		return nil, fmt.Errorf("the demo's bridge %s: %w", name, err)
	}
	remove := func() { r.LinkDel(name) }
	if err := r.AddrAdd(name, &net.IPNet{IP: ip, Mask: ipnet.Mask}); err != nil {
		remove()
		return nil, err
	}
	if err := r.LinkSetUp(name); err != nil {
		remove()
		return nil, err
	}
	return remove, nil
}
