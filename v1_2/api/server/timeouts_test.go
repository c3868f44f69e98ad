// Slow clients and old TLS (issue #10 item 4): a client that sends its
// headers slowly is cut off at the header timeout, while an attached
// stream lives on; TLS below 1.2 is refused.
package server

import (
	"bufio"
	"crypto/tls"
	"errors"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dockerlab/dockerlab/v1_2/engine"
)

// TestSlowClientsClosedStreamsSurvive: 200 slowloris clients (headers
// never finished) are closed by the server once the header timeout has
// passed; an attach opened before them is still answering afterwards.
func TestSlowClientsClosedStreamsSurvive(t *testing.T) {
	old := headerTimeout
	headerTimeout = time.Second
	t.Cleanup(func() { headerTimeout = old })

	f := newFakeJobs(t)
	f.answers["attach"] = func(job *engine.Job) engine.Status {
		// An interactive stream: echo each line until stdin ends.
		br := bufio.NewReader(job.Stdin)
		for {
			line, err := br.ReadString('\n')
			if err != nil {
				return engine.StatusOK
			}
			job.Stdout.Write([]byte("echo " + line))
		}
	}
	require.NoError(t, f.eng.Register("serveapi", ServeApi))
	sock := filepath.Join(t.TempDir(), "d.sock")
	job := f.eng.Job("serveapi", "unix://"+sock)
	job.Setenv("SocketGroup", "")
	done := make(chan error, 1)
	go func() { done <- job.Run() }()
	t.Cleanup(func() { f.eng.Shutdown(); <-done })
	waitDialable(t, "unix", sock)

	// The attach, tty so that the echo comes back raw.
	attach, err := net.Dial("unix", sock)
	require.NoError(t, err)
	defer attach.Close()
	io.WriteString(attach, "POST /v1.24/containers/tty/attach?stream=1&stdin=1&stdout=1 HTTP/1.1\r\nHost: docker\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n\r\n")
	ar := bufio.NewReader(attach)
	for {
		line, err := ar.ReadString('\n')
		require.NoError(t, err)
		if line == "\r\n" {
			break
		}
	}
	echo := func(word string) {
		attach.SetDeadline(time.Now().Add(10 * time.Second))
		_, err := io.WriteString(attach, word+"\n")
		require.NoError(t, err)
		got, err := ar.ReadString('\n')
		require.NoError(t, err, "the attached stream must survive the slow clients' timeout")
		assert.Equal(t, "echo "+word+"\n", got)
	}
	echo("before")

	// 200 clients that never finish their headers.
	var wg sync.WaitGroup
	closed := make(chan bool, 200)
	for i := 0; i < 200; i++ {
		c, err := net.Dial("unix", sock)
		require.NoError(t, err)
		_, err = io.WriteString(c, "GET /_ping HTTP/1.1\r\nHost: docker\r\nX-Slow: ")
		require.NoError(t, err)
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer c.Close()
			// A generous bound, not a measurement: the server must end it.
			c.SetReadDeadline(time.Now().Add(60 * time.Second))
			_, err := io.Copy(io.Discard, c)
			var ne net.Error
			closed <- !(err != nil && errors.As(err, &ne) && ne.Timeout())
		}()
	}
	wg.Wait()
	close(closed)
	n := 0
	for ok := range closed {
		if ok {
			n++
		}
	}
	assert.Equal(t, 200, n, "slow clients the server closed")
	echo("after") // more than the header timeout later
}

// TestTLSMinimum12: a client that offers at most TLS 1.1 is refused; 1.2
// is served.
func TestTLSMinimum12(t *testing.T) {
	certs := makeCerts(t)
	addr := serveTLS(t, certs, false)
	pool := caPool(certs)
	handshake := func(min, max uint16) error {
		c, err := tls.DialWithDialer(&net.Dialer{Timeout: 10 * time.Second}, "tcp", addr,
			&tls.Config{RootCAs: pool, ServerName: "127.0.0.1", MinVersion: min, MaxVersion: max})
		if err == nil {
			c.Close()
		}
		return err
	}
	for _, v := range []uint16{tls.VersionTLS10, tls.VersionTLS11} {
		err := handshake(v, v)
		require.Error(t, err, "TLS %x must be refused", v)
		assert.True(t, strings.Contains(err.Error(), "protocol version") || strings.Contains(err.Error(), "version"), err.Error())
	}
	assert.NoError(t, handshake(tls.VersionTLS12, tls.VersionTLS12))
}

// TestTLSMinimumDespiteGODEBUG runs TestTLSMinimum12 again in a process
// where GODEBUG=tls10server=1 lowers Go's default minimum back to TLS 1.0:
// the daemon's own MinVersion must still hold.
func TestTLSMinimumDespiteGODEBUG(t *testing.T) {
	if os.Getenv("GODEBUG") != "" {
		t.Skip("already the child run")
	}
	cmd := exec.Command(os.Args[0], "-test.run", "^TestTLSMinimum12$", "-test.count=1", "-test.v")
	cmd.Env = append(os.Environ(), "GODEBUG=tls10server=1")
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "%s", out)
	assert.Contains(t, string(out), "--- PASS: TestTLSMinimum12")
}
