// Tests for the rcli wire protocol and dispatch (rcli/tcp.go and
// rcli/types.go of Docker v0.1.0; reference docs/upstream/v0.1.0.md §4
// "Observable outputs"). A raw TCP client speaks the wire format by hand so
// the bytes on the connection are what is checked.
package rcli

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const testHelp = "Usage: docker COMMAND [arg...]\n\nA tiny service for tests.\n"

// TestMain silences the daemon's log (each request is logged, and a
// recovered panic logs its stack).
func TestMain(m *testing.M) {
	log.SetOutput(io.Discard)
	os.Exit(m.Run())
}

// testService is a small daemon with a few commands.
type testService struct{}

func (testService) Name() string { return "docker" }
func (testService) Help() string { return testHelp }

func (testService) CmdVersion(stdin io.ReadCloser, stdout io.Writer, args ...string) error {
	fmt.Fprintln(stdout, "Version:0.1.0")
	return nil
}

// CmdCat copies the client's stdin back, to check half-close forwarding.
func (testService) CmdCat(stdin io.ReadCloser, stdout io.Writer, args ...string) error {
	_, err := io.Copy(stdout, stdin)
	return err
}

func (testService) CmdWait(stdin io.ReadCloser, stdout io.Writer, args ...string) error {
	cmd := Subcmd(stdout, "wait", "[OPTIONS] NAME", "Block until a container stops, then print its exit code.")
	if err := cmd.Parse(args); err != nil {
		return nil
	}
	if cmd.NArg() < 1 {
		cmd.Usage()
		return nil
	}
	fmt.Fprintln(stdout, "0")
	return nil
}

func (testService) CmdPanic(stdin io.ReadCloser, stdout io.Writer, args ...string) error {
	var none []string
	_ = none[len(args)+1] // index out of range, like `docker run` with no args in 0.1.0
	return nil
}

func (testService) CmdFail(stdin io.ReadCloser, stdout io.Writer, args ...string) error {
	return errors.New("disk is 100% full")
}

func (testService) CmdArgs(stdin io.ReadCloser, stdout io.Writer, args ...string) error {
	fmt.Fprintf(stdout, "%q\n", args)
	return nil
}

// CmdOdd has the right name but not the Cmd signature.
func (testService) CmdOdd(args ...string) error { return nil }

// startServer serves testService on a free loopback port.
func startServer(t *testing.T) string {
	t.Helper()
	l, err := Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	t.Cleanup(func() { l.Close() })
	go ServeListener(l, testService{})
	return l.Addr().String()
}

// rawCall writes raw bytes (the JSON line and any stdin), half-closes,
// and returns everything the daemon answered up to its close.
func rawCall(t *testing.T, addr, raw string) string {
	t.Helper()
	conn, err := net.Dial("tcp", addr)
	require.NoError(t, err)
	defer conn.Close()
	_, err = io.WriteString(conn, raw)
	require.NoError(t, err)
	require.NoError(t, conn.(*net.TCPConn).CloseWrite())
	out, err := io.ReadAll(conn)
	require.NoError(t, err)
	return string(out)
}

func TestWireFormatAnswers(t *testing.T) {
	addr := startServer(t)
	waitUsage := "\nUsage: docker wait [OPTIONS] NAME\n\nBlock until a container stops, then print its exit code.\n\n"
	cases := []struct {
		name, raw, want string
	}{
		{"empty argv is help", "[]\n", testHelp},
		{"null is help", "null\n", testHelp},
		{"help", `["help"]` + "\n", testHelp},
		{"version", `["version"]` + "\n", "Version:0.1.0\n"},
		{"upper case", `["VERSION"]` + "\n", "Version:0.1.0\n"},
		{"mixed case", `["vErSiOn"]` + "\n", "Version:0.1.0\n"},
		{"help version", `["help","version"]` + "\n", "Version:0.1.0\n"},
		{"help wait shows usage", `["help","wait"]` + "\n", waitUsage},
		{"usage of a subcommand", `["wait"]` + "\n", waitUsage},
		{"unknown command", `["nosuch"]` + "\n", "Error: No such command: nosuch\n"},
		{"help unknown", `["help","nosuch"]` + "\n", "Error: No such command: nosuch\n"},
		{"wrong signature is unknown", `["odd"]` + "\n", "Error: No such command: odd\n"},
		{"Name and Help are not commands", `["name"]` + "\n", "Error: No such command: name\n"},
		{"double dash alone is help (0.1.0 panicked)", `["--"]` + "\n", testHelp},
		{"args after the command", `["args","-a","b c"]` + "\n", "[\"-a\" \"b c\"]\n"},
		{"escaped JSON", `["args","\u003cx\u003e"]` + "\n", "[\"<x>\"]\n"},
		{"undefined main flag", `["-x"]` + "\n",
			"flag provided but not defined: -x\n" + testHelp + "Error: flag provided but not defined: -x\n"},
		{"not JSON", "nope\n", "Error: invalid character 'o' in literal null (expecting 'u')\n"},
		{"no newline: not run", `["version"]`, "Error: EOF\n"},
		{"error text is not a format", `["fail"]` + "\n", "Error: disk is 100% full\n"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			assert.Equal(t, c.want, rawCall(t, addr, c.raw))
		})
	}
}

func TestStdinIsTheRestOfTheStream(t *testing.T) {
	addr := startServer(t)
	// The stdin bytes travel in the same write as the JSON line, so the
	// daemon's bufio reader has read them ahead: they must still arrive.
	stdin := "hello\nworld, no final newline"
	assert.Equal(t, stdin, rawCall(t, addr, `["cat"]`+"\n"+stdin))

	big := strings.Repeat("0123456789abcdef", 1<<14) // 256 KiB
	assert.Equal(t, big, rawCall(t, addr, `["cat"]`+"\n"+big))
}

func TestPanicBecomesErrorAndDaemonSurvives(t *testing.T) {
	addr := startServer(t)
	out := rawCall(t, addr, `["panic"]`+"\n")
	assert.True(t, strings.HasPrefix(out, "Error: the command panicked: runtime error: index out of range"), out)
	assert.True(t, strings.HasSuffix(out, "\n"))
	assert.Equal(t, "Version:0.1.0\n", rawCall(t, addr, `["version"]`+"\n"))
}

func TestCommandLineTooLong(t *testing.T) {
	addr := startServer(t)
	// Exactly one byte too many and no newline: the daemon reads it all,
	// so it closes cleanly (no RST) after its answer.
	raw := `["` + strings.Repeat("a", MaxLineLength-1)
	require.Equal(t, MaxLineLength+1, len(raw))
	assert.Equal(t, "Error: command line too long\n", rawCall(t, addr, raw))

	// A line just under the limit is served.
	arg := strings.Repeat("b", MaxLineLength-16)
	out := rawCall(t, addr, `["args","`+arg+`"]`+"\n")
	assert.Equal(t, fmt.Sprintf("%q\n", []string{arg}), out)
}

func TestCallClient(t *testing.T) {
	addr := startServer(t)
	conn, err := Call("tcp", addr, "cat")
	require.NoError(t, err)
	defer conn.Close()
	_, err = io.WriteString(conn, "piped")
	require.NoError(t, err)
	require.NoError(t, conn.CloseWrite())
	out, err := io.ReadAll(conn)
	require.NoError(t, err)
	assert.Equal(t, "piped", string(out))
}

func TestListenRefusesNonLoopback(t *testing.T) {
	for _, addr := range []string{"0.0.0.0:4242", ":4242", "192.0.2.1:4242", "[::]:4242", "example.com:4242", "nonsense"} {
		_, err := Listen("tcp", addr)
		assert.Error(t, err, addr)
	}
	_, err := Listen("unix", "/tmp/x.sock")
	assert.ErrorContains(t, err, "TCP only")
	assert.ErrorContains(t, ListenAndServe("tcp", "0.0.0.0:0", testService{}), "loopback")

	for _, addr := range []string{"127.0.0.1:0", "localhost:0", "[::1]:0"} {
		l, err := Listen("tcp", addr)
		if err != nil && addr == "[::1]:0" {
			continue // no IPv6 on this machine: the check itself passed
		}
		require.NoError(t, err, addr)
		l.Close()
	}
}

func TestLocalCallInProcess(t *testing.T) {
	var out bytes.Buffer
	err := LocalCall(testService{}, io.NopCloser(strings.NewReader("")), &out, "Version")
	require.NoError(t, err)
	assert.Equal(t, "Version:0.1.0\n", out.String())

	out.Reset()
	err = LocalCall(testService{}, nil, &out)
	require.NoError(t, err)
	assert.Equal(t, testHelp, out.String())

	err = LocalCall(testService{}, nil, &out, "")
	require.NoError(t, err)

	err = LocalCall(testService{}, nil, &out, "nosuch")
	assert.EqualError(t, err, "No such command: nosuch")
}

func TestDebugClientSocket(t *testing.T) {
	DEBUG_FLAG = true
	t.Cleanup(func() { DEBUG_FLAG = false; setClientSocket(nil) })
	addr := startServer(t)
	assert.Equal(t, "Version:0.1.0\n", rawCall(t, addr, `["version"]`+"\n"))
	assert.NotNil(t, ClientSocket())
}

// A command that never reads its stdin must still deliver its whole answer
// while the client keeps sending (the tail of a tarball, say): the server
// half-closes and drains instead of resetting the connection.
func TestUnreadStdinDoesNotResetTheAnswer(t *testing.T) {
	addr := startServer(t)
	conn, err := net.Dial("tcp", addr)
	require.NoError(t, err)
	defer conn.Close()
	tcp := conn.(*net.TCPConn)
	wrote := make(chan error, 1)
	go func() {
		tcp.Write([]byte("[\"version\"]\n"))
		_, err := tcp.Write(bytes.Repeat([]byte("x"), 16<<20))
		tcp.CloseWrite()
		wrote <- err
	}()
	// Let the server answer and finish while the client is still
	// sending, before reading: a plain close would reset the connection
	// and the answer would be lost.
	time.Sleep(200 * time.Millisecond)
	out, err := io.ReadAll(conn)
	require.NoError(t, err)
	assert.Equal(t, "Version:0.1.0\n", string(out))
	assert.NoError(t, <-wrote, "the client's stdin is drained, not reset")
}

func TestCommandsListsWhatGetMethodFinds(t *testing.T) {
	assert.Equal(t, []string{"args", "cat", "fail", "help", "panic", "version", "wait"}, Commands(testService{}),
		"CmdOdd has another signature: not a command")
}

// A client that connects and never finishes its command line is answered
// and closed once CommandLineTimeout has passed; a slow stdin after the
// line is not cut (CmdCat still gets all of it).
func TestSilentClientTimesOut(t *testing.T) {
	old := CommandLineTimeout
	CommandLineTimeout = 500 * time.Millisecond
	t.Cleanup(func() { CommandLineTimeout = old })
	addr := startServer(t)

	conn, err := net.Dial("tcp", addr)
	require.NoError(t, err)
	defer conn.Close()
	io.WriteString(conn, `["vers`)
	conn.SetReadDeadline(time.Now().Add(30 * time.Second)) // a bound, not a measurement
	out, err := io.ReadAll(conn)
	require.NoError(t, err, "the daemon closes the connection")
	assert.Contains(t, string(out), "Error: ")

	cat, err := net.Dial("tcp", addr)
	require.NoError(t, err)
	defer cat.Close()
	io.WriteString(cat, "[\"cat\"]\nslow ")
	time.Sleep(time.Second) // longer than the timeout, after the line
	io.WriteString(cat, "stdin\n")
	require.NoError(t, cat.(*net.TCPConn).CloseWrite())
	cat.SetReadDeadline(time.Now().Add(30 * time.Second))
	got, err := io.ReadAll(cat)
	require.NoError(t, err)
	assert.Equal(t, "slow stdin\n", string(got))
}
