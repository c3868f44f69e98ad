// Exec: run a container's first process and wait for it — the parent's
// half of libcontainer. In order: the cgroup is made and limited, the
// backend starts the process in its new namespaces (it joins the cgroup
// before it runs anything), the network strategies wire it up while it
// waits, state.json is saved, the start callback tells the daemon, and
// Exec waits and returns the exit code.
//
// Upstream: vendor/src/github.com/docker/libcontainer/namespaces/exec.go at
// v1.2.0 (Exec, InitializeNetworking). See docs/upstream/v1.2.0.md §5.2 step
// 6.
// Book: ch.13 §13.3 (namespace.exec) and §13.5 (cgroups参数, 网络栈资源, 配置网络栈,
// namespace完成, 执行Entrypoint); ch.14 §14.3.
//
// Upstream's parent and dockerinit talked over a sync pipe: the parent
// sent the network state, the child set up eth0 from inside. Here the
// backend's Setup hook is that pipe: it runs after the namespaces exist
// and before the program starts, and the network is set up through
// backend.Net handles on the child's namespace.
package namespaces

import (
	"errors"
	"fmt"
	"log"
	"syscall"
	"time"

	"github.com/dockerlab/dockerlab/backend"
	"github.com/dockerlab/dockerlab/v1_2/libcontainer"
	"github.com/dockerlab/dockerlab/v1_2/libcontainer/cgroups"
	"github.com/dockerlab/dockerlab/v1_2/libcontainer/network"
)

// Init is the dockerinit program and argv the driver computed. The
// backend's init runs under Args (Args[0] must be an init the backend
// knows: "native"), and both are recorded in state.json (see
// libcontainer.State.InitArgs).
type Init struct {
	Path string
	Args []string
}

// StartCallback runs once the process has started and its state is saved.
type StartCallback func(p backend.Process)

// Exec runs args in container on host with rootfs as "/", saving
// state.json into dataPath, and blocks until the process exits. It
// returns the exit code (128+signal when killed).
func Exec(host backend.Host, container *libcontainer.Config, stdio Stdio, rootfs, dataPath string, args []string, init Init, startCallback StartCallback) (int, error) {
	spec, err := BuildSpec(container, rootfs, args, stdio)
	if err != nil {
		return -1, err
	}
	state := &libcontainer.State{InitPath: init.Path, InitArgs: init.Args}
	if len(init.Args) > 0 {
		// The backend's init runs under upstream's dockerinit argv
		// until it execs args (ProcSpec.InitName).
		spec.InitName, spec.InitArgs = init.Args[0], init.Args[1:]
	}

	//lab:begin ch13.namespace-exec
	// cgroups参数: before the process runs anything.
	if container.Cgroups != nil {
		paths, err := cgroups.Apply(host.Cgroups(), container.Cgroups)
		if err != nil {
			return -1, err
		}
		state.CgroupPaths = paths
		spec.Cgroup = container.Cgroups.Path()
	}
	//lab:end ch13.namespace-exec
	cleanup := func() {
		if container.Cgroups != nil {
			removeCgroup(host.Cgroups(), container.Cgroups)
		}
		// The kernel deletes the veth pair when the container's network
		// namespace goes, but from a workqueue, a moment later. Deleting
		// the host end now means that once Run returns the link is gone
		// (upstream left it to the kernel).
		if veth := state.NetworkState.VethHost; veth != "" {
			if err := host.Root().LinkDel(veth); err != nil && !errors.Is(err, backend.ErrNotFound) {
				log.Printf("libcontainer: delete %s: %v", veth, err)
			}
		}
	}

	//lab:begin ch13.namespace-exec
	//lab:stub _ = cleanup
	//lab:stub return -1, lab.TODO("ch13.namespace-exec")
	// 网络栈资源 and 配置网络栈, while the child waits.
	spec.Setup = func(p backend.Process) error {
		return InitializeNetworking(host, container, p, &state.NetworkState)
	}

	p, err := host.Start(spec)
	if err != nil {
		cleanup()
		return -1, err
	}
	state.InitPid = p.Pid()
	state.InitStartTime = startTime(host, p.Pid())
	if err := libcontainer.SaveState(dataPath, state); err != nil {
		p.Signal(syscall.SIGKILL)
		p.Wait()
		cleanup()
		return -1, err
	}
	if startCallback != nil {
		startCallback(p)
	}
	status, err := p.Wait()
	cleanup()
	if err != nil {
		return -1, err
	}
	return status.Code, nil
	//lab:end ch13.namespace-exec
}

// InitializeNetworking runs every network strategy of container for the
// process p: Create in the machine's namespace, then Initialize in the
// process's own.
func InitializeNetworking(host backend.Host, container *libcontainer.Config, p backend.Process, state *network.NetworkState) error {
	if len(container.Networks) == 0 {
		return nil
	}
	inside, err := host.NetNS(p.NetNS())
	if err != nil {
		return fmt.Errorf("network: the container's namespace: %w", err)
	}
	for _, n := range container.Networks {
		strategy, err := network.GetStrategy(n.Type)
		if err != nil {
			return err
		}
		if err := strategy.Create(host.Root(), n, p.Pid(), state); err != nil {
			return err
		}
		if err := strategy.Initialize(inside, n, state); err != nil {
			return err
		}
	}
	return nil
}

// startTime is when the backend says pid started (RFC 3339), the value
// Terminate compares to make sure a pid was not reused.
func startTime(host backend.Host, pid int) string {
	procs, err := host.Procs()
	if err != nil {
		return ""
	}
	for _, info := range procs {
		if info.Pid == pid {
			return info.StartedAt.UTC().Format(time.RFC3339Nano)
		}
	}
	return ""
}

// removeCgroup deletes the container's cgroup. When pid 1 of a pid
// namespace exits the kernel kills the rest, but they may still be on
// their way out for a moment: a busy group is retried briefly.
func removeCgroup(cg backend.Cgroups, c *cgroups.Cgroup) {
	for try := 0; try < 100; try++ {
		err := cgroups.Cleanup(cg, c)
		if !errors.Is(err, backend.ErrBusy) {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
}
