// Package client is Docker 1.2.0's command line client: DockerCli, which
// turns `docker COMMAND ARGS…` into Remote API requests (v1.14) and prints
// the answers the way Docker 1.2 printed them.
//
// Upstream: api/client/cli.go at v1.2.0 (DockerCli, NewDockerCli, getMethod,
// Cmd, Subcmd). See docs/upstream/v1.2.0.md §2.1 and §6.3.
// Book: ch.2 §2.2 (创建Docker Client) and §2.3 (Docker Client执行命令).
// Notes: 004 section 五(三) 創建 Docker Client.
//
// How a command runs (book ch.2 §2.3): main calls cli.Cmd(args...);
// getMethod turns "ps" into the method name "CmdPs" and finds it by
// reflection; CmdPs parses its own flags (Subcmd) and sends the request
// (utils.go call/stream, hijack.go for attach).
package client

import (
	"crypto/tls"
	"fmt"
	"io"
	"os"
	"reflect"
	"strings"

	"golang.org/x/term"
)

// DockerCli is one client talking to one daemon: the protocol and address
// from -H, the TLS configuration from --tls*, and the three streams.
type DockerCli struct {
	proto      string // "unix" or "tcp"
	addr       string // socket path or host:port
	in         io.ReadCloser
	out        io.Writer
	err        io.Writer
	isTerminal bool    // out is a terminal: raw mode and resize make sense
	terminalFd uintptr // out's file descriptor when it is a file
	tlsConfig  *tls.Config
	scheme     string    // "https" with TLS, "http" without
	trace      io.Writer // --trace: where the steps are printed (trace.go)
}

// NewDockerCli builds a client. As upstream, whether the client sits on a
// terminal is decided by out (not in), and a nil err writes to out.
func NewDockerCli(in io.ReadCloser, out, err io.Writer, proto, addr string, tlsConfig *tls.Config) *DockerCli {
	var (
		isTerminal bool
		terminalFd uintptr
		scheme     = "http"
	)
	if tlsConfig != nil {
		scheme = "https"
	}
	if in != nil {
		if file, ok := out.(*os.File); ok {
			terminalFd = file.Fd()
			isTerminal = term.IsTerminal(int(terminalFd))
		}
	}
	if err == nil {
		err = out
	}
	return &DockerCli{
		proto:      proto,
		addr:       addr,
		in:         in,
		out:        out,
		err:        err,
		isTerminal: isTerminal,
		terminalFd: terminalFd,
		tlsConfig:  tlsConfig,
		scheme:     scheme,
	}
}

// getMethod finds the method for a command name: "ps" → CmdPs, "RMI" →
// CmdRmi. Reflection is what upstream used, so adding a command is adding
// a method, with no table to keep in step.
func (cli *DockerCli) getMethod(name string) (func(...string) error, bool) {
	if name == "" {
		return nil, false
	}
	method := reflect.ValueOf(cli).MethodByName(methodName(name))
	if !method.IsValid() {
		return nil, false
	}
	fn, ok := method.Interface().(func(...string) error)
	return fn, ok
}

// methodName is "Cmd" and the name capitalised: "rmi" → "CmdRmi".
func methodName(name string) string {
	return "Cmd" + strings.ToUpper(name[:1]) + strings.ToLower(name[1:])
}

// Cmd runs args[0] with the rest of args; no command prints the help.
func (cli *DockerCli) Cmd(args ...string) error {
	if len(args) > 0 {
		method, exists := cli.getMethod(args[0])
		if !exists {
			cli.tracef("2.3", "getMethod(%q): no such method: the help", args[0])
			fmt.Fprintln(cli.err, "Error: Command not found:", args[0])
			if err := cli.CmdHelp(args[1:]...); err != nil {
				return err
			}
			return &StatusError{StatusCode: 1}
		}
		cli.tracef("2.3", "getMethod(%q) → %s, called with %q", args[0], methodName(args[0]), args[1:])
		return method(args[1:]...)
	}
	return cli.CmdHelp(args...)
}

// StatusError ends the client with an exit status: the container's for
// run and attach, 2 for a command used wrongly. Upstream: utils.StatusError;
// main printed Status (if any) and called os.Exit(StatusCode).
type StatusError struct {
	Status     string
	StatusCode int
}

func (e *StatusError) Error() string {
	if e.Status != "" {
		return e.Status
	}
	return fmt.Sprintf("Status: %d", e.StatusCode)
}

// ExitStatus is the process exit status this error asks for.
func (e *StatusError) ExitStatus() int { return e.StatusCode }
