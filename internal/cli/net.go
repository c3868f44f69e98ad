// `dockerlab net show` and `dockerlab net scenario`: look at a machine's
// network as the real tools print it (backend.Dump) and as a picture
// (internal/netdiagram), and run the set-ups of backend/scenario on it
// (book ch.6 Docker Daemon网络, ch.7 §7.2 bridge模式; note 000
// "Docker网络桥接 bridge模式").
package cli

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/dockerlab/dockerlab/backend"
	"github.com/dockerlab/dockerlab/internal/hostflags"
	"github.com/dockerlab/dockerlab/internal/netdiagram"
)

func newNetCmd() *cobra.Command {
	return groupOf(&cobra.Command{
		Use:   "net",
		Short: "Show a machine's network (links, addresses, routes, iptables, a diagram) and run network scenarios",
	}, newNetShowCmd(), newNetScenarioCmd())
}

func newNetShowCmd() *cobra.Command {
	var ns string
	var raw bool
	cmd := &cobra.Command{
		Use:   "show",
		Short: "Print a namespace's links, addresses, routes, ip_forward and iptables-save, then a diagram",
		Long: `Print a network namespace the way ip(8) and iptables-save would, then draw its
bridges, their veth ports and the namespace at the far end of each veth.

Without --ns it is the backend's root namespace: the fake machine's, or on
the linux backend the sandbox namespace (the host's own with --sandbox=false).
--ns takes a namespace name, or pid:N for a process's own namespace.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			h, err := hostflags.Open()
			if err != nil {
				return err
			}
			defer h.Close()
			return showNet(cmd.OutOrStdout(), h, ns, raw)
		},
	}
	cmd.Flags().StringVar(&ns, "ns", "", "namespace to show: a name, or pid:N (default: the root namespace)")
	cmd.Flags().BoolVar(&raw, "raw", false, "print only the dump, no diagram")
	return cmd
}

// parseNSRef reads --ns: "" or "root" is the root namespace, "pid:N" a
// process's namespace, anything else a name.
func parseNSRef(s string) (backend.NSRef, error) {
	switch {
	case s == "" || s == "root":
		return backend.NSRef{}, nil
	case strings.HasPrefix(s, "pid:"):
		pid, err := strconv.Atoi(strings.TrimPrefix(s, "pid:"))
		if err != nil || pid <= 0 {
			return backend.NSRef{}, fmt.Errorf("bad --ns %q: pid:N needs a positive process id", s)
		}
		return backend.NSPid(pid), nil
	}
	return backend.NSName(s), nil
}

// showNet prints the dump of one namespace and, unless raw, its diagram.
func showNet(w io.Writer, h backend.Host, ns string, raw bool) error {
	ref, err := parseNSRef(ns)
	if err != nil {
		return err
	}
	n, err := h.NetNS(ref)
	if err != nil {
		return fmt.Errorf("namespace %s: %w", ref, err)
	}
	dump, err := backend.Dump(n)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "# %s backend, namespace %s\n%s", h.Name(), nsLabel(h, ref), dump)
	if raw {
		return nil
	}
	m, err := netdiagram.Build(h, n)
	if err != nil {
		return err
	}
	if ref == (backend.NSRef{}) && h.Name() == "linux" {
		m.Namespace = nsLabel(h, ref) // the sandbox, which is not the host
	}
	fmt.Fprintf(w, "# diagram\n%s", netdiagram.Draw(m))
	return nil
}

// nsLabel names a namespace for people: on the linux backend the root
// namespace is usually the sandbox, which is not the host.
func nsLabel(h backend.Host, ref backend.NSRef) string {
	if ref == (backend.NSRef{}) && h.Name() == "linux" {
		if hostflags.Sandbox {
			return "sandbox " + hostflags.SandboxName
		}
		return "root"
	}
	return ref.String()
}
