// Tests for commands.go (reference docs/upstream/v0.1.0.md §4, §5): the image
// commands through rcli.LocalCall, and a raw TCP client against the daemon
// speaking the wire format.
package docker

import (
	"bufio"
	"bytes"
	"io"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dockerlab/dockerlab/v0_1/rcli"
)

// call runs one command as the daemon would and returns what the client
// would read: the output, then "Error: …" when it failed.
func call(t *testing.T, srv *Server, stdin string, args ...string) string {
	t.Helper()
	var out bytes.Buffer
	if err := rcli.LocalCall(srv, io.NopCloser(strings.NewReader(stdin)), &out, args...); err != nil {
		out.WriteString("Error: " + err.Error() + "\n")
	}
	return out.String()
}

func newTestServer(t *testing.T) *Server {
	srv, err := NewServer(newFakeHostWithBridge(t), filepath.Join(t.TempDir(), "root"))
	require.NoError(t, err)
	return srv
}

func lines(s string) []string { return strings.Split(strings.TrimRight(s, "\n"), "\n") }

func TestVersionHelpInfo(t *testing.T) {
	srv := newTestServer(t)
	assert.Equal(t, "Version:0.1.0\n", call(t, srv, "", "version"))
	assert.Equal(t, "Version:0.1.0\n", call(t, srv, "", "VERSION"))
	help := call(t, srv, "")
	assert.True(t, strings.HasPrefix(help, "Usage: docker COMMAND [arg...]\n\nA self-sufficient runtime for linux containers.\n\nCommands:\n"))
	assert.Contains(t, help, "    import    Create a new filesystem image from the contents of a tarball\n")
	assert.Contains(t, help, "    port      Lookup the public-facing port which is NAT-ed to PRIVATE_PORT\n")
	assert.Len(t, lines(help), 5+26, "26 command lines, ps and run twice, tag missing")
	assert.Equal(t, "containers: 0\nversion: 0.1.0\nimages: 0\n", call(t, srv, "", "info"))
	assert.Equal(t, "Error: No such command: nosuch\n", call(t, srv, "", "nosuch"))
}

func TestImportImagesTagHistoryRmi(t *testing.T) {
	srv := newTestServer(t)
	id := strings.TrimSpace(call(t, srv, string(fakeTar(t)), "import", "-"))
	require.Regexp(t, `^[0-9a-f]{16}$`, id)

	out := call(t, srv, "", "images")
	assert.Equal(t, []string{
		"REPOSITORY          TAG                 ID                  CREATED                  PARENT",
		"<none>              <none>              " + id + "    Less than a second ago   ",
	}, lines(out))
	assert.Equal(t, id+"\n", call(t, srv, "", "images", "-q"))

	assert.Equal(t, "", call(t, srv, "", "tag", id, "base"))
	assert.Equal(t, "", call(t, srv, "", "tag", id, "base", "v1"))
	out = call(t, srv, "", "images")
	require.Len(t, lines(out), 3)
	assert.Regexp(t, `^base +latest +`+id+` +Less than a second ago`, lines(out)[1])
	assert.Regexp(t, `^base +v1 +`+id+` `, lines(out)[2])
	assert.Equal(t, id+"\n"+id+"\n", call(t, srv, "", "images", "-q", "-a"))
	assert.Equal(t, id+"\n"+id+"\n", call(t, srv, "", "images", "-q", "base"))
	assert.Equal(t, "", call(t, srv, "", "images", "-q", "nosuch"))

	// A second import, tagged on the way in, with a file path.
	path := filepath.Join(t.TempDir(), "layer.tar")
	require.NoError(t, os.WriteFile(path, fakeTar(t), 0644))
	id2 := strings.TrimSpace(call(t, srv, "", "import", path, "other", "x"))
	require.Regexp(t, `^[0-9a-f]{16}$`, id2)
	assert.Equal(t, id2+"\n", call(t, srv, "", "images", "-q", "other"))

	out = call(t, srv, "", "history", "base:v1")
	assert.Equal(t, []string{
		"ID                  CREATED                  CREATED BY",
		"base:latest         Less than a second ago   ",
	}, lines(out))
	assert.Equal(t, "Error: No such image: nope\n", call(t, srv, "", "history", "nope"))

	out = call(t, srv, "", "inspect", "base:v1")
	assert.True(t, strings.HasPrefix(out, "{\n    \"id\": \""+id+"\",\n"), out)
	assert.Contains(t, out, "\"comment\": \"Imported from -\"")
	assert.Equal(t, "", call(t, srv, "", "inspect", "nosuch"))

	out = call(t, srv, "", "import", "http://example.com/busybox.tar")
	assert.Contains(t, out, "Error: import http://example.com/busybox.tar: no such file, and no network")

	assert.Equal(t, "", call(t, srv, "", "rmi", id))
	assert.Equal(t, id2+"\n", call(t, srv, "", "images", "-q", "-a"))
	assert.Equal(t, "Error: No such image: "+id+"\n", call(t, srv, "", "rmi", id))
	assert.Contains(t, call(t, srv, "", "rmi"), "Usage: docker rmimage [OPTIONS] IMAGE")
	assert.Equal(t, "containers: 0\nversion: 0.1.0\nimages: 1\n", call(t, srv, "", "info"))
}

func TestContainerCommandsSayWhy(t *testing.T) {
	srv := newTestServer(t)
	for _, cmd := range []string{"start", "stop", "restart", "kill", "wait", "rm", "attach", "logs", "diff", "export"} {
		assert.Contains(t, call(t, srv, "", cmd, "x"), "No such container", cmd)
	}
}

// TestDaemonWireFormat talks to the daemon as a 2013 client would: one
// JSON line, then stdin, then a half-close; the answer ends at EOF.
func TestDaemonWireFormat(t *testing.T) {
	srv := newTestServer(t)
	listener, err := rcli.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	t.Cleanup(func() { listener.Close() })
	go rcli.ServeListener(listener, srv)
	addr := listener.Addr().String()

	raw := func(line string, stdin []byte) string {
		conn, err := net.Dial("tcp", addr)
		require.NoError(t, err)
		defer conn.Close()
		_, err = conn.Write(append([]byte(line), stdin...))
		require.NoError(t, err)
		require.NoError(t, conn.(*net.TCPConn).CloseWrite())
		out, err := io.ReadAll(bufio.NewReader(conn))
		require.NoError(t, err)
		return string(out)
	}
	assert.Equal(t, "Version:0.1.0\n", raw("[\"version\"]\n", nil))
	assert.Equal(t, srv.Help(), raw("[]\n", nil))
	assert.Regexp(t, `^Error: invalid character`, raw("not json\n", nil))
	assert.Equal(t, "Error: EOF\n", raw(`["version"]`, nil))
	id := strings.TrimSpace(raw("[\"import\",\"-\",\"busybox\"]\n", busyboxTar(t)))
	assert.Regexp(t, `^[0-9a-f]{16}$`, id)
	// The daemon is still up and saw the import.
	assert.Equal(t, id+"\n", raw("[\"images\",\"-q\"]\n", nil))
}
