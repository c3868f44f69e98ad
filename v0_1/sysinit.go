// What happens between "start the container" and "the user's program
// runs": the veth, the default route, the user, then exec.
//
// Upstream: sysinit.go at v0.1.0 (SysInit, setupNetworking, changeUser,
// executeProgram); standing in for it: the backend does the kernel's part.
// See docs/upstream/v0.1.0.md §6 "sysinit".
// Notes: 002 "/sbin/init" (lxc-start runs /sbin/init, which is docker
// itself: SysInit sets the default route, changes user, execs the command).
//
// How 0.1.0 split the work:
//   - lxc-start (from config.lxc) made the namespaces, a veth pair with
//     one end on lxcbr0 and the other renamed eth0 inside, the address
//     IpAddress/24 on it, lo and eth0 up, the cgroup limits, pivot_root;
//   - then it ran /sbin/init, which was the docker binary bind-mounted
//     read-only: SysInit ran `/sbin/route add default gw <gateway>`,
//     looked up -u in the container's /etc/passwd, called setgid then
//     setuid, and exec'ed the program (exit 127 when it was missing).
//
// How dockerlab maps it onto the backend (backend.ProcSpec):
//   - namespaces, hostname, rootfs, /proc, /sys, /dev/pts, the cgroup, the
//     uid/gid and the exec are the backend's: on linux its init re-exec of
//     the dockerlab binary plays dockerinit/sysinit, on the fake the
//     simulated userland does;
//   - the network part, LXC's veth and sysinit's route, is setupNetwork
//     below, run as ProcSpec.Setup while the process waits for it;
//   - resolving -u happens here, before Start, by reading the rootfs's
//     /etc/passwd, because ProcSpec wants numbers;
//   - a missing program comes back from Start as backend.ErrProgNotFound;
//     Container.Start turns it into what sysinit did: "Unable to locate
//     <prog>" on the container's stderr and exit code 127.
package docker

import (
	"bufio"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/dockerlab/dockerlab/backend"
)

// vethName is a fresh host-side name: "veth" and six random hex digits,
// like the random names LXC gave (at most 15 bytes, IFNAMSIZ).
func vethName() string {
	b := make([]byte, 3)
	rand.Read(b)
	return "veth" + hex.EncodeToString(b)
}

// setupNetwork is LXC's network section plus sysinit's default route, for
// a process that already has its own network namespace. It returns the
// host-side name of the veth.
func setupNetwork(host backend.Host, p backend.Process, iface *NetworkInterface) (string, error) {
	root := host.Root()
	hostSide, peer := vethName(), ""
	for i := 0; ; i++ {
		peer = hostSide + "p"
		err := root.AddVeth(hostSide, peer, 1500)
		if err == nil {
			break
		}
		if i > 5 {
			return "", err
		}
		hostSide = vethName()
	}
	fail := func(err error) (string, error) {
		root.LinkDel(hostSide) // takes the peer with it, wherever it is
		return "", err
	}
	if err := root.LinkSetMaster(hostSide, networkBridgeIface); err != nil {
		return fail(err)
	}
	if err := root.LinkSetUp(hostSide); err != nil {
		return fail(err)
	}
	if err := root.LinkSetNs(peer, backend.NSPid(p.Pid())); err != nil {
		return fail(err)
	}
	ns, err := host.NetNS(backend.NSPid(p.Pid()))
	if err != nil {
		return fail(err)
	}
	addr := iface.IPNet
	steps := []func() error{
		func() error { return ns.LinkSetName(peer, "eth0") },
		func() error { return ns.AddrAdd("eth0", &addr) },
		func() error { return ns.LinkSetUp("lo") },
		func() error { return ns.LinkSetUp("eth0") },
		// sysinit's `route add default gw <gateway>`
		func() error {
			return ns.RouteAdd(backend.Route{Dst: backend.DefaultDst(), Gw: iface.Gateway, LinkName: "eth0"})
		},
	}
	for _, step := range steps {
		if err := step(); err != nil {
			return fail(err)
		}
	}
	return hostSide, nil
}

// lookupUser resolves -u as sysinit's changeUser did: a uid or a name
// found in the rootfs's /etc/passwd gives that entry's uid and gid. A
// number with no entry is used as both uid and gid (0.1.0 refused it).
func lookupUser(rootfs, user string) (uid, gid int, err error) {
	if user == "" {
		return 0, 0, nil
	}
	f, err := os.Open(filepath.Join(rootfs, "etc", "passwd"))
	if err == nil {
		defer f.Close()
		scanner := bufio.NewScanner(f)
		for scanner.Scan() {
			fields := strings.Split(scanner.Text(), ":")
			if len(fields) < 4 || (fields[0] != user && fields[2] != user) {
				continue
			}
			uid, err1 := strconv.Atoi(fields[2])
			gid, err2 := strconv.Atoi(fields[3])
			if err1 != nil || err2 != nil {
				return 0, 0, fmt.Errorf("Invalid /etc/passwd entry for user %s", user)
			}
			return uid, gid, nil
		}
	}
	if n, err := strconv.Atoi(user); err == nil && n >= 0 {
		return n, n, nil
	}
	return 0, 0, fmt.Errorf("Unable to find user %s", user)
}
