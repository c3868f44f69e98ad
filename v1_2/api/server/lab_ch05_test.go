// Tests of the exercise ch05.serve-api (ServeApi, the "serveapi" job: one
// server per -H address, each in its own goroutine): `dockerlab lab check
// ch05.serve-api`, or `go test ./v1_2/api/server -run TestCh05ServeApi`.
package server

import (
	"net/http"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dockerlab/dockerlab/v1_2/engine"
)

// labEngine is an engine with the serveapi job, shut down at the end of
// the test (which stops every server the job started). Make the test's
// temporary directories first: cleanups run last-in first-out, so the
// servers stop before their sockets' directory is removed.
func labEngine(t *testing.T) *engine.Engine {
	t.Helper()
	eng := engine.New()
	eng.Logging = false
	require.NoError(t, eng.Register("serveapi", ServeApi))
	t.Cleanup(eng.Shutdown)
	return eng
}

// labStart runs `serveapi addrs…` in the background; its result arrives
// on the channel.
func labStart(eng *engine.Engine, addrs ...string) chan error {
	job := eng.Job("serveapi", addrs...)
	job.Setenv("SocketGroup", "")
	done := make(chan error, 1)
	go func() { done <- job.Run() }()
	return done
}

// labResult waits for the job's result, failing the test instead of
// hanging when the job does not return.
func labResult(t *testing.T, done chan error, why string) error {
	t.Helper()
	select {
	case err := <-done:
		return err
	case <-time.After(5 * time.Second):
		t.Fatalf("serveapi did not return: %s", why)
		return nil
	}
}

// labServing waits until sock answers GET /_ping with OK.
func labServing(t *testing.T, sock, why string) {
	t.Helper()
	c := unixClient(sock)
	ok := assert.Eventually(t, func() bool {
		resp, err := c.Get("http://docker/_ping")
		if err != nil {
			return false
		}
		resp.Body.Close()
		return resp.StatusCode == http.StatusOK
	}, 5*time.Second, 10*time.Millisecond, "%s does not answer: %s", sock, why)
	if !ok {
		t.FailNow()
	}
}

// Two -H addresses: both answer at the same time, so each must be served
// in a goroutine of its own (ListenAndServe returns only when its server
// stops). The engine's shutdown stops both, and the job ends with OK.
func TestCh05ServeApi(t *testing.T) {
	dir := t.TempDir()
	eng := labEngine(t)
	a, b := filepath.Join(dir, "a.sock"), filepath.Join(dir, "b.sock")
	done := labStart(eng, "unix://"+a, "unix://"+b)
	labServing(t, a, "the first address is served")
	labServing(t, b, "the second address is served at the same time as the first: one goroutine per address")
	select {
	case err := <-done:
		t.Fatalf("serveapi returned while its servers run (%v): it waits for all of them", err)
	default:
	}
	eng.Shutdown()
	assert.NoError(t, labResult(t, done, "after the engine's shutdown every server has stopped, and the job returns"),
		"servers stopped by the shutdown are not an error")
}

// The job returns as soon as one server fails, without waiting for the
// others (which the shutdown stops later), with that server's error.
func TestCh05ServeApi_FirstError(t *testing.T) {
	good := filepath.Join(t.TempDir(), "good.sock")
	eng := labEngine(t)
	done := labStart(eng, "unix://"+good, "udp://127.0.0.1:1")
	err := labResult(t, done, "one of the addresses failed at once: ServeApi must return its error, not wait for the one that works")
	assert.ErrorContains(t, err, "Invalid protocol", "the failing server's error is the job's")
	labServing(t, good, "the other address is served all the same, until the engine shuts down")
}

// Every address is PROTO://ADDR, and the job needs at least one.
func TestCh05ServeApi_BadArgs(t *testing.T) {
	sock := filepath.Join(t.TempDir(), "x.sock")
	eng := labEngine(t)
	err := labResult(t, labStart(eng), "no address")
	assert.ErrorContains(t, err, "usage: serveapi PROTO://ADDR", "no address: the job's usage")

	err = labResult(t, labStart(eng, "127.0.0.1:2375"), "an address without a protocol")
	assert.ErrorContains(t, err, "PROTO://ADDR", "an address without :// is refused, naming the form it must have")
	err = labResult(t, labStart(eng, sock), "an address without a protocol")
	assert.ErrorContains(t, err, "PROTO://ADDR")
	_, statErr := os.Stat(sock)
	assert.True(t, os.IsNotExist(statErr), "nothing listens when the address was refused")
}
