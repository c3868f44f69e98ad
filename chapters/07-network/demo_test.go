package chapter07

import (
	"testing"

	"github.com/dockerlab/dockerlab/chapters/chapterutil/chaptertest"
)

// The demo runs on a fresh fake machine and leaves it as it found it.
func TestDemoOnFake(t *testing.T) {
	chaptertest.RunOnFake(t, Run, wants)
}

// wants are lines every run prints, on either backend. Addresses are
// left out: the IP allocator lives as long as the process, so a second
// run in the same test binary gets the next ones (round-robin).
var wants = []string{
	"## §7.3 Client配置",
	"NetworkMode=container:db",
	"-A FORWARD -i docker0 -o docker0 -j DROP",
	"§7.4 allocate_port 80/tcp → 0.0.0.0:49153",
	"--dport 49153 -j DNAT --to-destination 172.17.0.",
	"-i docker0 -o docker0 -p tcp -m tcp --dport 5432 -j ACCEPT",
	"-i docker0 -o docker0 -p tcp -m tcp --sport 5432 -j ACCEPT",
	"| default via 172.17.42.1 dev eth0",
	"\tdb\n",
	"| DB_NAME=/client/db\n",
	"| DB_PORT_5432_TCP_PORT=5432\n",
	"§7.4 no allocate_interface: the none mode gives no address of its own",
	"| hostname: db\n",
	"no rule with \"DNAT\"",
	"ip link del docker0",
}
