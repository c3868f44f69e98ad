//go:build linux

// What the real kernel costs: a container start (re-exec, clone with five
// namespaces, pivot_root, exec) and a veth pair, for the docs' tables.

package linux_test

import (
	"testing"

	"github.com/dockerlab/dockerlab/backend/linux/linuxtest"
)

func BenchmarkStartContainer(b *testing.B) {
	h := linuxtest.NewHost(b)
	rootfs := linuxtest.BusyboxRootfs(b)
	for b.Loop() {
		p, err := h.Start(container(rootfs, "true"))
		if err != nil {
			b.Fatal(err)
		}
		if st, _ := p.Wait(); st.Code != 0 {
			b.Fatalf("exit %d", st.Code)
		}
	}
}

func BenchmarkVethPair(b *testing.B) {
	h := linuxtest.NewHost(b)
	n := h.Root()
	for b.Loop() {
		if err := n.AddVeth("bench0", "bench1", 0); err != nil {
			b.Fatal(err)
		}
		if err := n.LinkDel("bench0"); err != nil {
			b.Fatal(err)
		}
	}
}
