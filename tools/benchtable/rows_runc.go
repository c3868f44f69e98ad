// Row: `runc run` of /bin/true on the same busybox rootfs (issue #5 item 8).
// runc is what Docker's execution became after 1.2: libcontainer (book
// ch.14 libcontainer介绍) split out of Docker as a command of its own. It is
// the reference the v1.2 jobs are held to: their start median should be at
// or below runc's.
//
// runc comes from Debian's package, unpacked by scripts/bench-tools.sh
// into build/bench-tools (never installed). The bundle is `runc spec`'s
// default (new pid, net, ipc, uts and mount namespaces, a read-only root)
// with the process made /bin/true without a terminal, the root pointed at
// the busybox rootfs and the cgroup put under dockerlab-bench-runc/.
package main

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
)

const runcRef = "start /bin/true: runc run (Debian's runc)"

// runcCgroup is the parent cgroup of the containers runc starts here.
const runcCgroup = "dockerlab-bench-runc"

func runcRow(cfg config, rootSkip func() string) row {
	runc := filepath.Join(cfg.Tools, "usr", "sbin", "runc")
	return row{
		Group: "container start",
		Name:  runcRef,
		Key:   "runc",
		Skip: func() string {
			if why := rootSkip(); why != "" {
				return why
			}
			return toolMissing(runc, "runc")
		},
		Prepare: func() (func() error, func(), error) {
			rootfs, err := filepath.Abs(cfg.Rootfs)
			if err != nil {
				return nil, nil, err
			}
			dir, err := os.MkdirTemp(benchTmp, "dockerlab-bench-runc-")
			if err != nil {
				return nil, nil, err
			}
			cleanup := func() {
				os.RemoveAll(dir)
				removeCgroup(runcCgroup)
			}
			if err := runcBundle(runc, dir, rootfs); err != nil {
				cleanup()
				return nil, nil, err
			}
			n := 0
			return func() error {
				n++
				// `runc run` without --detach waits for the process and
				// deletes the container (state and cgroup) when it exits.
				cmd := exec.Command(runc, "--root", filepath.Join(dir, "state"), "run",
					"--bundle", dir, fmt.Sprintf("dlbench-%d", n))
				if out, err := cmd.CombinedOutput(); err != nil {
					return fmt.Errorf("runc run: %v: %s", err, out)
				}
				return nil
			}, cleanup, nil
		},
	}
}

// runcBundle writes dir/config.json: `runc spec`'s default, changed to run
// /bin/true from rootfs with no terminal, in a cgroup under runcCgroup.
func runcBundle(runc, dir, rootfs string) error {
	if out, err := exec.Command(runc, "spec", "--bundle", dir).CombinedOutput(); err != nil {
		return fmt.Errorf("runc spec: %v: %s", err, out)
	}
	name := filepath.Join(dir, "config.json")
	data, err := os.ReadFile(name)
	if err != nil {
		return err
	}
	// Only the fields we change are typed; the rest stays as runc wrote it.
	var spec map[string]any
	if err := json.Unmarshal(data, &spec); err != nil {
		return fmt.Errorf("runc spec wrote something that is not JSON: %w", err)
	}
	process, _ := spec["process"].(map[string]any)
	root, _ := spec["root"].(map[string]any)
	linuxPart, _ := spec["linux"].(map[string]any)
	if process == nil || root == nil || linuxPart == nil {
		return fmt.Errorf("runc spec: no process, root or linux section in %s", name)
	}
	process["terminal"] = false
	process["args"] = []string{"/bin/true"}
	root["path"] = rootfs
	linuxPart["cgroupsPath"] = "/" + runcCgroup + "/" + filepath.Base(dir)
	out, err := json.MarshalIndent(spec, "", "\t")
	if err != nil {
		return err
	}
	return os.WriteFile(name, out, 0o644)
}

// toolMissing is a skip reason when an unpacked tool is not there.
func toolMissing(path, what string) string {
	if _, err := os.Stat(path); err != nil {
		return fmt.Sprintf("%s not found at %s: scripts/bench-tools.sh unpacks Debian's package there (needs apt-get download)", what, path)
	}
	return ""
}
