// xz, the way Docker 1.2 read it: through the xz program (Go's standard
// library has no xz reader). A build context or an ADD'd archive may be a
// .tar.xz.
//
// Upstream: archive/archive.go at v1.2.0 (xzDecompress, CmdStream).
// Book: ch.11 §11.2.3 (the daemon unpacks the context, compressed or not).
//
// Divergence: CmdStream's goroutines ran until xz ended on its own; a
// reader that stopped early (a context over its size limit, a client gone)
// left xz blocked on a full pipe for ever. Here Close kills it and waits.
package archive

import (
	"bytes"
	"fmt"
	"io"
	"os/exec"
	"sync"
	"time"
)

// xzStream is xz -d's stdout; its error (if xz failed) comes with EOF.
type xzStream struct {
	cmd    *exec.Cmd
	out    io.ReadCloser
	stderr *bytes.Buffer
	once   sync.Once
	err    error
}

// xzDecompress runs `xz -d -c -q` with in as its stdin.
func xzDecompress(in io.Reader) (io.ReadCloser, error) {
	cmd := exec.Command("xz", "-d", "-c", "-q")
	cmd.Stdin = in
	stderr := &bytes.Buffer{}
	cmd.Stderr = &limitedBuffer{b: stderr, max: 4096}
	// Once xz has exited, do not wait for ever for the goroutine feeding
	// it: it may be blocked reading a slow client.
	cmd.WaitDelay = 2 * time.Second
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("decompressing xz needs the xz program (Debian: apt-get install xz-utils): %w", err)
	}
	return &xzStream{cmd: cmd, out: out, stderr: stderr}, nil
}

func (x *xzStream) Read(p []byte) (int, error) {
	n, err := x.out.Read(p)
	if err == io.EOF {
		if werr := x.wait(); werr != nil {
			return n, werr
		}
	}
	return n, err
}

// wait reaps xz once and remembers how it ended.
func (x *xzStream) wait() error {
	x.once.Do(func() {
		if err := x.cmd.Wait(); err != nil {
			x.err = fmt.Errorf("xz: %v: %s", err, bytes.TrimSpace(x.stderr.Bytes()))
		}
	})
	return x.err
}

// Close stops xz if it still runs (killing a process already reaped is
// a no-op: os.Process knows it is done).
func (x *xzStream) Close() error {
	x.cmd.Process.Kill()
	x.wait()
	return nil
}

// limitedBuffer keeps the first max bytes written to it (xz's message).
type limitedBuffer struct {
	b   *bytes.Buffer
	max int
}

func (l *limitedBuffer) Write(p []byte) (int, error) {
	if room := l.max - l.b.Len(); room > 0 {
		l.b.Write(p[:min(room, len(p))])
	}
	return len(p), nil
}
