//go:build linux

// What the parent tells dockerlab-init (book ch.13 "dockerinit启动":
// Docker 1.2.0 passed the container's config to dockerinit through a file
// and argv; we pass it as JSON over a pipe). The file descriptors the child
// finds open, by number, are fixed here.

package linux

import "github.com/dockerlab/dockerlab/backend"

// initName is the argv[0] under which the binary re-executes itself.
const initName = "dockerlab-init"

// nativeInitName is the other name the same init answers to: the argv[0]
// Docker 1.2's native driver gave dockerinit (ProcSpec.InitName).
const nativeInitName = "native"

// The child's extra descriptors (exec.Cmd.ExtraFiles start at 3).
const (
	fdConfig = 3 // read: the initConfig as JSON, then EOF
	fdSync   = 4 // read: one byte once the parent has set everything up
	fdError  = 5 // write: why setup failed; closed on exec when it did not
)

// defaultPath is $PATH when the spec's environment has none (Docker's).
const defaultPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

// initConfig is the part of a ProcSpec the child needs.
type initConfig struct {
	Args           []string
	Env            []string
	Dir            string
	Hostname       string
	UTS            bool
	PID            bool
	Mount          bool
	Rootfs         string
	Mounts         []backend.Mount
	ReadonlyRootfs bool
	Uid, Gid       int
	Groups         []int
	Confine        *backend.Confinement // nil: keep every capability, the default /dev, /sys read-only
}

// errProgNotFound starts the message the child sends when the program is
// missing, so the parent can return backend.ErrProgNotFound.
const errProgNotFound = "prog-not-found: "
