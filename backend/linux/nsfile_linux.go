//go:build linux

// Namespace files and the thread dance (reference
// docs/kernels.md §3 "netns package" and "Threading pitfalls"; CNI's testutils
// NewNS and iproute2's `ip netns add`, in our own words).
//
// A network namespace belongs to an OS thread, not to a goroutine. To act in
// one we lock a throwaway goroutine to its thread, setns(2) into the
// namespace, do the work, and switch back. If switching back fails the
// goroutine exits still locked, and the Go runtime then kills the thread, so
// a thread in the wrong namespace never serves another goroutine.

package linux

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"syscall"
	"time"

	"github.com/dockerlab/dockerlab/backend"
	"github.com/vishvananda/netns"
	"golang.org/x/sys/unix"
)

// inNetNS runs fn on a fresh locked thread inside the namespace ns.
func inNetNS(ns netns.NsHandle, fn func() error) error {
	done := make(chan error, 1)
	go func() {
		runtime.LockOSThread()
		orig, err := netns.Get()
		if err != nil {
			runtime.UnlockOSThread()
			done <- kernelErr("setns", "", err)
			return
		}
		defer orig.Close()
		if err := netns.Set(ns); err != nil {
			runtime.UnlockOSThread()
			done <- kernelErr("setns", "", err)
			return
		}
		ferr := fn()
		if err := netns.Set(orig); err != nil {
			// Leave the thread locked: it dies with this goroutine.
			done <- fmt.Errorf("setns back to the original namespace: %w (after: %v)", err, ferr)
			return
		}
		runtime.UnlockOSThread()
		done <- ferr
	}()
	return <-done
}

// inNetNSDiscard runs fn on a locked thread inside ns and then lets the
// thread die instead of switching back. Used when fn forks a child that must
// be born in ns: the thread is not worth saving.
func inNetNSDiscard(ns netns.NsHandle, fn func() error) error {
	done := make(chan error, 1)
	go func() {
		runtime.LockOSThread() // never unlocked: the thread ends with the goroutine
		if err := netns.Set(ns); err != nil {
			done <- kernelErr("setns", "", err)
			return
		}
		done <- fn()
	}()
	return <-done
}

// ensureNSDir prepares a directory for namespace files the way iproute2
// prepares /run/netns: it becomes a mount point with shared propagation, so
// that when a namespace file is unmounted later, mount namespaces cloned
// meanwhile lose their copy too and do not keep the namespace alive.
func ensureNSDir(dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return kernelErr("mkdir", dir, err)
	}
	err := unix.Mount("", dir, "none", unix.MS_SHARED|unix.MS_REC, "")
	if err == nil {
		return nil
	}
	if !errors.Is(err, unix.EINVAL) {
		return kernelErr("mount --make-rshared", dir, err)
	}
	// Not a mount point yet: bind it onto itself, then share it.
	if err := unix.Mount(dir, dir, "none", unix.MS_BIND|unix.MS_REC, ""); err != nil {
		return kernelErr("mount --bind", dir, err)
	}
	if err := unix.Mount("", dir, "none", unix.MS_SHARED|unix.MS_REC, ""); err != nil {
		return kernelErr("mount --make-rshared", dir, err)
	}
	return nil
}

// createNSFile makes a new, empty network namespace and pins it by
// bind-mounting it onto path (which must not exist). The namespace is made
// by unshare(2) on a throwaway locked thread that then dies, so no thread of
// ours stays in it.
func createNSFile(path string) error {
	if err := ensureNSDir(filepath.Dir(path)); err != nil {
		return err
	}
	f, err := os.OpenFile(path, os.O_RDONLY|os.O_CREATE|os.O_EXCL, 0o444)
	if err != nil {
		if errors.Is(err, os.ErrExist) {
			return backend.Errorf(backend.ErrExists, syscall.EEXIST, "netns add", filepath.Base(path), "")
		}
		return kernelErr("netns add", filepath.Base(path), err)
	}
	f.Close()
	done := make(chan error, 1)
	go func() {
		runtime.LockOSThread() // never unlocked: this thread now lives in the new namespace
		if err := unix.Unshare(unix.CLONE_NEWNET); err != nil {
			done <- kernelErr("unshare", "CLONE_NEWNET", err)
			return
		}
		self := fmt.Sprintf("/proc/%d/task/%d/ns/net", os.Getpid(), unix.Gettid())
		done <- kernelErr("mount --bind", path, unix.Mount(self, path, "none", unix.MS_BIND, ""))
	}()
	if err := <-done; err != nil {
		os.Remove(path)
		return err
	}
	return nil
}

// ensureNSFile makes sure a namespace is pinned at path, creating it if
// needed. Two dockerlab commands started together may race to create the
// sandbox: the loser waits for the winner's bind mount. A file left
// unmounted (someone ran umount by hand) is stale and is replaced.
func ensureNSFile(path string) error {
	for attempt := 0; ; attempt++ {
		if isNSFile(path) {
			return nil
		}
		err := createNSFile(path)
		if err == nil || !errors.Is(err, backend.ErrExists) {
			return err
		}
		if attempt == 100 { // about a second: nobody is mounting it
			os.Remove(path)
		}
		if attempt > 101 {
			return err
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// removeNSFile unpins a namespace: unmount (detached, in case someone still
// has it open) and remove the file. The kernel frees the namespace, and
// destroys the veths in it, once nothing else refers to it.
func removeNSFile(path string) error {
	if err := unix.Unmount(path, unix.MNT_DETACH); err != nil && !errors.Is(err, unix.EINVAL) {
		if errors.Is(err, unix.ENOENT) {
			return backend.Errorf(backend.ErrNotFound, syscall.ENOENT, "netns del", filepath.Base(path), "")
		}
		return kernelErr("umount", path, err)
	}
	if err := os.Remove(path); err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return backend.Errorf(backend.ErrNotFound, syscall.ENOENT, "netns del", filepath.Base(path), "")
		}
		return kernelErr("netns del", filepath.Base(path), err)
	}
	return nil
}

// isNSFile says whether path is a pinned network namespace.
func isNSFile(path string) bool {
	var st unix.Statfs_t
	if err := unix.Statfs(path, &st); err != nil {
		return false
	}
	return st.Type == unix.NSFS_MAGIC
}

// CreateNSFile makes a new empty network namespace pinned at path (its
// directory becomes a shared mount point, like /run/netns). Test harnesses
// use it for throwaway root namespaces.
func CreateNSFile(path string) error { return createNSFile(path) }

// RemoveNSDir unpins every namespace file in dir, unmounts dir and removes
// it: the undo of CreateNSFile for a whole directory.
func RemoveNSDir(dir string) error { return removeNSDir(dir) }
