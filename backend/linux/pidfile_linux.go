//go:build linux

// The pid registry: <RunDir>/procs/<pid> records every process dockerlab
// started, with its start time, so that a later `dockerlab` run (or
// DeleteSandbox) can find and stop them without ever signalling a process
// that merely reused the pid (linux.md brief; the idea of Docker's
// container state files under /var/lib/docker/containers).
package linux

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
)

func pidDir(runDir string) string { return filepath.Join(runDir, "procs") }

// statFields returns /proc/PID/stat after the "(comm)" field: field 3
// (state) is index 0, field 22 (starttime) is index 19.
func statFields(pid int) []string {
	data, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return nil
	}
	s := string(data)
	i := strings.LastIndexByte(s, ')')
	if i < 0 {
		return nil
	}
	return strings.Fields(s[i+1:])
}

// startTime identifies one incarnation of a pid.
func startTime(pid int) string {
	f := statFields(pid)
	if len(f) < 20 {
		return ""
	}
	return f[19]
}

func writePidFile(runDir string, pid int, args []string) {
	dir := pidDir(runDir)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return // best effort: the in-memory table still knows the process
	}
	line := startTime(pid) + " " + strings.Join(args, " ") + "\n"
	os.WriteFile(filepath.Join(dir, strconv.Itoa(pid)), []byte(line), 0o644)
}

func removePidFile(runDir string, pid int) {
	os.Remove(filepath.Join(pidDir(runDir), strconv.Itoa(pid)))
}

// killRegistered SIGKILLs every registered process that is still the same
// incarnation, and empties the registry.
func killRegistered(runDir string) {
	entries, _ := os.ReadDir(pidDir(runDir))
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		path := filepath.Join(pidDir(runDir), e.Name())
		if err != nil {
			continue
		}
		data, _ := os.ReadFile(path)
		recorded, _, _ := strings.Cut(string(data), " ")
		if recorded != "" && recorded == startTime(pid) {
			syscall.Kill(pid, syscall.SIGKILL)
		}
		os.Remove(path)
	}
}
