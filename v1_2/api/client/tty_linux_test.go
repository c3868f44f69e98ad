package client

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/creack/pty"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/sys/unix"
)

// run -i -t on a real pseudo-terminal: the client sees a terminal, makes
// it raw while attached (keys go through as typed), tells the daemon its
// size, and gives the terminal back as it found it.
func TestRunInteractiveTtyRawAndResize(t *testing.T) {
	ptmx, tts, err := pty.Open()
	require.NoError(t, err)
	defer ptmx.Close()
	defer tts.Close()
	require.NoError(t, pty.Setsize(ptmx, &pty.Winsize{Rows: 30, Cols: 100}))
	before, err := unix.IoctlGetTermios(int(tts.Fd()), unix.TCGETS)
	require.NoError(t, err)

	// What a user's terminal shows, read from the master side.
	var screen bytes.Buffer
	var screenMu sync.Mutex
	go func() {
		buf := make([]byte, 1024)
		for {
			n, err := ptmx.Read(buf)
			screenMu.Lock()
			screen.Write(buf[:n])
			screenMu.Unlock()
			if err != nil {
				return
			}
		}
	}()

	d := runDaemon(t, 0)
	d.json("GET /containers/c1/json", 200, map[string]any{"State": map[string]any{"Running": false, "ExitCode": 0}})
	d.text("POST /containers/c1/resize", 200, "")
	rawWhileAttached := make(chan bool, 1)
	typed := make(chan string, 1)
	d.on("POST /containers/c1/attach", func(w http.ResponseWriter, r *http.Request) {
		conn, buf, err := http.NewResponseController(w).Hijack()
		require.NoError(t, err)
		defer conn.Close()
		fmt.Fprint(conn, "HTTP/1.1 101 UPGRADED\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n\r\n")
		// The client makes the terminal raw right after this answer.
		raw := false
		for deadline := time.Now().Add(5 * time.Second); !raw && time.Now().Before(deadline); time.Sleep(time.Millisecond) {
			now, err := unix.IoctlGetTermios(int(tts.Fd()), unix.TCGETS)
			require.NoError(t, err)
			raw = now.Lflag&(unix.ICANON|unix.ECHO) == 0
		}
		rawWhileAttached <- raw
		// The user types "ls" and Enter.
		ptmx.Write([]byte("ls\r"))
		in := make([]byte, 3)
		_, err = io.ReadFull(buf, in)
		require.NoError(t, err)
		typed <- string(in)
		fmt.Fprint(conn, "bin  etc\r\n")
	})

	// stdin and stdout are two descriptors of one terminal, as in a shell.
	in, err := os.OpenFile(tts.Name(), os.O_RDWR, 0)
	require.NoError(t, err)
	var errOut bytes.Buffer
	cli := NewDockerCli(in, tts, &errOut, "tcp", d.srv.Listener.Addr().String(), nil)
	require.True(t, cli.isTerminal)
	require.NoError(t, cli.Cmd("run", "-i", "-t", "busybox", "sh"), errOut.String())

	assert.Equal(t, "ls\r", <-typed, "raw mode: Enter arrives as \\r, unchanged, at once")
	assert.True(t, <-rawWhileAttached, "the terminal is raw (no ICANON, no ECHO) while attached")
	after, err := unix.IoctlGetTermios(int(tts.Fd()), unix.TCGETS)
	require.NoError(t, err)
	assert.Equal(t, before.Lflag, after.Lflag, "the terminal is restored")
	assert.Equal(t, before.Iflag, after.Iflag)

	resize, ok := d.find("POST", "/v1.14/containers/c1/resize")
	require.True(t, ok, "the size is sent after the start")
	assert.Equal(t, "h=30&w=100", resize.Query)
	attach, _ := d.find("POST", "/v1.14/containers/c1/attach")
	assert.Equal(t, "stderr=1&stdin=1&stdout=1&stream=1", attach.Query)
	assert.Eventually(t, func() bool {
		screenMu.Lock()
		defer screenMu.Unlock()
		return bytes.Contains(screen.Bytes(), []byte("bin  etc"))
	}, 5*time.Second, 10*time.Millisecond, "the container's output reaches the terminal")
}
