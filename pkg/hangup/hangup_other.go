//go:build !linux

package hangup

import "net"

func watch(conn net.Conn, hangup func()) (stop func()) { return func() {} }
