// Host: everything a Docker daemon asks of the kernel (docs/design.md "The
// backend"). A Host is one machine: its root network namespace (on linux,
// by default, the sandbox namespace rather than the VM's own), the named
// namespaces made on it, its cgroups, its processes and its mounts.
package backend

import "syscall"

// Host is implemented by backend/fake.Kernel and backend/linux.Host.
type Host interface {
	// Name is "fake" or "linux".
	Name() string

	// Root is the root network namespace as this backend sees it.
	Root() Net
	// NetNS returns a handle on an existing namespace (ErrNotFound if
	// missing). NetNS(NSRef{}) is Root().
	NetNS(ref NSRef) (Net, error)
	NewNetNS(name string) (Net, error) // ErrExists when taken; the new namespace has only lo, down
	DeleteNetNS(name string) error     // its veths' peers elsewhere disappear with it
	ListNetNS() ([]string, error)      // named namespaces, sorted

	Cgroups() Cgroups

	Start(spec ProcSpec) (Process, error)
	Procs() ([]ProcInfo, error) // the processes this machine runs that the backend started
	// Kill signals a process by pid — one this backend started, possibly
	// in an earlier dockerlab run on the same machine (a restarted daemon
	// terminating what its predecessor left, as Docker 1.2's Terminate
	// did). A pid that is not such a process (or was reused since) gives
	// ErrNotFound: nothing else on the machine can be signalled.
	Kill(pid int, sig syscall.Signal) error

	Mount(m Mount) error
	Unmount(target string) error
	Mounts() ([]Mount, error) // mounts made through this backend

	// Close releases handles. It does not undo state: namespaces, links,
	// rules and cgroups stay until deleted, as on a real machine.
	Close() error
}
