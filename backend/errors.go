// Errors shared by every backend (docs/design.md "The backend"; reference
// docs/kernels.md §0.4 and §6).
//
// The linux backend maps errnos and go-iptables errors onto these sentinels;
// the fake returns them directly, wrapping the errno the kernel would have
// returned, so errors.Is gives the same answer on both backends for the
// sentinel and for the errno:
//
//	errors.Is(err, backend.ErrExists)  // true on both
//	errors.Is(err, unix.EEXIST)        // true on both (linux only build)
package backend

import (
	"errors"
	"fmt"
	"syscall"
)

// The sentinels. Each backend error wraps exactly one of them.
var (
	ErrExists       = errors.New("already exists")          // EEXIST
	ErrNotFound     = errors.New("not found")               // ENODEV, ENOENT, ESRCH, EADDRNOTAVAIL, no such chain/rule
	ErrBusy         = errors.New("busy")                    // EBUSY, ENOTEMPTY, chain still referenced
	ErrInvalid      = errors.New("invalid argument")        // EINVAL, ERANGE, ELOOP, bad rule syntax
	ErrPermission   = errors.New("permission denied")       // EPERM, EACCES
	ErrUnsupported  = errors.New("not supported")           // EOPNOTSUPP, ENOSYS, missing kernel feature
	ErrUnreachable  = errors.New("network is unreachable")  // ENETUNREACH
	ErrNoSpace      = errors.New("no space left on device") // ENOSPC (v1 cpuset without cpus/mems)
	ErrProgNotFound = errors.New("program not found")       // exec: ENOENT of the program, exit 127
)

// Error is the concrete error both backends return. Op names the operation
// the way the kernel tool would ("link add", "iptables -t nat -N DOCKER"),
// Errno is the errno the real kernel returns for this case (0 when the
// failure is not an errno, e.g. an iptables exit status), Kind is one of the
// sentinels above.
type Error struct {
	Op     string
	Object string
	Kind   error
	Errno  syscall.Errno
	Detail string // what the kernel or the tool printed, when there is something to add
}

func (e *Error) Error() string {
	msg := e.Op
	if e.Object != "" {
		msg += " " + e.Object
	}
	msg += ": "
	switch {
	case e.Detail != "":
		msg += e.Detail
	case e.Errno != 0:
		msg += e.Errno.Error()
	default:
		msg += e.Kind.Error()
	}
	return msg
}

// Unwrap lets errors.Is match both the sentinel and the errno.
func (e *Error) Unwrap() []error {
	errs := []error{e.Kind}
	if e.Errno != 0 {
		errs = append(errs, e.Errno)
	}
	return errs
}

// Errorf builds an *Error. It is a convenience for both backends.
func Errorf(kind error, errno syscall.Errno, op, object, format string, args ...any) error {
	e := &Error{Op: op, Object: object, Kind: kind, Errno: errno}
	if format != "" {
		e.Detail = fmt.Sprintf(format, args...)
	}
	return e
}

// KindOfErrno maps a kernel errno onto its sentinel. The linux backend uses
// it for every netlink and syscall error; the fake uses it to pick the
// sentinel for the errno it copies from the kernel.
func KindOfErrno(errno syscall.Errno) error {
	switch errno {
	case syscall.EEXIST:
		return ErrExists
	case syscall.ENODEV, syscall.ENOENT, syscall.ESRCH, syscall.EADDRNOTAVAIL, syscall.ENXIO:
		return ErrNotFound
	case syscall.EBUSY, syscall.ENOTEMPTY:
		return ErrBusy
	case syscall.EINVAL, syscall.ERANGE, syscall.ELOOP, syscall.EBADF:
		return ErrInvalid
	case syscall.EPERM, syscall.EACCES, syscall.EROFS:
		return ErrPermission
	case syscall.EOPNOTSUPP, syscall.ENOSYS, syscall.EAFNOSUPPORT, syscall.EPROTONOSUPPORT:
		return ErrUnsupported
	case syscall.ENETUNREACH:
		return ErrUnreachable
	case syscall.ENOSPC:
		return ErrNoSpace
	}
	return ErrInvalid
}

// ErrnoError builds an *Error from an errno, choosing the sentinel with
// KindOfErrno.
func ErrnoError(errno syscall.Errno, op, object string) error {
	return &Error{Op: op, Object: object, Kind: KindOfErrno(errno), Errno: errno}
}
