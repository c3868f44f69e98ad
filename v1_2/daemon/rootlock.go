// The lock on the graph root: one daemon per -g.
//
// Not upstream: Docker 1.2.0 relied on the pid file alone, so two daemons
// given the same -g and different -p (or started at the same moment) both
// ran on one graph, gave two containers the same IP and each rewrote the
// other's files. dockerlab also takes a lock on <root>/lock, which the
// kernel drops when the process dies however it dies (no stale lock to
// delete by hand), and writes its pid there so that the refusal can say
// which daemon holds it.
// Book: ch.4 §4.3 (PID文件) and §4.5 (工作路径).
package daemon

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// errLocked is what tryLock returns when another open file holds the lock.
var errLocked = errors.New("locked")

// lockRoot takes the graph root's lock without waiting and returns the
// function that gives it back. When another daemon holds it, the error
// names that daemon's pid and what to do.
func lockRoot(root string) (func(), error) {
	path := filepath.Join(root, "lock")
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("locking the graph root: %w", err)
	}
	if err := tryLock(f); err != nil {
		f.Close()
		if !errors.Is(err, errLocked) {
			return nil, fmt.Errorf("locking the graph root %s: %w", path, err)
		}
		holder := "another daemon"
		if data, rerr := os.ReadFile(path); rerr == nil {
			if pid, perr := strconv.Atoi(strings.TrimSpace(string(data))); perr == nil && pid > 0 {
				holder = fmt.Sprintf("another daemon (pid %d)", pid)
			}
		}
		return nil, fmt.Errorf("the graph root %s is in use by %s: stop that daemon first, or start this one with another -g (and -p, -H)", root, holder)
	}
	// The pid is written in place, not renamed over the file: the lock is
	// held on this file.
	if err := f.Truncate(0); err == nil {
		f.WriteAt([]byte(strconv.Itoa(os.Getpid())+"\n"), 0)
	}
	return func() {
		f.Truncate(0)
		unlock(f)
		f.Close()
	}, nil
}
