// Holding a container's "destroy" event until its DELETE has been
// answered.
//
// Not upstream: a divergence for later clients (docs/divergences.md).
//
// The docker CLI, below API 1.25, removes a `run --rm` container itself —
// it sends DELETE when it sees "die", and exits when it sees "destroy". The
// delete job logs "destroy" before the handler answers, so the CLI could
// exit with its own DELETE still in flight and print "error removing
// container: context canceled". The events stream therefore sends a
// container's "destroy" only once a DELETE of it being served has answered:
// deleteContainers flushes its 204 onto the connection before it lets the
// event go, and the event waits a moment more for the client to read it.
package server

import (
	"strings"
	"sync"
	"time"
)

var (
	deletesMu sync.Mutex
	deletes   = map[string]int{} // container name or id as the client sent it → DELETEs in flight
)

// beginDelete records a DELETE of name; the returned func ends it.
func beginDelete(name string) func() {
	deletesMu.Lock()
	deletes[name]++
	deletesMu.Unlock()
	return func() {
		deletesMu.Lock()
		if deletes[name]--; deletes[name] <= 0 {
			delete(deletes, name)
		}
		deletesMu.Unlock()
	}
}

// deleting reports whether a DELETE of the container id (full id, or a
// prefix or name the client used) is being served.
func deleting(id, name string) bool {
	deletesMu.Lock()
	defer deletesMu.Unlock()
	for k := range deletes {
		if k == name || k == "/"+name || (len(k) >= 1 && strings.HasPrefix(id, k)) {
			return true
		}
	}
	return false
}

// waitForDelete holds a "destroy" event while its DELETE is served, at
// most limit, and then a moment more for the answer to reach the client.
func waitForDelete(id, name string, limit time.Duration) {
	held := false
	for deadline := time.Now().Add(limit); deleting(id, name) && time.Now().Before(deadline); {
		held = true
		time.Sleep(5 * time.Millisecond)
	}
	if held {
		time.Sleep(20 * time.Millisecond)
	}
}
