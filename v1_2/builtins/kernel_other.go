//go:build !linux

// The running kernel's release, for the "version" job: only Linux has one
// to report (upstream's daemon ran only there).
//
// Upstream: pkg/parsers/kernel/uname_unsupported.go at v1.2.0.
package builtins

// KernelVersion is empty off Linux; the "version" job then leaves the key out.
func KernelVersion() string { return "" }
