//go:build !linux

// Only Linux has a kernel release to report.
package daemon

func kernelRelease() string { return "unknown" }
