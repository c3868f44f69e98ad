// Package hangup notices that the client at the far end of a stream
// connection has gone — closed its socket for good — while nobody reads
// from or writes to the connection. A daemon needs this for the streams
// that wait on something other than the client: `attach` to a container
// that prints nothing, in Docker 1.2 (its hijacked connection) and in
// Docker 0.1 (its rcli connection). Both found out only when a write to
// the client failed, so a client that left a silent container kept its
// connection, descriptor and goroutines in the daemon for as long as the
// container stayed quiet (issue #10 item 3).
//
// The difficulty is that a client that *half*-closes is not gone: `docker
// run` without -i, and every v0.1 client at the end of its stdin, shut
// their sending side and go on reading. Reading the connection cannot
// tell the two apart (both give EOF), and the stream's stdin reader owns
// the reads anyway. What tells them apart without touching the data is
// the socket's state in the kernel:
//
//   - a unix socket reports POLLHUP as soon as its peer has closed it
//     (both directions shut), and only POLLRDHUP on a half-close;
//   - a TCP socket reports POLLRDHUP on the peer's FIN, for a half-close
//     and a close alike; if the peer is on this machine (rcli listens on
//     loopback only), the peer's own socket says which it was: a socket
//     its process closed is orphaned (no inode) or already gone, a
//     half-closed one still belongs to its process. Until then it is
//     looked at again every second. A TCP peer elsewhere is known gone
//     only from a reset (POLLHUP/POLLERR).
//
// Linux only; elsewhere Watch watches nothing and the old behaviour stays.
//
// Not upstream: Docker 1.2 and 0.1.0 had no such watch
// (docs/divergences.md "Streams end when the client goes").
package hangup

import "net"

// Watch calls hangup (once, from another goroutine) when conn's peer has
// gone, and returns stop, which ends the watch; call stop before closing
// conn. A connection that cannot be watched is not: stop is then a no-op.
func Watch(conn net.Conn, hangup func()) (stop func()) {
	return watch(conn, hangup)
}
