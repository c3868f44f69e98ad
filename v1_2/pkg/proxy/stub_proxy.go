// StubProxy: a Proxy that forwards nothing, for tests and for a backend
// without real sockets (the fake kernel).
//
// Upstream: pkg/proxy/stub_proxy.go at v1.2.0.
package proxy

import "net"

type StubProxy struct {
	frontendAddr net.Addr
	backendAddr  net.Addr
}

func (p *StubProxy) Run()                   {}
func (p *StubProxy) Close()                 {}
func (p *StubProxy) FrontendAddr() net.Addr { return p.frontendAddr }
func (p *StubProxy) BackendAddr() net.Addr  { return p.backendAddr }

// NewStubProxy never fails.
func NewStubProxy(frontendAddr, backendAddr net.Addr) (Proxy, error) {
	return &StubProxy{frontendAddr: frontendAddr, backendAddr: backendAddr}, nil
}
