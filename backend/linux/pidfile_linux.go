//go:build linux

// The pid registry: <RunDir>/procs/<pid> records every process dockerlab
// started, with its start time, so that a later `dockerlab` run (or
// DeleteSandbox) can find and stop them without ever signalling a process
// that merely reused the pid (docs/architecture.md; the idea of Docker's
// container state files under /var/lib/docker/containers).

package linux

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"

	"github.com/dockerlab/dockerlab/backend"
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

// pidRecord is one registry file: enough to list the process later from
// another dockerlab command, and to know it is still the same process.
type pidRecord struct {
	StartTime string // field 22 of /proc/PID/stat when it was started
	Info      backend.ProcInfo
}

func writePidFile(runDir string, info backend.ProcInfo) {
	dir := pidDir(runDir)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return // best effort: the in-memory table still knows the process
	}
	data, err := json.Marshal(pidRecord{StartTime: startTime(info.Pid), Info: info})
	if err != nil {
		return
	}
	os.WriteFile(filepath.Join(dir, strconv.Itoa(info.Pid)), data, 0o644)
}

func removePidFile(runDir string, pid int) {
	os.Remove(filepath.Join(pidDir(runDir), strconv.Itoa(pid)))
}

// readRegistry returns the registered processes that are still alive
// (same pid, same start time), removing the files of the others.
func readRegistry(runDir string) []pidRecord {
	entries, _ := os.ReadDir(pidDir(runDir))
	var out []pidRecord
	for _, e := range entries {
		path := filepath.Join(pidDir(runDir), e.Name())
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		var rec pidRecord
		data, err := os.ReadFile(path)
		if err != nil || json.Unmarshal(data, &rec) != nil || rec.Info.Pid != pid {
			continue
		}
		if rec.StartTime == "" || rec.StartTime != startTime(pid) {
			os.Remove(path) // it ended while nobody was watching
			continue
		}
		out = append(out, rec)
	}
	return out
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
		var rec pidRecord
		data, _ := os.ReadFile(path)
		if json.Unmarshal(data, &rec) == nil && rec.StartTime != "" && rec.StartTime == startTime(pid) {
			syscall.Kill(pid, syscall.SIGKILL)
		}
		os.Remove(path)
	}
}

// registered reports whether pid is a live process of the registry (same
// start time as recorded): the only processes Kill may signal besides
// this Host's own.
func registered(runDir string, pid int) bool {
	data, err := os.ReadFile(filepath.Join(pidDir(runDir), strconv.Itoa(pid)))
	if err != nil {
		return false
	}
	var rec pidRecord
	return json.Unmarshal(data, &rec) == nil && rec.Info.Pid == pid &&
		rec.StartTime != "" && rec.StartTime == startTime(pid)
}
