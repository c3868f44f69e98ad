//go:build !linux

// Pdeathsig is Linux only; elsewhere the proxy is a plain child.
//
// Not upstream: Docker 1.2.0 built the daemon for Linux only.
package portmapper

import "syscall"

func proxySysProcAttr() *syscall.SysProcAttr { return nil }
