// Package backend is the seam between dockerlab's reproductions of Docker
// (v0_1/, v1_2/) and a kernel.
//
// Upstream Docker talked to the kernel directly: netlink for links and
// addresses, /sbin/iptables for rules, /proc/sys for ip_forward, cgroupfs for
// limits, clone(2)/mount(2) (or lxc-start, in 0.1.0) for containers. In
// dockerlab every one of those calls goes through the Host interface defined
// here, and there are two implementations:
//
//   - backend/linux: the real kernel (vishvananda/netlink, coreos/go-iptables,
//     x/sys/unix, cgroupfs), working by default inside a sandbox network
//     namespace so a student's machine is never touched;
//   - backend/fake: an in-memory kernel, one simulated machine shared by every
//     dockerlab command, that returns the same errors as the real one and runs
//     a simulated userland instead of host binaries.
//
// The contract suite in backend/backendtest runs the same scenarios against
// both and compares their dumps: when they disagree, the fake is wrong.
//
// The interface is deliberately kernel-shaped and small, in the spirit of
// database/sql/driver: a Host owns network namespaces (Net), cgroups,
// processes and mounts. Errors are the sentinels in errors.go, so callers
// write errors.Is(err, backend.ErrExists) whichever kernel answered.
package backend
