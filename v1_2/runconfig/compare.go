// Compare: are two container configs "the same run"? `docker build` uses it
// to find a cached image whose container config equals the next step's.
//
// Upstream: runconfig/compare.go at v1.2.0 (used by daemon's image cache
// lookup, utils.CompareConfig before).
// Book: ch.11 (build cache).
package runconfig

import "slices"

// Compare ignores Image and Hostname (they change every build). A config
// with OpenStdin never matches: its run depended on input.
func Compare(a, b *Config) bool {
	if a == nil || b == nil || a.OpenStdin || b.OpenStdin {
		return false
	}
	if a.AttachStdout != b.AttachStdout ||
		a.AttachStderr != b.AttachStderr ||
		a.User != b.User ||
		a.Memory != b.Memory ||
		a.MemorySwap != b.MemorySwap ||
		a.CpuShares != b.CpuShares ||
		a.Tty != b.Tty {
		return false
	}
	if !slices.Equal(a.Cmd, b.Cmd) ||
		!slices.Equal(a.Env, b.Env) ||
		!slices.Equal(a.PortSpecs, b.PortSpecs) ||
		!slices.Equal(a.Entrypoint, b.Entrypoint) {
		return false
	}
	if len(a.ExposedPorts) != len(b.ExposedPorts) || len(a.Volumes) != len(b.Volumes) {
		return false
	}
	for k := range a.ExposedPorts {
		if _, ok := b.ExposedPorts[k]; !ok {
			return false
		}
	}
	for k := range a.Volumes {
		if _, ok := b.Volumes[k]; !ok {
			return false
		}
	}
	return true
}
