//go:build !linux

// On other systems there is no real-kernel Host to test: every helper
// skips, saying why, so packages that import linuxtest still build.

package linuxtest

import (
	"testing"

	"github.com/dockerlab/dockerlab/backend"
	"github.com/dockerlab/dockerlab/backend/linux"
)

const notLinux = "skipping real-kernel test: the linux backend needs a Linux kernel"

// RequireRoot skips: there is no Linux kernel here.
func RequireRoot(t testing.TB) { t.Helper(); t.Skip(notLinux) }

// NewHost skips.
func NewHost(t testing.TB) backend.Host { t.Helper(); t.Skip(notLinux); return nil }

// NewLinuxHost skips.
func NewLinuxHost(t testing.TB) *linux.Host { t.Helper(); t.Skip(notLinux); return nil }

// BusyboxRootfs skips.
func BusyboxRootfs(t testing.TB) string { t.Helper(); t.Skip(notLinux); return "" }

// BusyboxPath finds nothing.
func BusyboxPath() string { return "" }

// Unique is not needed without Linux, but keeps the API the same.
func Unique(prefix string) string { return prefix }

// HostSnapshot is empty.
func HostSnapshot() string { return "" }
