// A proxy that does nothing, for tests that check Map/Unmap bookkeeping.
//
// Upstream: daemon/networkdriver/portmapper/mock_proxy.go at v1.2.0.
package portmapper

import "net"

// NewMockProxyCommand has NewProxy's signature; its Start and Stop succeed
// and do nothing.
func NewMockProxyCommand(proto string, hostIP net.IP, hostPort int, containerIP net.IP, containerPort int) UserlandProxy {
	return &mockProxyCommand{}
}

type mockProxyCommand struct{}

func (p *mockProxyCommand) Start() error { return nil }
func (p *mockProxyCommand) Stop() error  { return nil }
