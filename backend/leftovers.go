// Ending the processes and veths a killed daemon left (issue #10 items 5
// and 6).
// A daemon knows its containers by their root filesystems, which all lie
// under its own directory; at restore none of them runs in the new daemon
// yet, so every live process whose rootfs is under that directory is a
// leftover of the old one — also one whose start was cut short before any
// state file named it. Both the v0.1 and the v1.2 daemon call KillUnder
// when they restore.
package backend

import (
	"errors"
	"path/filepath"
	"strings"
	"syscall"
	"time"
)

// KillUnder sends SIGKILL to every live process of h whose rootfs lies
// under dir, except those keep accepts (keep may be nil), and waits up to
// wait for them to leave the process table. It returns how many it
// killed and those still there.
func KillUnder(h Host, dir string, keep func(ProcInfo) bool, wait time.Duration) (killed int, left []ProcInfo, err error) {
	prefix := filepath.Clean(dir) + string(filepath.Separator)
	under := func() ([]ProcInfo, error) {
		procs, err := h.Procs()
		if err != nil {
			return nil, err
		}
		var out []ProcInfo
		for _, p := range procs {
			if p.State != "exited" && strings.HasPrefix(p.Rootfs, prefix) && (keep == nil || !keep(p)) {
				out = append(out, p)
			}
		}
		return out, nil
	}
	left, err = under()
	if err != nil || len(left) == 0 {
		return 0, nil, err
	}
	for _, p := range left {
		if err := h.Kill(p.Pid, syscall.SIGKILL); err == nil || errors.Is(err, ErrNotFound) {
			killed++
		}
	}
	// Not our children: all we can do is look until they are gone.
	for deadline := time.Now().Add(wait); len(left) > 0 && time.Now().Before(deadline); {
		time.Sleep(20 * time.Millisecond)
		if left, err = under(); err != nil {
			return killed, nil, err
		}
	}
	return killed, left, nil
}

// RemoveOrphanVeths deletes each veth port of bridge in n whose peer is in
// n too, and returns their names. A container's host end always has its
// peer in the container's namespace (and goes with it); a pair whose both
// ends are still here was made for a start that was cut short (kill -9)
// before its peer was moved. A peer elsewhere is told by the backend
// (PeerNetNS), or by the peer's index not naming a veth of n that points
// back.
func RemoveOrphanVeths(n Net, bridge string) ([]string, error) {
	links, err := n.LinkList()
	if err != nil {
		return nil, err
	}
	byIndex := map[int]Link{}
	for _, l := range links {
		byIndex[l.Index] = l
	}
	var removed []string
	var firstErr error
	for _, l := range links {
		if l.Kind != KindVeth || l.Master != bridge || l.PeerNetNS != "" {
			continue
		}
		peer, ok := byIndex[l.PeerIndex]
		if !ok || peer.Kind != KindVeth || peer.PeerIndex != l.Index {
			continue
		}
		if err := n.LinkDel(l.Name); err != nil {
			if firstErr == nil {
				firstErr = err
			}
			continue
		}
		removed = append(removed, l.Name)
	}
	return removed, firstErr
}
