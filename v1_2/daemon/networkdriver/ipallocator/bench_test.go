// Benchmarks: RequestIP on docker0's /16 when the network is empty, half
// full and 99% full (docs/design.md "Testing": speed lives in benchmarks). Each
// iteration requests one address and releases it, so the fill stays put;
// taken addresses are spread evenly, so the round-robin scan meets a run
// of taken ones before every free one.
package ipallocator

import (
	"fmt"
	"testing"
)

func BenchmarkRequestIP(b *testing.B) {
	for _, full := range []int{0, 50, 99} {
		b.Run(fmt.Sprintf("slash16-%dpct", full), func(b *testing.B) {
			defer reset()
			n := network(b, "172.17.42.1/16")
			m := newAllocatedMap()
			size := int32(65534)
			for pos := int32(1); pos <= size; pos++ {
				if full > 0 && int(pos)%100 < full {
					m.p[pos] = struct{}{}
				}
			}
			allocatedIPs[n.String()] = m
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				ip, err := RequestIP(n, nil)
				if err != nil {
					b.Fatal(err)
				}
				if err := ReleaseIP(n, ip); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
