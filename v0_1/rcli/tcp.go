// The rcli wire protocol over TCP: Call (client), ListenAndServe and Serve
// (daemon).
//
// Upstream: rcli/tcp.go at v0.1.0 (Call, ListenAndServe, Serve,
// DEBUG_FLAG, CLIENT_SOCKET). See docs/upstream/v0.1.0.md §4.
// Notes: 002 "创建tcp服务端", "command" → "tcp call" (a TCP listener on
// 127.0.0.1:4242, one goroutine per request).
//
// The wire format, byte for byte:
//
//	client → daemon: ["run","-i","base","/bin/sh"]\n   one JSON array of strings and a newline
//	client → daemon: <stdin bytes …>                  until the client half-closes (FIN)
//	daemon → client: <stdout and stderr, mixed>       raw bytes, no framing
//	daemon → client: Error: <message>\n               only when the command failed
//	daemon closes the connection                      the only end-of-response marker
//
// Divergences from 0.1.0, each because upstream let one request hurt the
// daemon or its host:
//   - a command that panics answers "Error: the command panicked: …" and
//     the daemon keeps serving (0.1.0 died, reference §9.1);
//   - the JSON line is at most MaxLineLength bytes ("Error: command line too
//     long"), where 0.1.0 buffered any amount;
//   - "Error: " is written with %s; 0.1.0 used the error text as a format
//     string, so a "%" in it came out mangled (go vet's complaint, §9.11);
//   - ListenAndServe only listens on loopback addresses: the protocol has no
//     authentication and every command runs as root (§9.22);
//   - CLIENT_SOCKET is guarded by a mutex; read it with ClientSocket;
//   - the command line must arrive within CommandLineTimeout, and a
//     command's stdout tells it when its client has gone for good
//     (HangupNotifier).
package rcli

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"runtime/debug"
	"strings"
	"sync"
	"time"

	"github.com/dockerlab/dockerlab/pkg/hangup"
)

// DEBUG_FLAG is set by the client's -D flag. In debug mode the daemon
// remembers the latest connection in CLIENT_SOCKET, and Debugf writes
// there: debug text lands in whichever client connected last (a quirk
// kept on purpose, reference §4 "Debug quirk").
var DEBUG_FLAG = false

// CLIENT_SOCKET is the latest connection accepted in debug mode. Use
// ClientSocket to read it; connections set it from their own goroutines.
var CLIENT_SOCKET io.Writer

var clientSocketMu sync.Mutex

// ClientSocket returns CLIENT_SOCKET under its lock (nil when not in
// debug mode or before the first connection).
func ClientSocket() io.Writer {
	clientSocketMu.Lock()
	defer clientSocketMu.Unlock()
	return CLIENT_SOCKET
}

func setClientSocket(w io.Writer) {
	clientSocketMu.Lock()
	CLIENT_SOCKET = w
	clientSocketMu.Unlock()
}

// MaxLineLength bounds the JSON command line a client may send.
const MaxLineLength = 1 << 20

// CommandLineTimeout bounds how long the daemon waits for it (a variable
// so that tests can shorten it).
var CommandLineTimeout = 30 * time.Second

var errLineTooLong = errors.New("command line too long")

// Call connects to a daemon, sends args as the JSON command line and
// returns the connection: the caller copies its stdin into it, half-closes
// it with CloseWrite, and reads the answer until EOF.
func Call(proto, addr string, args ...string) (*net.TCPConn, error) {
	line, err := json.Marshal(args)
	if err != nil {
		return nil, err
	}
	conn, err := net.Dial(proto, addr)
	if err != nil {
		return nil, err
	}
	tcp, ok := conn.(*net.TCPConn)
	if !ok {
		// 0.1.0's unchecked type assertion panicked here.
		conn.Close()
		return nil, fmt.Errorf("rcli: %s is not a TCP connection", proto)
	}
	if _, err := fmt.Fprintln(tcp, string(line)); err != nil {
		tcp.Close()
		return nil, err
	}
	return tcp, nil
}

// ListenAndServe listens on addr (which must be a loopback address, such as
// 0.1.0's 127.0.0.1:4242) and serves every connection with service until
// accepting fails.
func ListenAndServe(proto, addr string, service Service) error {
	listener, err := Listen(proto, addr)
	if err != nil {
		return err
	}
	defer listener.Close()
	log.Printf("Listening for RCLI/%s on %s", proto, addr)
	return ServeListener(listener, service)
}

// Listen opens the daemon's socket, refusing any address that is not on
// loopback. Tests and demos use it with "127.0.0.1:0" to get a free port.
func Listen(proto, addr string) (net.Listener, error) {
	if err := checkLoopback(proto, addr); err != nil {
		return nil, err
	}
	return net.Listen(proto, addr)
}

func checkLoopback(proto, addr string) error {
	switch proto {
	case "tcp", "tcp4", "tcp6":
	default:
		return fmt.Errorf("rcli: protocol %q is not supported: rcli speaks TCP only", proto)
	}
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("rcli: bad listen address %q: %v", addr, err)
	}
	if host == "localhost" {
		return nil
	}
	if ip := net.ParseIP(host); ip != nil && ip.IsLoopback() {
		return nil
	}
	return fmt.Errorf("rcli: refusing to listen on %q: the protocol has no authentication and runs commands as root, so only loopback addresses (127.0.0.1, ::1, localhost) are allowed", addr)
}

// ServeListener accepts connections on listener and serves each one in its
// own goroutine, as 0.1.0's ListenAndServe loop did.
func ServeListener(listener net.Listener, service Service) error {
	for {
		conn, err := listener.Accept()
		if err != nil {
			return err
		}
		go serveConn(conn, service)
	}
}

// serveConn answers one client: run the command, append "Error: …" when it
// failed, and close the connection so the client sees EOF.
func serveConn(conn net.Conn, service Service) {
	defer finishConn(conn)
	if DEBUG_FLAG {
		setClientSocket(conn)
	}
	// Not upstream: the command's stdout tells it when the client has
	// closed the connection for good (HangupNotifier), so that attach to
	// a silent container does not hold the connection until its next
	// output (docs/divergences.md "Streams end when the client goes").
	hc := &hangupConn{Conn: conn, hungUp: make(chan struct{})}
	defer hangup.Watch(conn, hc.hangup)()
	// Not upstream: the command line must arrive within
	// CommandLineTimeout (Serve lifts the deadline once it has it), so a
	// client that connects and says nothing does not hold a connection
	// for ever.
	conn.SetReadDeadline(time.Now().Add(CommandLineTimeout))
	if err := Serve(hc, service); err != nil {
		log.Printf("Error: %s", err)
		fmt.Fprintf(conn, "Error: %s\n", err)
	}
}

// HangupNotifier is implemented by the stdout a served command gets: the
// channel is closed once the client has closed its connection entirely
// (not when it only half-closed at the end of its stdin). In-process
// calls (LocalCall) have no such stdout. The idea is net/http's
// CloseNotifier.
type HangupNotifier interface {
	HungUp() <-chan struct{}
}

// hangupConn is a served connection that is a HangupNotifier.
type hangupConn struct {
	net.Conn
	hungUp chan struct{}
	once   sync.Once
}

func (c *hangupConn) hangup()                 { c.once.Do(func() { close(c.hungUp) }) }
func (c *hangupConn) HungUp() <-chan struct{} { return c.hungUp }

// Serve reads the command line from conn and runs it. The command's stdin
// is the same buffered reader, so bytes the client sent right after the
// newline (and that bufio already read ahead) are not lost.
func Serve(conn io.ReadWriter, service Service) error {
	r := bufio.NewReader(conn)
	line, err := readCommandLine(r)
	if err != nil {
		return err
	}
	if d, ok := conn.(interface{ SetReadDeadline(time.Time) error }); ok {
		d.SetReadDeadline(time.Time{}) // the command's stdin takes its time
	}
	var args []string
	if err := json.Unmarshal(line, &args); err != nil {
		return err
	}
	return callRecovering(service, io.NopCloser(r), conn, args...)
}

// readCommandLine reads up to and including the first newline, but never
// more than MaxLineLength bytes. A stream that ends before the newline
// gives io.EOF, and the command is not run (as in 0.1.0).
func readCommandLine(r *bufio.Reader) ([]byte, error) {
	var line []byte
	for {
		chunk, err := r.ReadSlice('\n')
		line = append(line, chunk...)
		if len(line) > MaxLineLength {
			return nil, errLineTooLong
		}
		if errors.Is(err, bufio.ErrBufferFull) {
			continue
		}
		return line, err
	}
}

// callRecovering runs the command and turns a panic into an error, so one
// bad request cannot stop the daemon.
func callRecovering(service Service, stdin io.ReadCloser, stdout io.Writer, args ...string) (err error) {
	defer func() {
		if r := recover(); r != nil {
			log.Printf("rcli: command %s panicked: %v\n%s", strings.Join(args, " "), r, debug.Stack())
			err = fmt.Errorf("the command panicked: %v", r)
		}
	}()
	return call(service, stdin, stdout, args...)
}

// finishConn ends a response. 0.1.0 simply closed the connection: the
// close is the end-of-response marker the client waits for. But a close
// while the client is still sending stdin the command never read (the
// tail of an imported tarball, say) makes the kernel answer with a reset,
// and the client may then lose the end of the answer or fail with
// "connection reset by peer". So the server first half-closes (the client
// still sees EOF, the same marker), then reads and drops what the client
// is still sending — bounded in bytes and time — and only then closes.
func finishConn(conn net.Conn) {
	defer conn.Close()
	hc, ok := conn.(interface{ CloseWrite() error })
	if !ok || hc.CloseWrite() != nil {
		return
	}
	conn.SetReadDeadline(time.Now().Add(drainTimeout))
	io.Copy(io.Discard, io.LimitReader(conn, drainLimit))
}

// How much unread stdin finishConn drops, and for how long, before it
// closes anyway.
const (
	drainLimit   = 64 << 20
	drainTimeout = 2 * time.Second
)
