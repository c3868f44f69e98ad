// attach's connection: after the HTTP answer, the same connection carries
// the container's stdin one way and its stdout/stderr the other.
//
// Upstream: api/client/hijack.go at v1.2.0 (dial, hijack). See
// docs/upstream/v1.2.0.md §6.2 (POST /containers/{name}/attach).
// Book: ch.2 §2.3.
//
// Docker 1.2's client sent a plain POST and then took over the socket
// whatever came back (httputil.ClientConn.Hijack). This one also asks
// `Connection: Upgrade` / `Upgrade: tcp`, as later clients do: a daemon
// that knows it answers 101 Switching Protocols; a 1.2-style daemon
// answers 200 and streams on, which is taken the same way (the fallback).
// An answer of 400 or more is the daemon's error message, not a stream.
package client

import (
	"bufio"
	"crypto/tls"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"strings"
	"sync"

	"golang.org/x/term"

	"github.com/dockerlab/dockerlab/v1_2/pkg/stdcopy"
)

// dial opens a connection to the daemon: TLS over tcp when configured.
func (cli *DockerCli) dial() (net.Conn, error) {
	if cli.tlsConfig != nil && cli.proto != "unix" {
		return tls.Dial(cli.proto, cli.addr, cli.tlsConfig)
	}
	return net.Dial(cli.proto, cli.addr)
}

// hijack sends METHOD PATH and then copies in → connection and connection
// → stdout/stderr (split by frame headers unless setRawTerminal: a tty
// container's output is one raw stream). started, if not nil, receives
// the connection once the daemon has answered (run starts the container
// only then, so no output is missed) and is closed when hijack returns.
func (cli *DockerCli) hijack(method, path string, setRawTerminal bool, in io.ReadCloser, stdout, stderr io.Writer, started chan io.Closer) error {
	defer func() {
		if started != nil {
			close(started)
		}
	}()
	req, err := cli.newRequest(method, path, nil)
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "plain/text")
	req.Header.Set("Connection", "Upgrade")
	req.Header.Set("Upgrade", "tcp")
	req.Host = cli.urlHost()

	conn, err := cli.dial()
	if err != nil {
		return dialError(err)
	}
	defer conn.Close()
	cli.tracef("2.3", "→ %s %s (Upgrade: tcp; the connection will be hijacked)", method, req.URL.RequestURI())
	if err := req.Write(conn); err != nil {
		return err
	}
	br := bufio.NewReader(conn)
	resp, err := http.ReadResponse(br, req)
	if err != nil {
		return fmt.Errorf("attach: reading the daemon's answer: %w", err)
	}
	cli.tracef("2.3", "← %s: from here the connection carries the container's streams", resp.Status)
	if resp.StatusCode >= 400 {
		body, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
		return fmt.Errorf("Error response from daemon: %s", strings.TrimSpace(string(body)))
	}
	// From here on br holds whatever followed the answer's headers: the
	// stream itself (101 or 200 alike).
	if started != nil {
		started <- conn
	}

	var restoreOnce sync.Once
	restore := func() {}
	if in != nil && setRawTerminal && cli.isTerminal && os.Getenv("NORAW") == "" {
		oldState, err := term.MakeRaw(int(cli.terminalFd))
		if err != nil {
			return err
		}
		restore = func() { restoreOnce.Do(func() { term.Restore(int(cli.terminalFd), oldState) }) }
		defer restore()
	}

	var receiveStdout chan error
	if stdout != nil || stderr != nil {
		receiveStdout = make(chan error, 1)
		go func() {
			var err error
			if setRawTerminal && stdout != nil {
				_, err = io.Copy(stdout, br)
			} else {
				_, err = stdcopy.StdCopy(stdout, stderr, br)
			}
			// The container's output ended: give the terminal back first,
			// and stop reading stdin (a terminal's read would hang on).
			restore()
			if in != nil {
				in.Close()
			}
			receiveStdout <- err
		}()
	}

	sendStdin := make(chan error, 1)
	go func() {
		if in != nil {
			io.Copy(conn, in)
		}
		// Tell the container its stdin ended, keep reading its output.
		if cw, ok := conn.(interface{ CloseWrite() error }); ok {
			cw.CloseWrite()
		}
		sendStdin <- nil
	}()

	// Once the output has ended there is nothing left to wait for: a
	// stdin that never ends (a terminal) must not hold the client. With no
	// output attached, the end of stdin is the end.
	if receiveStdout != nil {
		return <-receiveStdout
	}
	return <-sendStdin
}
