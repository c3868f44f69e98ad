// Package listenbuffer holds a listener's connections back until the
// daemon is ready to answer them.
//
// Upstream: pkg/listenbuffer/buffer.go at v1.2.0 (NewListenBuffer).
// Book: ch.5 §5.3 (ServeApi makes the activation channel) and ch.3 §3.3.6
// (acceptconnections closes it once NewDaemon is done).
//
// Why: mainDaemon starts serving before NewDaemon has registered the
// container jobs, so that the socket exists early. A client that connects
// in that window is not refused: its connection waits in the kernel's
// listen backlog until ready is closed.
//
// Divergence: upstream's NewListenBuffer opened the listener itself;
// this one wraps a listener already made, because dockerlab's unix
// listener does more (stale-socket check, mode, group) before serving.
package listenbuffer

import (
	"net"
	"sync"
)

// NewListenBuffer wraps l: Accept waits until ready is closed (or the
// listener is closed).
func NewListenBuffer(l net.Listener, ready <-chan struct{}) net.Listener {
	return &defaultListener{Listener: l, ready: ready, done: make(chan struct{})}
}

type defaultListener struct {
	net.Listener
	ready <-chan struct{}
	once  sync.Once
	done  chan struct{}
}

func (l *defaultListener) Accept() (net.Conn, error) {
	select {
	case <-l.ready:
	case <-l.done:
		return nil, net.ErrClosed
	}
	return l.Listener.Accept()
}

func (l *defaultListener) Close() error {
	l.once.Do(func() { close(l.done) })
	return l.Listener.Close()
}
