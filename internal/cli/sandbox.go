// `dockerlab sandbox status|shell|reset`: the linux backend's sandbox, the
// persistent network namespace (/run/netns/dockerlab) in which it builds
// bridges, veths and iptables rules instead of the host's own (docs/design.md
// "The backend"; "Defaults never collide with a real Docker").
package cli

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"

	"github.com/spf13/cobra"

	"github.com/dockerlab/dockerlab/backend"
	"github.com/dockerlab/dockerlab/backend/linux"
	"github.com/dockerlab/dockerlab/internal/hostflags"
)

func newSandboxCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "sandbox",
		Short: "The linux backend's sandbox network namespace: status, a shell inside it, reset",
		Long: `The linux backend works inside a network namespace of its own, the sandbox
(/run/netns/NAME, NAME from --sandbox-name, default dockerlab), so the host's
interfaces, routes, iptables rules and ip_forward are never touched. It is
made on first use and stays until 'dockerlab sandbox reset'.

These commands are for the linux backend only (they need Linux and root).`,
	}
	return groupOf(cmd,
		&cobra.Command{
			Use:   "status",
			Short: "Say whether the sandbox exists and show its links, rules, ip_forward and processes",
			Args:  cobra.NoArgs,
			RunE:  sandboxStatus,
		},
		&cobra.Command{
			Use:   "shell",
			Short: "Start $SHELL inside the sandbox namespace (ip link, iptables -S … show the sandbox)",
			Args:  cobra.NoArgs,
			RunE:  sandboxShell,
		},
		&cobra.Command{
			Use:   "reset",
			Short: "Destroy the sandbox and everything in it (namespaces, processes, links, rules)",
			Args:  cobra.NoArgs,
			RunE:  sandboxReset,
		},
	)
}

// checkSandboxUse explains why a sandbox command cannot run: not Linux,
// --backend fake asked for explicitly, or --sandbox=false. When --backend
// was left at its default, the sandbox commands simply use linux.
func checkSandboxUse(cmd *cobra.Command) error {
	if runtime.GOOS != "linux" {
		return fmt.Errorf("the sandbox is the linux backend's network namespace and this is %s; the fake backend has its own machine: dockerlab fake show", runtime.GOOS)
	}
	explicit := cmd.Flags().Changed("backend") || os.Getenv("DOCKERLAB_BACKEND") != ""
	if explicit && hostflags.Backend == "fake" {
		return fmt.Errorf("the sandbox belongs to the linux backend, and --backend is fake: the fake machine is shown by `dockerlab fake show` and reset by `dockerlab fake reset`")
	}
	if !hostflags.Sandbox {
		return fmt.Errorf("--sandbox=false: the sandbox commands only work on the sandbox namespace")
	}
	return nil
}

func sandboxStatus(cmd *cobra.Command, args []string) error {
	if err := checkSandboxUse(cmd); err != nil {
		return err
	}
	out := cmd.OutOrStdout()
	name, path := hostflags.SandboxName, linux.SandboxPath(hostflags.SandboxName)
	if !linux.SandboxExists(name) {
		fmt.Fprintf(out, "sandbox %s: does not exist (%s); the linux backend makes it on first use, e.g. `dockerlab --backend linux net show`\n", name, path)
		return nil
	}
	h, err := hostflags.OpenLinux()
	if err != nil {
		return err
	}
	defer h.Close()
	n := h.Root()
	fmt.Fprintf(out, "sandbox %s: exists at %s\n", name, path)

	fwd, err := n.Sysctl("net.ipv4.ip_forward")
	if err != nil {
		fwd = "? (" + err.Error() + ")"
	}
	fmt.Fprintf(out, "ip_forward: %s\n", fwd)

	rules := "?"
	if save, err := n.IPTables().Save(); err == nil {
		rules = fmt.Sprint(countRules(save))
	} else {
		rules += " (" + err.Error() + ")"
	}
	fmt.Fprintf(out, "iptables rules (nat+filter): %s\n", rules)

	if names, err := h.ListNetNS(); err == nil {
		fmt.Fprintf(out, "named namespaces: %s\n", orNone(names))
	}
	links, err := backend.DumpLinks(n)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "\n# ip -o link\n%s", links)
	procs, err := backend.DumpProcs(h)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "\n# processes\n%s", procs)
	return nil
}

// countRules counts the "-A" lines of an iptables-save text.
func countRules(save string) int {
	n := 0
	for _, l := range strings.Split(save, "\n") {
		if strings.HasPrefix(l, "-A ") {
			n++
		}
	}
	return n
}

func orNone(names []string) string {
	if len(names) == 0 {
		return "(none)"
	}
	return strings.Join(names, " ")
}

// euid is this process's effective uid (tests pretend to be a user).
var euid = os.Geteuid

// needRoot says, before anything is tried, that a sandbox command needs
// root: entering or removing a network namespace is for root only, and
// the kernel's own answer would come late (nsenter's "Operation not
// permitted" after the shell was announced).
func needRoot(what string) error {
	if euid() == 0 {
		return nil
	}
	return fmt.Errorf("%s needs root (entering or removing a network namespace is for root only): run it as root, for example with sudo: sudo dockerlab sandbox %s", what, strings.TrimPrefix(what, "sandbox "))
}

func sandboxShell(cmd *cobra.Command, args []string) error {
	if err := checkSandboxUse(cmd); err != nil {
		return err
	}
	if err := needRoot("sandbox shell"); err != nil {
		return err
	}
	name, path := hostflags.SandboxName, linux.SandboxPath(hostflags.SandboxName)
	if !linux.SandboxExists(name) {
		// Opening the backend makes it, exactly as any linux command would.
		h, err := hostflags.OpenLinux()
		if err != nil {
			return err
		}
		h.Close()
	}
	shell := os.Getenv("SHELL")
	if shell == "" {
		shell = "/bin/sh"
	}
	fmt.Fprintf(cmd.ErrOrStderr(),
		"dockerlab: entering sandbox %s (%s) with %s.\n"+
			"  ip link, ip route, iptables -S here show the sandbox, not the host.\n"+
			"  Type exit to leave.\n", name, path, shell)
	return execInNetNS(path, shell, name)
}

func sandboxReset(cmd *cobra.Command, args []string) error {
	if err := checkSandboxUse(cmd); err != nil {
		return err
	}
	if err := needRoot("sandbox reset"); err != nil {
		return err
	}
	out := cmd.OutOrStdout()
	name, path := hostflags.SandboxName, linux.SandboxPath(hostflags.SandboxName)
	opts := hostflags.LinuxOptions()
	if !linux.SandboxExists(name) {
		// The namespace may be gone (a reboot, `ip netns del`) while
		// what dockerlab made around it stays: its cgroups, by the one
		// name dockerlab gives them, and its run directory.
		cgroups := linux.SandboxCgroups(name)
		_, runErr := os.Stat(opts.RunDir)
		if len(cgroups) == 0 && runErr != nil {
			fmt.Fprintf(out, "sandbox %s: nothing to remove (%s does not exist, nor any cgroup %s)\n", name, path, linux.SandboxCgroupParent(name))
			return nil
		}
		err := linux.DeleteSandbox(name, opts.RunDir)
		if err != nil && !errors.Is(err, backend.ErrNotFound) {
			return fmt.Errorf("reset sandbox %s: %w", name, err)
		}
		_ = os.Remove(filepath.Join(opts.RunDir, "procs"))
		_ = os.Remove(opts.RunDir)
		if err := cgroupsLeft(name); err != nil {
			return err
		}
		fmt.Fprintf(out, "sandbox %s: the namespace was already gone (%s); removed what was left: cgroups %s\n", name, path, orNone(cgroups))
		return nil
	}
	// Take stock first, so the student sees what the reset took away.
	var links, rules int
	var namespaces []string
	var procs []backend.ProcInfo
	if h, err := hostflags.OpenLinux(); err == nil {
		if ls, err := h.Root().LinkList(); err == nil {
			links = len(ls)
		}
		if save, err := h.Root().IPTables().Save(); err == nil {
			rules = countRules(save)
		}
		namespaces, _ = h.ListNetNS()
		procs, _ = h.Procs()
		h.Close()
	}
	cgroups := linux.SandboxCgroups(name)
	if err := linux.DeleteSandbox(name, opts.RunDir); err != nil {
		return fmt.Errorf("reset sandbox %s: %w", name, err)
	}
	// The sandbox's own run directory (hostflags.LinuxOptions) goes too
	// once it is empty; os.Remove leaves anything that is not.
	_ = os.Remove(filepath.Join(opts.RunDir, "procs"))
	_ = os.Remove(opts.RunDir)
	fmt.Fprintf(out, "removed sandbox %s (%s): %d links, %d iptables rules, namespaces: %s, processes: %d, cgroups: %s\n",
		name, path, links, rules, orNone(namespaces), len(procs), orNone(cgroups))
	return cgroupsLeft(name)
}

// cgroupsLeft says which of the sandbox's cgroups a reset could not
// remove: only empty cgroups are removed, never a process's.
func cgroupsLeft(name string) error {
	if left := linux.SandboxCgroups(name); len(left) > 0 {
		return fmt.Errorf("reset sandbox %s: these cgroups still hold processes (not dockerlab's own, or still exiting): %s", name, strings.Join(left, " "))
	}
	return nil
}
