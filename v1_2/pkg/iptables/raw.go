// Raw: the one place Docker 1.2.0 ran the iptables program.
//
// Upstream: pkg/iptables/iptables.go at v1.2.0 (Raw, Exists, the "--wait"
// probe in init). See docs/upstream/v1.2.0.md §3.2.
// Book: ch.6 §6.4 (bridge driver, setupIPTables).
// Notes: 000 "启用iptables功能并配置".
//
// Divergence (the backend seam, docs/design.md "The backend"): upstream looked
// up /sbin/iptables with exec.LookPath and ran it with CombinedOutput. Here
// Raw hands the very same argv to a Runner, normally the Raw method of the
// backend's root namespace (SetHost). On linux that runs the real iptables
// binary inside the sandbox namespace (and adds --wait itself); on the fake
// it edits the in-memory tables. The argv is upstream's, minus the
// "--wait" that upstream put in front when the binary supported it.
package iptables

import (
	"errors"
	"fmt"
	"os"
	"strings"
	"sync"

	"github.com/dockerlab/dockerlab/backend"
)

// Runner runs one iptables command line (without the program name) and
// returns what iptables printed on stdout.
type Runner func(args ...string) ([]byte, error)

var (
	runnerMu sync.RWMutex
	runner   Runner // nil until SetHost or SetRunner: "iptables not found"
)

// SetHost makes Raw run in the root network namespace of h (for the linux
// backend: its sandbox namespace, never the VM's own tables).
func SetHost(h backend.Host) {
	if h == nil {
		SetRunner(nil)
		return
	}
	SetRunner(h.Root().IPTables().Raw)
}

// SetRunner replaces the Runner and returns the previous one. Tests use it
// to record every argv while still running it on a fake kernel.
func SetRunner(r Runner) Runner {
	runnerMu.Lock()
	defer runnerMu.Unlock()
	old := runner
	runner = r
	return old
}

func currentRunner() Runner {
	runnerMu.RLock()
	defer runnerMu.RUnlock()
	return runner
}

// Raw runs iptables with args. Errors say which command failed, as
// upstream's "iptables failed: iptables ARGS: ..." did, and wrap the
// backend's error, so errors.Is(err, backend.ErrNotFound) still works.
func Raw(args ...string) ([]byte, error) {
	run := currentRunner()
	if run == nil {
		return nil, ErrIptablesNotFound
	}
	if os.Getenv("DEBUG") != "" {
		fmt.Fprintf(os.Stderr, "[debug] iptables %v\n", args)
	}
	output, err := run(args...)
	if err != nil {
		if errors.Is(err, backend.ErrUnsupported) {
			// The backend has no iptables program: upstream's
			// LookPath failure.
			return nil, fmt.Errorf("%w: %w", ErrIptablesNotFound, err)
		}
		return nil, fmt.Errorf("iptables failed: iptables %s: %w", strings.Join(args, " "), err)
	}
	// iptables prints this while it waits for the xtables lock; it is
	// not an answer to the command, so it must not look like one.
	if strings.Contains(string(output), "waiting for it to exit") {
		output = []byte{}
	}
	return output, nil
}

// Exists asks iptables whether a rule is there ("-C"): any error, a
// missing rule or a missing chain alike, means no.
func Exists(args ...string) bool {
	_, err := Raw(append([]string{"-C"}, args...)...)
	return err == nil
}
