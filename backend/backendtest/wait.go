// Waiting helpers for the few kernel effects that are asynchronous on a
// real machine (namespace destruction, process exit). They poll with a
// generous limit and never assert on durations (docs/design.md "Testing": no
// timing assertions).
package backendtest

import (
	"strings"
	"testing"
	"time"
)

// patience bounds every wait: long enough for a loaded CI machine, short
// enough that a hang is reported instead of killing the whole run.
const patience = 30 * time.Second

// eventually polls cond until it holds, failing t if it never does.
func eventually(t *testing.T, cond func() bool, msg string) {
	t.Helper()
	deadline := time.Now().Add(patience)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("gave up waiting: %s", msg)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func trim(s string) string { return strings.TrimSpace(s) }
