// Not upstream: what a v0.1 daemon killed with kill -9 left behind, put
// right when the next one restores (docs/divergences.md "Restore
// reconciles what a killed daemon left").
//
// Docker 0.1.0's containers ran under lxc-start, which outlived the
// daemon; the restarted daemon marked them stopped (here: exit code -1)
// but left their processes running, re-filled its address and port
// channels from scratch — so the next containers got the same addresses
// and ports as the ones still running — and left their rootfs mounts.
// Here the restore ends those processes, as Docker 1.2's daemon does
// (a container is not re-adopted: its monitor, pipes and logs died with
// the old daemon), and unmounts what is left. An address or a port it
// cannot free (a process that will not die) is taken out of the
// channels, so it is never handed out twice.
package docker

import (
	"log"
	"net"
	"strconv"
	"time"

	"github.com/dockerlab/dockerlab/backend"
)

// leftoverWait bounds how long restore waits for the killed processes to
// be gone from the process table.
const leftoverWait = 10 * time.Second

// reconcile runs after every container is loaded: none of them runs in
// this daemon yet, so every process running in one of their rootfs is a
// leftover of the previous daemon (backend.KillUnder).
func (runtime *Runtime) reconcile(containers []*Container) {
	killed, left, err := backend.KillUnder(runtime.host, runtime.repository, nil, leftoverWait)
	if err != nil {
		log.Printf("restore: ending the processes an earlier daemon left: %v", err)
	}
	if killed > 0 {
		log.Printf("restore: ended %d processes an earlier daemon's containers left running", killed-len(left))
	}
	// A start cut short between making its veth pair and moving the
	// peer into the container left both ends on the bridge.
	if gone, err := backend.RemoveOrphanVeths(runtime.host.Root(), runtime.networkManager.bridgeIface); err != nil {
		log.Printf("restore: removing the veths an earlier daemon left: %v", err)
	} else if len(gone) > 0 {
		log.Printf("restore: removed %d veth pairs an earlier daemon left on %s", len(gone), runtime.networkManager.bridgeIface)
	}
	survivors := map[string]bool{}
	for _, p := range left {
		survivors[p.Rootfs] = true
	}
	for _, c := range containers {
		if !survivors[c.RootfsPath()] {
			if err := c.Unmount(); err != nil {
				log.Printf("restore %s: unmounting the rootfs an earlier daemon left: %v", c.Id, err)
			}
			continue
		}
		log.Printf("restore %s: a process of its last run would not die; its address and ports stay reserved", c.Id)
		runtime.networkManager.reserve(c.NetworkSettings)
	}
}

// reserve takes a container's address and host ports out of the
// allocators for good (their holder could not be ended).
func (manager *NetworkManager) reserve(settings *NetworkSettings) {
	if settings == nil {
		return
	}
	if ip := net.ParseIP(settings.IpAddress); ip != nil {
		manager.ipAllocator.take(ip)
	}
	for _, ext := range settings.PortMapping {
		if port, err := strconv.Atoi(ext); err == nil {
			manager.portAllocator.take(port)
		}
	}
}

// take removes ip from the queue if it is there (the queue keeps its
// order otherwise).
func (alloc *IPAllocator) take(ip net.IP) {
	for i, n := 0, len(alloc.queue); i < n; i++ {
		got := <-alloc.queue
		if !got.Equal(ip) {
			alloc.queue <- got
		}
	}
}

// take removes port from the channel if it is there.
func (alloc *PortAllocator) take(port int) {
	for i, n := 0, len(alloc.ports); i < n; i++ {
		got := <-alloc.ports
		if got != port {
			alloc.ports <- got
		}
	}
}
