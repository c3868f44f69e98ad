//go:build linux

// A linux backend that cannot touch the host: its root network namespace
// is a throwaway one made here, its named namespaces and run files go to a
// temporary directory, its cgroups under a unique dockerlab-bench name
// (reference testing-real-and-fake-kernels.md §1.7: per-test netns, random
// names). Cleanup removes all of it.
package main

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"

	"golang.org/x/sys/unix"

	"github.com/dockerlab/dockerlab/backend/linux"
)

const isLinux = true

func throwawayLinuxHost() (*linux.Host, func(), error) {
	dir, err := os.MkdirTemp("", "dockerlab-bench-")
	if err != nil {
		return nil, nil, err
	}
	nsPath := filepath.Join(dir, "root-netns")
	if err := newNetNSFile(nsPath); err != nil {
		os.RemoveAll(dir)
		return nil, nil, err
	}
	opts := linux.DefaultOptions()
	opts.Sandbox = false
	opts.NetNSPath = nsPath
	opts.RunDir = filepath.Join(dir, "run")
	opts.CgroupParent = "dockerlab-bench-" + filepath.Base(dir)[len("dockerlab-bench-"):]
	h, err := linux.New(opts)
	cleanup := func() {
		if h != nil {
			h.Close()
		}
		// The parent cgroup, if the backend made one: ours alone (the
		// name is unique), and rmdir removes only an empty cgroup.
		for _, root := range []string{opts.CgroupRoot, filepath.Join(opts.CgroupRoot, "*")} {
			dirs, _ := filepath.Glob(filepath.Join(root, opts.CgroupParent))
			for _, d := range dirs {
				unix.Rmdir(d)
			}
		}
		// The backend bind-mounts its netns directory onto itself (so the
		// namespace files in it can be mount points); undo that too.
		unix.Unmount(filepath.Join(opts.RunDir, "netns"), unix.MNT_DETACH)
		unix.Unmount(nsPath, unix.MNT_DETACH)
		os.RemoveAll(dir)
	}
	if err != nil {
		cleanup()
		return nil, nil, err
	}
	return h, cleanup, nil
}

// newNetNSFile makes a new network namespace and bind-mounts it on path,
// so it lives on after the thread that made it. The thread unshares and is
// never unlocked: when the goroutine ends, Go throws that thread away, and
// with it the only thread that was ever in the new namespace.
func newNetNSFile(path string) error {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_EXCL, 0o444)
	if err != nil {
		return err
	}
	f.Close()
	errc := make(chan error, 1)
	go func() {
		runtime.LockOSThread()
		if err := unix.Unshare(unix.CLONE_NEWNET); err != nil {
			errc <- fmt.Errorf("unshare(CLONE_NEWNET): %w", err)
			return
		}
		self := fmt.Sprintf("/proc/self/task/%d/ns/net", unix.Gettid())
		if err := unix.Mount(self, path, "", unix.MS_BIND, ""); err != nil {
			errc <- fmt.Errorf("bind-mounting the new netns on %s: %w", path, err)
			return
		}
		errc <- nil
	}()
	if err := <-errc; err != nil {
		os.Remove(path)
		return err
	}
	return nil
}
