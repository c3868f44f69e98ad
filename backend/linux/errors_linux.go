//go:build linux

// Mapping what netlink, syscalls and the iptables binary return onto the
// backend sentinels, keeping the errno (backend/errors.go; reference
// docs/kernels.md §2 "Errors" and §3 measured table).

package linux

import (
	"errors"
	"strings"
	"syscall"

	"github.com/coreos/go-iptables/iptables"
	"github.com/dockerlab/dockerlab/backend"
	"github.com/vishvananda/netlink"
)

// kernelErr turns an error from netlink or a syscall into a *backend.Error.
func kernelErr(op, object string, err error) error {
	if err == nil {
		return nil
	}
	var be *backend.Error
	if errors.As(err, &be) {
		return err
	}
	if errors.As(err, &netlink.LinkNotFoundError{}) {
		return backend.Errorf(backend.ErrNotFound, syscall.ENODEV, op, object, "no such device")
	}
	var errno syscall.Errno
	if errors.As(err, &errno) {
		e := backend.ErrnoError(errno, op, object).(*backend.Error)
		// netlink appends the kernel's extended ack message; keep it.
		if msg := err.Error(); msg != errno.Error() {
			e.Detail = msg
		}
		return e
	}
	// netlink's LinkSetMaster says this itself when the master is missing.
	if strings.Contains(err.Error(), "does not exist") {
		return backend.Errorf(backend.ErrNotFound, syscall.ENODEV, op, object, "%s", err.Error())
	}
	return backend.Errorf(backend.ErrInvalid, 0, op, object, "%s", err.Error())
}

// iptablesErr maps a failed run of go-iptables onto a sentinel. op is
// the command it ran.
func iptablesErr(op string, err error) error {
	if err == nil {
		return nil
	}
	var be *backend.Error
	if errors.As(err, &be) {
		return err
	}
	var ie *iptables.Error
	if !errors.As(err, &ie) {
		return backend.Errorf(backend.ErrInvalid, 0, op, "", "%s", err.Error())
	}
	msg := toolMessage(strings.TrimSpace(ie.Error()))
	kind, errno := classifyIptables(msg)
	if kind == backend.ErrInvalid && ie.IsNotExist() {
		kind, errno = backend.ErrNotFound, syscall.ENOENT
	}
	return backend.Errorf(kind, errno, op, "", "%s", firstLine(msg))
}

// classifyIptables reads what iptables printed on failure (reference §2,
// "Exit codes differ by backend": nft and legacy word things differently).
func classifyIptables(msg string) (error, syscall.Errno) {
	has := func(s string) bool { return strings.Contains(msg, s) }
	switch {
	case has("Chain already exists"):
		return backend.ErrExists, syscall.EEXIST
	case has("Device or resource busy"), has("Too many links"), has("Directory not empty"):
		return backend.ErrBusy, syscall.EBUSY
	case has("Index of insertion too big"):
		return backend.ErrInvalid, 0
	case has("Bad rule"), has("No chain/target/match by that name"), has("does not exist"),
		has("Couldn't load target"), has("No such file or directory"), has("incompatible"):
		// "Bad rule" is -D of a missing rule, "Chain 'X' does not exist"
		// a -j to a missing chain, "incompatible" nft's -S of a missing chain.
		return backend.ErrNotFound, syscall.ENOENT
	case has("Permission denied"), has("Operation not permitted"):
		return backend.ErrPermission, syscall.EPERM
	}
	return backend.ErrInvalid, 0
}

// toolMessage strips go-iptables' "running [argv]: exit status N: " prefix,
// leaving what iptables printed.
func toolMessage(msg string) string {
	if i := strings.Index(msg, ": exit status "); i >= 0 {
		rest := msg[i+len(": exit status "):]
		if j := strings.Index(rest, ": "); j >= 0 {
			return strings.TrimSpace(rest[j+2:])
		}
	}
	return msg
}

// firstLine keeps error messages one line long.
func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}
