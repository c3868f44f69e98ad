// Benchmark: RequestPort handing out the whole dynamic range, then
// starting over (docs/design.md "Testing": speed lives in benchmarks).
package portallocator

import "testing"

func BenchmarkRequestPort(b *testing.B) {
	defer reset()
	n := 0
	for i := 0; i < b.N; i++ {
		if _, err := RequestPort(defaultIP, "tcp", 0); err != nil {
			b.Fatal(err)
		}
		if n++; n == EndPortRange-BeginPortRange+1 {
			b.StopTimer()
			reset()
			n = 0
			b.StartTimer()
		}
	}
}
