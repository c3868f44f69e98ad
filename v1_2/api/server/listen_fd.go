// fd://: listeners handed over by systemd socket activation.
//
// Upstream: api/server/server.go at v1.2.0 (ServeFd),
// pkg/systemd/listendfd.go at v1.2.0 (ListenFD, on coreos/go-systemd's
// activation.Listeners).
// Book: ch.5 §5.4 创建listener ("fd" is the third protocol of -H).
//
// systemd passes the sockets as file descriptors 3, 4, … and says how
// many in LISTEN_FDS, for the process LISTEN_PID. "fd://*" (or "fd://")
// serves them all; "fd://N" serves descriptor N only.
package server

import (
	"fmt"
	"net"
	"os"
	"strconv"
)

// listenFdsStart is the first descriptor systemd passes (SD_LISTEN_FDS_START).
// A variable so that a test can point it at descriptors it made itself.
var listenFdsStart = 3

// listenFD answers the activated listeners addr selects.
func listenFD(addr string) ([]net.Listener, error) {
	if pid, err := strconv.Atoi(os.Getenv("LISTEN_PID")); err != nil || pid != os.Getpid() {
		return nil, fmt.Errorf("No sockets found: fd:// needs systemd socket activation (LISTEN_PID is not this process)")
	}
	n, err := strconv.Atoi(os.Getenv("LISTEN_FDS"))
	if err != nil || n <= 0 {
		return nil, fmt.Errorf("No sockets found: LISTEN_FDS is %q", os.Getenv("LISTEN_FDS"))
	}
	var ls []net.Listener
	for fd := listenFdsStart; fd < listenFdsStart+n; fd++ {
		f := os.NewFile(uintptr(fd), "LISTEN_FD_"+strconv.Itoa(fd))
		l, err := net.FileListener(f)
		f.Close() // FileListener made its own copy
		if err != nil {
			return nil, fmt.Errorf("fd %d is not a listening socket: %v", fd, err)
		}
		ls = append(ls, l)
	}
	if addr == "" || addr == "*" {
		return ls, nil
	}
	want, err := strconv.Atoi(addr)
	if err != nil || want < listenFdsStart || want >= listenFdsStart+n {
		for _, l := range ls {
			l.Close()
		}
		return nil, fmt.Errorf("Too few socket activated files passed in: no fd %s among %d", addr, n)
	}
	for i, l := range ls {
		if i != want-listenFdsStart {
			l.Close()
		}
	}
	return []net.Listener{ls[want-listenFdsStart]}, nil
}
