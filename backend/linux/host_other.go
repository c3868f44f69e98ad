//go:build !linux

// The linux backend on other systems: it only says why it cannot work
// (docs/design.md "The backend": the fake runs everywhere, the real one on Linux).

package linux

import (
	"fmt"

	"github.com/dockerlab/dockerlab/backend"
)

// Host exists on every OS so that code naming *linux.Host compiles and
// can be used as a backend.Host. The embedded interface is always nil:
// New never returns a Host here, so none of its methods is ever reached.
type Host struct{ backend.Host }

// Destroy exists so callers written for Linux compile.
func (h *Host) Destroy() error { return errNotLinux }

// Options exists so callers written for Linux compile.
func (h *Host) Options() Options { return Options{} }

var errNotLinux = fmt.Errorf("the linux backend needs a Linux kernel; use --backend fake: %w", backend.ErrUnsupported)

// New fails: there is no Linux kernel here.
func New(opts Options) (*Host, error) { return nil, errNotLinux }

// SandboxExists is always false without Linux.
func SandboxExists(name string) bool { return false }

// DeleteSandbox fails without Linux.
func DeleteSandbox(name, runDir string) error { return errNotLinux }

// SandboxCgroups finds none without Linux.
func SandboxCgroups(name string) []string { return nil }
