package fake

import (
	"fmt"
	"path/filepath"
	"testing"
)

// In memory: the cost of one kernel operation.
func BenchmarkAddBridgeInMemory(b *testing.B) {
	n := NewBare().Root()
	i := 0
	for b.Loop() {
		i++
		if err := n.AddBridge(fmt.Sprintf("b%d", i), 0); err != nil {
			b.Fatal(err)
		}
	}
}

// Shared: lock, load, change, fsync+rename, unlock per operation.
func BenchmarkAddRuleShared(b *testing.B) {
	k, err := Open(filepath.Join(b.TempDir(), "kernel.json"))
	if err != nil {
		b.Fatal(err)
	}
	ipt := k.Root().IPTables()
	i := 0
	for b.Loop() {
		i++
		if err := ipt.Append("filter", "FORWARD", "-s", fmt.Sprintf("10.%d.%d.0/24", i/256%256, i%256), "-j", "ACCEPT"); err != nil {
			b.Fatal(err)
		}
	}
}

// Shared, read only: nothing is written.
func BenchmarkLinkListShared(b *testing.B) {
	k, err := Open(filepath.Join(b.TempDir(), "kernel.json"))
	if err != nil {
		b.Fatal(err)
	}
	n := k.Root()
	for b.Loop() {
		if _, err := n.LinkList(); err != nil {
			b.Fatal(err)
		}
	}
}
