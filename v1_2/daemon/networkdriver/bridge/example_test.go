// Example for readers of book ch.6 §6.4 and note 000 "创建Docker网络设备"
// through "注册Handler至Engine": what init_networkdriver leaves behind on a
// machine, here an in-memory fake one (no root needed).
package bridge_test

import (
	"fmt"

	"github.com/dockerlab/dockerlab/backend"
	"github.com/dockerlab/dockerlab/backend/fake"
	"github.com/dockerlab/dockerlab/v1_2/daemon/networkdriver/bridge"
	"github.com/dockerlab/dockerlab/v1_2/daemon/networkdriver/portmapper"
	"github.com/dockerlab/dockerlab/v1_2/engine"
)

func Example() {
	h := fake.NewBare()
	bridge.SetHost(h)          // the daemon's one wiring step
	bridge.ResolvConfPath = "" // no nameservers to avoid in this example
	portmapper.NewProxy = portmapper.NewMockProxyCommand
	defer bridge.SetHost(nil)

	eng := engine.New()
	eng.Logging = false
	eng.Register("init_networkdriver", bridge.InitDriver)

	// What mainDaemon does with its default flags.
	job := eng.Job("init_networkdriver")
	job.SetenvBool("EnableIptables", true)
	job.SetenvBool("InterContainerCommunication", true)
	job.SetenvBool("EnableIpForward", true)
	job.Setenv("BridgeIface", "")
	job.Setenv("BridgeIP", "")
	job.Setenv("DefaultBindingIP", "0.0.0.0")
	if err := job.Run(); err != nil {
		fmt.Println("error:", err)
		return
	}

	addrs, _ := backend.DumpAddrs(h.Root())
	fmt.Print(addrs)
	fwd, _ := backend.DumpIPForward(h.Root())
	fmt.Print(fwd)
	tables, _ := backend.DumpIPTables(h.Root())
	fmt.Print(tables)
	// Output:
	// 2: docker0    inet 172.17.42.1/16 brd 172.17.255.255 scope global docker0
	// net.ipv4.ip_forward = 1
	// *filter
	// :INPUT ACCEPT [0:0]
	// :FORWARD ACCEPT [0:0]
	// :OUTPUT ACCEPT [0:0]
	// -A FORWARD -o docker0 -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
	// -A FORWARD -i docker0 ! -o docker0 -j ACCEPT
	// -A FORWARD -i docker0 -o docker0 -j ACCEPT
	// COMMIT
	// *nat
	// :PREROUTING ACCEPT [0:0]
	// :INPUT ACCEPT [0:0]
	// :OUTPUT ACCEPT [0:0]
	// :POSTROUTING ACCEPT [0:0]
	// :DOCKER - [0:0]
	// -A PREROUTING -m addrtype --dst-type LOCAL -j DOCKER
	// -A OUTPUT ! -d 127.0.0.0/8 -m addrtype --dst-type LOCAL -j DOCKER
	// -A POSTROUTING -s 172.17.0.0/16 ! -o docker0 -j MASQUERADE
	// COMMIT
}
