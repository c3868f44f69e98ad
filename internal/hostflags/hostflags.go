// Package hostflags holds the flags every dockerlab command shares —
// which backend, where the fake machine's state lives, whether the linux
// backend works in its sandbox namespace — and the one function that turns
// them into a backend.Host (docs/design.md "The backend": two kernels behind one
// seam). The v0_1 and v1_2 commands open their host through here too, so
// `--backend linux` means the same thing everywhere.
package hostflags

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/dockerlab/dockerlab/backend"
	"github.com/dockerlab/dockerlab/backend/fake"
	"github.com/dockerlab/dockerlab/backend/linux"
)

// Backends are the values --backend accepts.
var Backends = []string{"fake", "linux"}

// The flag values, filled in by cobra when the command line is parsed.
var (
	Backend     string // "fake" or "linux"
	FakeState   string // the fake machine's state file
	Sandbox     bool   // linux: work in the sandbox namespace, not the host's own
	SandboxName string // linux: the sandbox's name under /run/netns
	Debug       bool   // print debug lines on stderr
)

// Register adds the shared flags to root as persistent flags. The
// defaults come from the environment (DOCKERLAB_BACKEND,
// DOCKERLAB_FAKE_STATE) at the time Register runs.
func Register(root *cobra.Command) {
	f := root.PersistentFlags()
	def := os.Getenv("DOCKERLAB_BACKEND")
	if def == "" {
		def = "fake"
	}
	f.StringVar(&Backend, "backend", def,
		"kernel to run against: fake (in-memory, no root) or linux (real, root) [env DOCKERLAB_BACKEND]")
	f.StringVar(&FakeState, "fake-state", fake.DefaultStatePath(),
		"state file of the fake machine shared by all commands [env DOCKERLAB_FAKE_STATE]")
	f.BoolVar(&Sandbox, "sandbox", true,
		"linux backend: work inside the sandbox network namespace (--sandbox=false uses the host's own)")
	f.StringVar(&SandboxName, "sandbox-name", linux.DefaultSandboxName,
		"linux backend: name of the sandbox namespace (/run/netns/NAME)")
	f.BoolVar(&Debug, "debug", false, "print debug lines on stderr")
}

// Validate checks the flag values; the root command calls it before any
// command runs.
func Validate() error {
	if !slices.Contains(Backends, Backend) {
		return fmt.Errorf("invalid --backend %q: choose one of %s", Backend, strings.Join(Backends, ", "))
	}
	if Backend == "fake" && FakeState == "" {
		return fmt.Errorf("--fake-state is empty: give the path of the fake machine's state file")
	}
	if Backend == "linux" && Sandbox && SandboxName == "" {
		return fmt.Errorf("--sandbox-name is empty: give a name such as %q", linux.DefaultSandboxName)
	}
	return nil
}

// Open returns the Host the flags select. The caller closes it.
func Open() (backend.Host, error) {
	if err := Validate(); err != nil {
		return nil, err
	}
	switch Backend {
	case "linux":
		return OpenLinux()
	default:
		Debugf("opening the fake machine at %s", FakeState)
		k, err := fake.Open(FakeState)
		if err != nil {
			return nil, fmt.Errorf("open the fake machine at %s: %w", FakeState, err)
		}
		return k, nil
	}
}

// OpenLinux opens the linux backend with the sandbox flags, whatever
// --backend says (the sandbox commands use it directly).
func OpenLinux() (backend.Host, error) {
	h, err := OpenLinuxWith(LinuxOptions())
	if err != nil {
		return nil, err // not a nil *linux.Host inside a non-nil interface
	}
	return h, nil
}

// OpenLinuxWith opens the linux backend with opts (a chapter demo's
// sandbox of its own), saying first when root is missing.
func OpenLinuxWith(opts linux.Options) (*linux.Host, error) {
	if runtime.GOOS == "linux" && os.Geteuid() != 0 {
		// Said up front: the kernel's own answer would be an EPERM from
		// some mount or netlink call deep inside New.
		return nil, fmt.Errorf("the linux backend needs root: run `sudo dockerlab --backend linux …`, or use --backend fake (no root needed): %w", backend.ErrPermission)
	}
	Debugf("opening the linux backend (sandbox=%v name=%s rundir=%s)", !opts.HostNetwork, opts.SandboxName, opts.RunDir)
	h, err := linux.New(opts)
	if err != nil {
		return nil, fmt.Errorf("open the linux backend: %w", err)
	}
	return h, nil
}

// LinuxOptions are linux.DefaultOptions with the sandbox flags applied.
//
// Each sandbox gets a run directory of its own, <DefaultRunDir>/<name>:
// that is where the backend pins the named namespaces it makes and
// registers the processes it starts, and what linux.DeleteSandbox empties.
// With one shared directory, `sandbox reset` of one sandbox would take the
// namespaces and processes of every other sandbox with it (a walkthrough's
// throwaway sandbox would wipe the student's). The same goes for its
// cgroup parent (linux.SandboxCgroupParent).
func LinuxOptions() linux.Options {
	opts := linux.DefaultOptions()
	opts.HostNetwork = !Sandbox
	opts.SandboxName = SandboxName
	if Sandbox {
		opts.RunDir = filepath.Join(linux.DefaultRunDir, SandboxName)
		opts.CgroupParent = linux.SandboxCgroupParent(SandboxName)
	}
	return opts
}

// DebugOut is where Debugf writes; the root command points it at its
// stderr.
var DebugOut io.Writer = os.Stderr

// Debugf prints one line on DebugOut when --debug is on.
func Debugf(format string, args ...any) {
	if Debug {
		fmt.Fprintf(DebugOut, "debug: "+format+"\n", args...)
	}
}
