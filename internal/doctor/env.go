// Env: the machine the checks look at. SystemEnv is the real one; tests
// build their own with literal file contents and command outputs.
package doctor

import (
	"bytes"
	"os"
	"os/exec"
	"runtime"
	"strings"
)

// Env is everything a check may ask the machine.
type Env struct {
	GOOS     string
	Euid     int
	ReadFile func(path string) ([]byte, error)
	Exists   func(path string) bool
	LookPath func(file string) (string, error)
	// Output runs a program and returns its stdout+stderr.
	Output func(name string, args ...string) (string, error)
	Getenv func(key string) string

	// CgroupMode returns "v1", "hybrid" or "v2" from the filesystem type
	// of /sys/fs/cgroup and /sys/fs/cgroup/unified.
	CgroupMode func() (string, error)
	// ProbeLinks creates a bridge and a veth pair in a throwaway network
	// namespace and drops it (root only).
	ProbeLinks func() error
	// ProbeDeviceFilter loads an eBPF device program and drops it (root
	// only): can this kernel limit devices on cgroup v2?
	ProbeDeviceFilter func() error
	// IsStaticELF says whether the file is an ELF binary without an
	// interpreter (a static busybox).
	IsStaticELF func(path string) (bool, error)
}

// SystemEnv is this machine.
func SystemEnv() Env {
	return Env{
		GOOS:     runtime.GOOS,
		Euid:     os.Geteuid(),
		ReadFile: os.ReadFile,
		Exists: func(p string) bool {
			_, err := os.Stat(p)
			return err == nil
		},
		LookPath: exec.LookPath,
		Output: func(name string, args ...string) (string, error) {
			var buf bytes.Buffer
			cmd := exec.Command(name, args...)
			cmd.Stdout, cmd.Stderr = &buf, &buf
			err := cmd.Run()
			return strings.TrimSpace(buf.String()), err
		},
		Getenv:      os.Getenv,
		CgroupMode:  cgroupMode,
		ProbeLinks:  probeLinks,
		IsStaticELF: isStaticELF,

		ProbeDeviceFilter: probeDeviceFilter,
	}
}
