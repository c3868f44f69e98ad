// Processes: start a command the way a container runtime does — new
// namespaces, a hostname, a root filesystem entered with pivot_root, the
// usual pseudo-filesystems, a user, an environment, stdio and a cgroup —
// then wait for it or signal it (docs/design.md "The backend"; book ch.13
// dockerinit启动 and ch.14 §14.3 namespace/挂载; note 003 namespaces).
//
// Docker 0.1.0 asked lxc-start for this; Docker 1.2.0 re-executed its own
// binary as dockerinit inside the new namespaces. The linux backend does the
// same with the dockerlab binary. The fake backend never executes a host
// binary: it runs a simulated userland confined to the rootfs.
package backend

import (
	"io"
	"syscall"
	"time"
)

// Namespaces says which namespaces a process gets of its own. A namespace
// left false is shared with the backend's root (for NET: see ProcSpec.NetNS).
type Namespaces struct {
	UTS, IPC, PID, NET, Mount bool
}

// AllNamespaces is what LXC gave a 0.1.0 container and what 1.2.0's native
// driver asked for: NEWNS|NEWUTS|NEWIPC|NEWPID|NEWNET.
func AllNamespaces() Namespaces {
	return Namespaces{UTS: true, IPC: true, PID: true, NET: true, Mount: true}
}

// ProcSpec describes a process to start.
type ProcSpec struct {
	Args []string // Args[0] is looked up in the rootfs: absolute path, or $PATH from Env
	Env  []string // KEY=VALUE; PATH defaults to the usual /usr/local/sbin:…:/bin
	Dir  string   // working directory inside the rootfs, default "/"

	Namespaces Namespaces
	// NetNS joins an existing network namespace instead of making one
	// (Namespaces.NET must be false): a name from Host.NewNetNS, or a pid
	// (Docker 1.2's --net container:NAME). The zero NSRef is the root.
	NetNS NSRef

	Hostname string // needs Namespaces.UTS

	// Rootfs, when set, becomes the process's "/" through pivot_root after
	// "/" is made rprivate (needs Namespaces.Mount). Then /proc, /dev (tmpfs
	// with null, zero, full, random, urandom, tty, or Confine.DeviceNodes),
	// /dev/pts, /dev/shm and /sys (read-only unless Confine says otherwise)
	// are mounted, followed by Mounts.
	Rootfs         string
	Mounts         []Mount // bind mounts (volumes), Target relative to the rootfs
	ReadonlyRootfs bool

	Uid, Gid int // 0 = root
	Groups   []int

	Stdin          io.Reader
	Stdout, Stderr io.Writer
	Tty            bool // give stdio a pseudo-terminal (docker run -t): stdout and stderr share it

	Cgroup string // a path made with Cgroups.Create; the process joins it before it runs

	// Confine, when set, confines the program (capabilities, the nodes
	// of its /dev, /proc and /sys restrictions; security.go) before it
	// runs; the devices it may open are its cgroup's Resources.Devices.
	// nil leaves the process with everything its starter had.
	Confine *Confinement

	// InitName and InitArgs are the argv of the init that runs in the new
	// namespaces until it execs Args: InitName "" is "dockerlab-init",
	// and "native" is the name Docker 1.2's native driver ran dockerinit
	// under (`native -console … -pipe 3 -root … -- <entrypoint> <args>`,
	// book ch.13). The process table shows this argv until the program
	// runs (during Setup), as ps showed dockerinit's. Other names are
	// refused: the init must be one the binary registered.
	InitName string
	InitArgs []string

	// Setup, when set, runs after the namespaces exist and before the
	// program starts — the moment Docker 1.2 moved the veth into the
	// container's namespace while dockerinit waited on its sync pipe. An
	// error kills the process and Start returns it.
	Setup func(p Process) error
}

// ExitStatus is how a process ended.
type ExitStatus struct {
	Code   int            // exit code; 128+signal when killed, as a shell reports it
	Signal syscall.Signal // the signal that killed it, 0 if it exited
}

// Process is a started process.
type Process interface {
	Pid() int // the pid on the backend's machine (the host pid on linux)
	// Wait blocks until the process ends. It may be called more than
	// once and from several goroutines; all get the same status.
	Wait() (ExitStatus, error)
	Signal(sig syscall.Signal) error // ErrNotFound once it has ended
	NetNS() NSRef                    // the network namespace it runs in
}

// ProcInfo is one row of the backend's process table (`ps`-like).
type ProcInfo struct {
	Pid       int
	Args      []string
	Hostname  string
	NetNS     NSRef  // the namespace it runs in (by pid for its own namespace)
	OwnNetNS  bool   // it has a network namespace of its own
	Cgroup    string // "" when none
	Rootfs    string
	State     string // "running", "stopped" (SIGSTOP), "frozen", "exited"
	StartedAt time.Time
}
