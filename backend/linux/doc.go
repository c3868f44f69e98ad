// Package linux is the real-kernel backend (docs/design.md "The backend";
// reference docs/kernels.md §2–§5). It implements
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
//
// Reading order:
//
//	options.go            Options, DefaultOptions, SandboxPath
//	host_linux.go         Host: root, named and per-process namespaces
//	nsfile_linux.go       namespace files, bind mounts, the locked-thread dance
//	net_linux.go          links (ip link) through a netlink handle per namespace
//	addr_route_linux.go   ip addr, ip route
//	iptables_linux.go     go-iptables and Raw, run inside the namespace
//	iptables_save_linux.go Save in the format the fake prints too
//	sysctl_linux.go       /proc/sys/net per namespace
//	errors_linux.go       errno and iptables messages → backend sentinels
//	cgroup_linux.go       detection and shared cgroupfs file handling
//	cgroup_v1_linux.go    one hierarchy per controller (Docker 1.2's world)
//	cgroup_v2_linux.go    the unified hierarchy
//	process_linux.go      Start: the parent's half of dockerinit
//	initconfig_linux.go   what the parent tells the child, and on which fds
//	init_linux.go         dockerlab-init: the child's half, up to exec
//	rootfs_linux.go       /proc, /dev, /sys, volumes, pivot_root
//	tty_linux.go          a pseudo-terminal for -t
//	pidfile_linux.go      the registry of started processes under RunDir
//	mount_linux.go        bind, overlay, tmpfs
//	sandbox_linux.go      SandboxExists, DeleteSandbox, Host.Destroy
//	linuxtest/            a throwaway Host for tests (root only)
package linux
