//go:build !linux

// Only Linux has a kernel release to report.
//
// Upstream: pkg/parsers/kernel/uname_unsupported.go at v1.2.0.
package daemon

func kernelRelease() string { return "unknown" }
