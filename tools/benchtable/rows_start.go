// Rows: starting a container (book ch.13 dockerinit启动, ch.14 §14.3
// namespace/挂载). The linux backend starts /bin/true from the busybox
// image with every namespace and pivot_root, re-executing this binary as
// the container's init the way Docker 1.2 re-executed dockerinit. The
// reference is util-linux doing the least a container runtime must:
// `unshare --fork --pid --mount --uts --ipc --net chroot ROOTFS /bin/true`.
// Target: the backend within 2x of it.
//
// Two more rows (issue #5 item 8): `runc run` on the same rootfs
// (rows_runc.go), and Docker 1.2's whole path through the jobs — create
// (rootfs layers, config on disk), start (the book's ch.12 §12.4 steps:
// network, mounts, the native execdriver) and wait — in a daemon inside
// this process (jobs_daemon.go). Target: the jobs at or below runc.
package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"

	"github.com/dockerlab/dockerlab/backend"
)

const startRef = "start /bin/true: unshare + chroot"

func startRows(cfg config) []row {
	skip := func() string {
		if why := needRootLinux(); why != "" {
			return why
		}
		if _, err := os.Stat(filepath.Join(cfg.Rootfs, "bin", "true")); err != nil {
			return fmt.Sprintf("no busybox rootfs at %s: make images", cfg.Rootfs)
		}
		return ""
	}
	return []row{
		{
			Group: "container start",
			Name:  startRef,
			Key:   "unshare",
			Skip: func() string {
				if why := skip(); why != "" {
					return why
				}
				if _, err := exec.LookPath("unshare"); err != nil {
					return "unshare (util-linux) is not installed: make deps"
				}
				return ""
			},
			Prepare: func() (func() error, func(), error) {
				return func() error {
					cmd := exec.Command("unshare", "--fork", "--pid", "--mount", "--uts", "--ipc", "--net",
						"chroot", cfg.Rootfs, "/bin/true")
					if out, err := cmd.CombinedOutput(); err != nil {
						return fmt.Errorf("%v: %s", err, out)
					}
					return nil
				}, nil, nil
			},
		},
		runcRow(cfg, skip),
		{
			Group:     "container start",
			Name:      "start /bin/true: linux backend (all namespaces, pivot_root)",
			Reference: startRef,
			Also:      []string{runcRef},
			Target:    "≤ 2x unshare",
			Max:       2,
			Skip:      skip,
			Prepare: func() (func() error, func(), error) {
				h, cleanup, err := throwawayLinuxHost()
				if err != nil {
					return nil, nil, err
				}
				rootfs, err := filepath.Abs(cfg.Rootfs)
				if err != nil {
					cleanup()
					return nil, nil, err
				}
				return func() error { return startTrue(h, rootfs) }, cleanup, nil
			},
		},
		{
			Group:     "container start",
			Name:      "create+start+wait /bin/true: v1.2 jobs (native driver, bridge network)",
			Reference: runcRef,
			Also:      []string{startRef},
			Target:    "≤ 1x runc",
			Max:       1,
			Skip: func() string {
				if why := skip(); why != "" {
					return why
				}
				return jobsSkip(cfg, "import", "create", "start", "wait")
			},
			Prepare: func() (func() error, func(), error) {
				d, err := sharedJobsDaemon(cfg)
				if err != nil {
					return nil, nil, err
				}
				return d.runTrue, nil, nil
			},
		},
	}
}

// startTrue starts /bin/true in a new container and waits for it.
func startTrue(h backend.Host, rootfs string) error {
	p, err := h.Start(backend.ProcSpec{
		Args:       []string{"/bin/true"},
		Namespaces: backend.AllNamespaces(),
		Rootfs:     rootfs,
	})
	if err != nil {
		return err
	}
	st, err := p.Wait()
	if err != nil {
		return err
	}
	if st.Code != 0 {
		return fmt.Errorf("/bin/true exited %d", st.Code)
	}
	return nil
}
