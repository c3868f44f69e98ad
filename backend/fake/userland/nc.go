// nc: busybox's netcat, a raw TCP pipe between stdin/stdout and a
// connection — the simplest way to see whether a port answers from
// inside a container (book ch.7 §7.5 --link: `nc db 5432`; note 000).
// busybox networking/nc.c, the parts kept:
//
//	nc [-w SEC] HOST PORT     connect, copy stdin to it and it to stdout
//	nc -l -p PORT [-w SEC]    wait for one connection on PORT, then the same
//
// When stdin ends the sending side is shut down (the peer reads EOF)
// and nc goes on printing what comes back until the peer closes.
package userland

import (
	"fmt"
	"io"
	"net"
	"strconv"
	"time"
)

func init() { register(ncMain, "nc") }

func ncMain(p *Process) int {
	flags, args, err := getopt(p.Args[1:], "lp:w:s:v")
	usage := func() int {
		fmt.Fprintln(p.Stderr, "Usage: nc [-iN] [-wN] [-l] [-p PORT] [-f FILE|IPADDR PORT] [-e PROG]")
		return 1
	}
	if err != nil {
		fmt.Fprintf(p.Stderr, "nc: %v\n", err)
		return usage()
	}
	var wait time.Duration
	if v, ok := flags['w']; ok {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			fmt.Fprintf(p.Stderr, "nc: invalid number '%s'\n", v)
			return 1
		}
		wait = time.Duration(n) * time.Second
	}
	var c net.Conn
	if _, listen := flags['l']; listen {
		port, ok := flags['p']
		if !ok || len(args) != 0 {
			return usage()
		}
		addr, err := hostPort(port, flags['s'])
		if err != nil {
			fmt.Fprintf(p.Stderr, "nc: %v\n", err)
			return 1
		}
		l, err := sysListen(p, addr)
		if err != nil {
			fmt.Fprintf(p.Stderr, "nc: bind: %s\n", errText(err))
			return 1
		}
		go func() {
			<-p.Ctx.Done()
			l.Close()
		}()
		c, err = l.Accept()
		l.Close()
		if err != nil {
			if p.Ctx.Err() != nil {
				return killedStatus
			}
			fmt.Fprintf(p.Stderr, "nc: accept: %s\n", errText(err))
			return 1
		}
	} else {
		if len(args) != 2 {
			return usage()
		}
		ip, err := resolveHost(p, args[0])
		if err != nil {
			fmt.Fprintf(p.Stderr, "nc: %v\n", err)
			return 1
		}
		if _, err := strconv.Atoi(args[1]); err != nil {
			fmt.Fprintf(p.Stderr, "nc: bad port '%s'\n", args[1])
			return 1
		}
		c, err = sysDial(p, net.JoinHostPort(ip.String(), args[1]))
		if err != nil {
			fmt.Fprintf(p.Stderr, "nc: can't connect to remote host (%s): %s\n", ip, errText(err))
			return 1
		}
	}
	defer c.Close()
	go func() {
		<-p.Ctx.Done()
		c.Close()
	}()
	go func() {
		_, _ = io.Copy(c, ctxReader{p.Ctx, p.Stdin})
		if hc, ok := c.(interface{ CloseWrite() error }); ok {
			_ = hc.CloseWrite()
		}
	}()
	var in io.Reader = c
	if wait > 0 {
		in = deadlineReader{c, func() { _ = c.SetReadDeadline(time.Now().Add(wait)) }}
		_ = c.SetReadDeadline(time.Now().Add(wait))
	}
	_, err = io.Copy(p.Stdout, in)
	if p.Ctx.Err() != nil {
		return killedStatus
	}
	if err != nil && !isTimeout(err) {
		fmt.Fprintf(p.Stderr, "nc: %s\n", errText(err))
		return 1
	}
	return 0
}
