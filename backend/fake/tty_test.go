package fake

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dockerlab/dockerlab/backend"
)

// screen is the master's read side: everything the terminal shows.
type screen struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (s *screen) Write(b []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.buf.Write(b)
}

func (s *screen) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.buf.String()
}

// waitFor waits until the screen shows want (a wait, not a timing check).
func (s *screen) waitFor(t *testing.T, want string) {
	t.Helper()
	require.Eventually(t, func() bool { return strings.Contains(s.String(), want) },
		10*time.Second, 5*time.Millisecond, "screen never showed %q; it shows %q", want, s.String())
}

func ttyRootfs(t *testing.T) string {
	dir := testRootfs(t)
	for _, a := range []string{"ls", "pwd"} {
		require.NoError(t, os.Symlink("/bin/busybox", filepath.Join(dir, "bin", a)))
	}
	return dir
}

// startTTY starts sh on a terminal, as `docker run -it busybox sh` does.
func startTTY(t *testing.T, k *Kernel, ns backend.Namespaces) (backend.Process, io.WriteCloser, *screen) {
	t.Helper()
	in, typist := io.Pipe()
	scr := &screen{}
	p := start(t, k, backend.ProcSpec{Args: []string{"sh"}, Rootfs: ttyRootfs(t), Tty: true,
		Namespaces: ns, Stdin: in, Stdout: scr, Env: []string{"HOME=/"}})
	t.Cleanup(func() { _ = p.Signal(syscall.SIGKILL); _, _ = p.Wait(); typist.Close() })
	return p, typist, scr
}

func TestTTYShellPromptEchoAndExit(t *testing.T) {
	k := New()
	p, typist, scr := startTTY(t, k, backend.AllNamespaces())
	scr.waitFor(t, "/ # ")
	_, err := io.WriteString(typist, "echo hi\n")
	require.NoError(t, err)
	// The typed line is echoed ("\r\n" for the newline), the output has
	// "\r\n" (ONLCR), then the next prompt.
	scr.waitFor(t, "/ # echo hi\r\nhi\r\n/ # ")
	// A real terminal's Enter is "\r" (ICRNL makes it "\n"); stderr
	// shares the stream.
	_, _ = io.WriteString(typist, "cd /bin; echo err >&2\r")
	scr.waitFor(t, "err\r\n/bin # ")
	_, _ = io.WriteString(typist, "exit 3\n")
	st, err := p.Wait()
	require.NoError(t, err)
	assert.Equal(t, 3, st.Code)
}

func TestTTYLineEditing(t *testing.T) {
	k := New()
	_, typist, scr := startTTY(t, k, backend.AllNamespaces())
	scr.waitFor(t, "/ # ")
	// "echo hx", backspace, "i": the shell gets "echo hi".
	_, _ = io.WriteString(typist, "echo hx\x7fi\n")
	scr.waitFor(t, "echo hx\b \bi\r\nhi\r\n")
	// ^U throws the line away.
	_, _ = io.WriteString(typist, "junk\x15echo ok\n")
	scr.waitFor(t, "ok\r\n")
	assert.NotContains(t, scr.String(), "junk: not found")
	// An unfinished command gets PS2.
	_, _ = io.WriteString(typist, "if true\n")
	scr.waitFor(t, "> ")
	_, _ = io.WriteString(typist, "then echo yes; fi\n")
	scr.waitFor(t, "yes\r\n")
}

func TestTTYControlC(t *testing.T) {
	for _, pidns := range []bool{true, false} {
		t.Run(map[bool]string{true: "pid 1", false: "no pid namespace"}[pidns], func(t *testing.T) {
			k := New()
			p, typist, scr := startTTY(t, k, backend.Namespaces{PID: pidns, Mount: true})
			scr.waitFor(t, "/ # ")
			// ^C at the prompt: "^C", a fresh line, the shell lives.
			_, _ = io.WriteString(typist, "echo nev\x03")
			scr.waitFor(t, "echo nev^C\r\n/ # ")
			// ^C during a command ends the command, not the shell.
			_, _ = io.WriteString(typist, "sleep 100\n")
			require.Eventually(t, func() bool { return countProcs(t, k) == 2 }, 10*time.Second, 5*time.Millisecond)
			_, _ = io.WriteString(typist, "\x03")
			scr.waitFor(t, "sleep 100\r\n^C\r\n/ # ")
			_, _ = io.WriteString(typist, "echo $?\n")
			scr.waitFor(t, "130\r\n")
			// ^D at the start of a line ends the shell.
			_, _ = io.WriteString(typist, "\x04")
			st, err := p.Wait()
			require.NoError(t, err)
			assert.Equal(t, 0, st.Code)
		})
	}
}

func countProcs(t *testing.T, k *Kernel) int {
	ps, err := k.Procs()
	require.NoError(t, err)
	return len(ps)
}

func TestTTYResizeAndNoTTY(t *testing.T) {
	k := New()
	p, _, scr := startTTY(t, k, backend.AllNamespaces())
	scr.waitFor(t, "/ # ")
	r, ok := p.(interface{ Resize(h, w int) error })
	require.True(t, ok, "the fake process offers Resize")
	require.NoError(t, r.Resize(40, 120))
	assert.Equal(t, [2]int{40, 120}, func() [2]int { a, b := p.(*proc).tty.size(); return [2]int{a, b} }())
	assert.Error(t, r.Resize(-1, 3))

	// Without a tty: no prompt, "\n" stays "\n", stderr apart.
	var out, errOut bytes.Buffer
	q := start(t, k, backend.ProcSpec{Args: []string{"sh"}, Rootfs: ttyRootfs(t),
		Stdin: strings.NewReader("echo hi\necho e >&2\n"), Stdout: &out, Stderr: &errOut})
	_, err := q.Wait()
	require.NoError(t, err)
	assert.Equal(t, "hi\n", out.String())
	assert.Equal(t, "e\n", errOut.String())
	require.NoError(t, q.(*proc).Resize(1, 1))
}

func TestTTYSttyAndTty(t *testing.T) {
	k := New()
	dir := ttyRootfs(t)
	for _, a := range []string{"stty", "tty"} {
		require.NoError(t, os.Symlink("/bin/busybox", filepath.Join(dir, "bin", a)))
	}
	in, typist := io.Pipe()
	scr := &screen{}
	p := start(t, k, backend.ProcSpec{Args: []string{"sh"}, Rootfs: dir, Tty: true, Stdin: in, Stdout: scr,
		Namespaces: backend.AllNamespaces()})
	t.Cleanup(func() { _ = p.Signal(syscall.SIGKILL); _, _ = p.Wait(); typist.Close() })
	scr.waitFor(t, "/ # ")
	require.NoError(t, p.(interface{ Resize(h, w int) error }).Resize(24, 80))
	_, _ = io.WriteString(typist, "stty size; tty; tty </dev/null\n")
	scr.waitFor(t, "24 80\r\n/dev/pts/0\r\nnot a tty\r\n/ # ")
}

func TestTTYReadBuiltin(t *testing.T) {
	k := New()
	// Interactive: read takes the next typed line, the prompt comes back.
	_, typist, scr := startTTY(t, k, backend.AllNamespaces())
	scr.waitFor(t, "/ # ")
	_, _ = io.WriteString(typist, "read -p 'name? ' x; echo got $x\n")
	scr.waitFor(t, "x\r\nname? ")
	_, _ = io.WriteString(typist, "busybox\n")
	scr.waitFor(t, "name? busybox\r\ngot busybox\r\n/ # ")
	_, _ = io.WriteString(typist, "cat\n")
	_, _ = io.WriteString(typist, "a line for cat\n")
	scr.waitFor(t, "a line for cat\r\na line for cat\r\n")
	_, _ = io.WriteString(typist, "\x04")
	scr.waitFor(t, "/ # ")

	// sh -c on a terminal: read waits for the line (upstream's
	// `docker run -it busybox sh -c 'read go; …'`).
	in, w := io.Pipe()
	out := &screen{}
	p := start(t, k, backend.ProcSpec{Args: []string{"sh", "-c", "read go; echo after $go"}, Rootfs: ttyRootfs(t),
		Tty: true, Stdin: in, Stdout: out})
	t.Cleanup(func() { w.Close() })
	_, _ = io.WriteString(w, "go\r")
	st, err := p.Wait()
	require.NoError(t, err)
	assert.Equal(t, 0, st.Code)
	assert.Equal(t, "go\r\nafter go\r\n", out.String())
}
