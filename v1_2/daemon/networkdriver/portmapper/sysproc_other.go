//go:build !linux

// Pdeathsig is Linux only; elsewhere the proxy is a plain child.
package portmapper

import "syscall"

func proxySysProcAttr() *syscall.SysProcAttr { return nil }
