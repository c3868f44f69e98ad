//go:build linux

// A linux backend that cannot touch the host, as the real-kernel tests get
// from backend/linux/linuxtest but without a *testing.T: its root network
// namespace is a throwaway one, its named namespaces and run files live in
// a temporary directory, its cgroups under a unique dockerlab-bench- name
// (reference docs/kernels.md §1.7: per-test netns, random
// names). The cleanup undoes all of it.
package main

import (
	"errors"
	"os"
	"path/filepath"

	"github.com/dockerlab/dockerlab/backend/linux"
)

const isLinux = true

func throwawayLinuxHost() (*linux.Host, func(), error) {
	dir, err := os.MkdirTemp(benchTmp, "dockerlab-bench-")
	if err != nil {
		return nil, nil, err
	}
	nsDir := filepath.Join(dir, "ns")
	if err := linux.CreateNSFile(filepath.Join(nsDir, "root")); err != nil {
		os.RemoveAll(dir)
		return nil, nil, err
	}
	h, err := linux.New(linux.Options{
		NetNSPath:    filepath.Join(nsDir, "root"),
		RunDir:       filepath.Join(dir, "run"),
		CgroupParent: "dockerlab-bench-" + filepath.Base(dir)[len("dockerlab-bench-"):],
	})
	if err != nil {
		linux.RemoveNSDir(nsDir)
		os.RemoveAll(dir)
		return nil, nil, err
	}
	cleanup := func() {
		err := errors.Join(h.Destroy(), linux.RemoveNSDir(nsDir), os.RemoveAll(dir))
		if err != nil {
			// The table is printed anyway; say what may have been left.
			os.Stderr.WriteString("benchtable: cleanup: " + err.Error() + "\n")
		}
	}
	return h, cleanup, nil
}
