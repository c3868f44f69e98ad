//go:build !linux

// The linux backend on other systems: it only says why it cannot work
// (design.md "The backend": the fake runs everywhere, the real one on Linux).

package linux

import (
	"fmt"

	"github.com/dockerlab/dockerlab/backend"
)

// Host exists on every OS so that code naming *linux.Host compiles.
type Host struct{}

var errNotLinux = fmt.Errorf("the linux backend needs a Linux kernel; use --backend fake: %w", backend.ErrUnsupported)

// New fails: there is no Linux kernel here.
func New(opts Options) (*Host, error) { return nil, errNotLinux }

// SandboxExists is always false without Linux.
func SandboxExists(name string) bool { return false }

// DeleteSandbox fails without Linux.
func DeleteSandbox(name, runDir string) error { return errNotLinux }
