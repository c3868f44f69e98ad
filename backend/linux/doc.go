// Package linux is the real-kernel backend (design.md "The backend";
// reference testing-real-and-fake-kernels.md §2–§5). It implements
// backend.Host with vishvananda/netlink for links, addresses and routes,
// coreos/go-iptables and the iptables binary for netfilter, /proc/sys for
// sysctls, cgroupfs for limits and clone(2)+pivot_root(2) for processes, the
// way Docker 1.2.0's native driver did (book ch.13 dockerinit, ch.14 §14.3).
//
// Safety first: by default the Host's root network namespace is a sandbox
// namespace of its own ("dockerlab", bind-mounted at /run/netns/dockerlab so
// that `ip netns exec dockerlab ip link` shows what dockerlab built). Every
// network operation names its namespace explicitly — netlink through a
// handle opened in that namespace, iptables and sysctls on a throwaway OS
// thread switched into it — so nothing lands in the caller's namespace by
// accident. Cgroups are made under a parent cgroup ("dockerlab").
//
// Processes re-execute the current binary as "dockerlab-init" (see
// init_linux.go). Therefore every binary that embeds this backend, and the
// TestMain of every test package that starts processes, must begin with
//
//	if reexec.Init() {
//		return
//	}
//
// (package github.com/dockerlab/dockerlab/internal/reexec).
package linux
