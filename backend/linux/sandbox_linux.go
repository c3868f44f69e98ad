//go:build linux

// The sandbox and tearing things down (docs/design.md "The backend": by default
// dockerlab works inside its own network namespace; docs/architecture.md). The
// CLI's `dockerlab sandbox rm` calls DeleteSandbox; tests call Destroy.

package linux

import (
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"syscall"
	"time"

	"github.com/dockerlab/dockerlab/backend"
	"golang.org/x/sys/unix"
)

// SandboxExists says whether the sandbox namespace called name is pinned.
func SandboxExists(name string) bool {
	return checkName(name) == nil && isNSFile(SandboxPath(name))
}

// DeleteSandbox destroys the sandbox name and everything dockerlab made
// around it: the processes in the pid registry under runDir (killed), the
// named namespaces under runDir/netns, the empty cgroups under the
// sandbox's own parent (SandboxCgroupParent), and finally the sandbox namespace itself (its links
// and rules go with it).
func DeleteSandbox(name, runDir string) error {
	if err := checkName(name); err != nil {
		return err
	}
	if runDir == "" {
		runDir = DefaultRunDir
	}
	pids := registeredPids(runDir)
	killRegistered(runDir)
	waitGone(pids)
	var errs []error
	if err := removeNSDir(filepath.Join(runDir, "netns")); err != nil {
		errs = append(errs, err)
	}
	if cg, err := NewCgroups(DefaultCgroupRoot, "", SandboxCgroupParent(name)); err == nil {
		removeCgroupTree(cg) // only empty cgroups go; busy ones stay
	}
	os.Remove(pidDir(runDir)) // both only if empty
	os.Remove(runDir)
	if isNSFile(SandboxPath(name)) {
		if err := removeNSFile(SandboxPath(name)); err != nil {
			errs = append(errs, err)
		}
	} else if len(errs) == 0 {
		return backend.Errorf(backend.ErrNotFound, syscall.ENOENT, "sandbox rm", name, "no sandbox namespace at %s", SandboxPath(name))
	}
	return errors.Join(errs...)
}

// registeredPids lists the pids in the registry.
func registeredPids(runDir string) []int {
	entries, _ := os.ReadDir(pidDir(runDir))
	var pids []int
	for _, e := range entries {
		if pid, err := strconv.Atoi(e.Name()); err == nil {
			pids = append(pids, pid)
		}
	}
	return pids
}

// waitGone gives killed processes (reaped by someone else) a moment to go.
func waitGone(pids []int) {
	deadline := time.Now().Add(3 * time.Second)
	for _, pid := range pids {
		for time.Now().Before(deadline) && syscall.Kill(pid, 0) == nil && procState(pid) != "Z" {
			time.Sleep(10 * time.Millisecond)
		}
	}
}

// removeNSDir unpins every namespace file in dir, then the dir's own
// bind mount (ensureNSDir made it), then the dir.
func removeNSDir(dir string) error {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	var errs []error
	for _, e := range entries {
		if err := removeNSFile(filepath.Join(dir, e.Name())); err != nil {
			errs = append(errs, err)
		}
	}
	unix.Unmount(dir, unix.MNT_DETACH)
	if err := os.Remove(dir); err != nil && !errors.Is(err, os.ErrNotExist) {
		errs = append(errs, kernelErr("rmdir", dir, err))
	}
	return errors.Join(errs...)
}

// SandboxCgroups lists the cgroup directories of the sandbox called name
// that exist: its own parent (SandboxCgroupParent) under each v1
// controller, or once on v2. They are the only cgroups `sandbox reset`
// removes, by these names, whether or not the namespace still exists.
func SandboxCgroups(name string) []string {
	cg, err := NewCgroups(DefaultCgroupRoot, "", SandboxCgroupParent(name))
	if err != nil {
		return nil
	}
	_, tops := cgroupTops(cg)
	var found []string
	for _, dir := range tops {
		if isDir(dir) {
			found = append(found, dir)
		}
	}
	return found
}

// cgroupTops is the manager's parent directory under each hierarchy.
func cgroupTops(cg backend.Cgroups) (cgFiles, []string) {
	switch c := cg.(type) {
	case *cgroupV1:
		var dirs []string
		for _, ctrl := range c.ctrls {
			dirs = append(dirs, c.dir(ctrl, ""))
		}
		return c.files, dirs
	case *cgroupV2:
		return c.files, []string{c.dir("")}
	}
	return cgFiles{}, nil
}

// removeCgroupTree removes, deepest first, every empty cgroup under the
// manager's parent, and the parent itself when it ends up empty.
func removeCgroupTree(cg backend.Cgroups) error {
	files, tops := cgroupTops(cg)
	return removeTrees(files, tops)
}

func removeTrees(files cgFiles, tops []string) error {
	var errs []error
	for _, top := range tops {
		if !isDir(top) {
			continue
		}
		var walk func(dir string)
		walk = func(dir string) {
			entries, _ := os.ReadDir(dir)
			for _, e := range entries {
				if e.IsDir() {
					walk(filepath.Join(dir, e.Name()))
				}
			}
			if err := files.rmdir(dir); err != nil {
				errs = append(errs, err)
			}
		}
		walk(top)
	}
	return errors.Join(errs...)
}

// Destroy undoes everything this Host made: it kills the processes it
// started and waits for them, deletes its named namespaces (and the bind
// mount of their directory), the cgroups under its CgroupParent and the
// mounts it made, then closes. The root namespace stays (it is the
// sandbox, or the caller's NetNSPath). Tests call it in cleanup.
func (h *Host) Destroy() error {
	h.mu.Lock()
	procs := append([]*process(nil), h.procs...)
	mounts := append([]backend.Mount(nil), h.mounts...)
	h.mu.Unlock()
	for _, p := range procs {
		if !p.exited() {
			p.cmd.Process.Kill()
		}
		p.Wait()
	}
	var errs []error
	for i := len(mounts) - 1; i >= 0; i-- {
		if err := h.Unmount(mounts[i].Target); err != nil {
			errs = append(errs, err)
		}
	}
	h.mu.Lock()
	var named []*Net
	for name, n := range h.named {
		named = append(named, n)
		delete(h.named, name)
	}
	h.mu.Unlock()
	for _, n := range named {
		n.close()
	}
	if err := removeNSDir(h.nsDir()); err != nil {
		errs = append(errs, err)
	}
	if err := removeCgroupTree(h.cg); err != nil {
		errs = append(errs, err)
	}
	h.Close()
	return errors.Join(errs...)
}
