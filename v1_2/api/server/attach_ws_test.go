// The websocket attach route, GET /containers/{name}/attach/ws, driven by
// a websocket client as a web page would.
package server

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dockerlab/dockerlab/v1_2/engine"
)

// wsServer serves the router of f on a real listener (a websocket needs a
// connection to take over) and returns the ws:// base URL.
func wsServer(t *testing.T, f *fakeJobs) string {
	t.Helper()
	srv := httptest.NewServer(createRouter(f.eng, false, false, "1.2.0"))
	t.Cleanup(srv.Close)
	return "ws" + strings.TrimPrefix(srv.URL, "http")
}

func TestWebsocketAttachCarriesTheStreams(t *testing.T) {
	f := newFakeJobs(t)
	// The attach job of this fake container echoes its stdin in upper case
	// on stdout until stdin ends.
	f.answers["attach"] = func(job *engine.Job) engine.Status {
		buf := make([]byte, 64)
		for {
			n, err := job.Stdin.Read(buf)
			if n > 0 {
				job.Stdout.Write([]byte(strings.ToUpper(string(buf[:n]))))
			}
			if err != nil {
				break
			}
		}
		return engine.StatusOK
	}
	conn, resp, err := websocket.DefaultDialer.Dial(wsServer(t, f)+"/v1.14/containers/web/attach/ws?stream=1&stdin=1&stdout=1&stderr=1", nil)
	require.NoError(t, err)
	defer conn.Close()
	assert.Equal(t, http.StatusSwitchingProtocols, resp.StatusCode)

	require.NoError(t, conn.WriteMessage(websocket.TextMessage, []byte("hello")))
	kind, msg, err := conn.ReadMessage()
	require.NoError(t, err)
	assert.Equal(t, websocket.BinaryMessage, kind, "a container's bytes need not be UTF-8: binary messages")
	assert.Equal(t, "HELLO", string(msg))

	// The client's close ends stdin (and, a websocket having no half
	// close, the conversation: the server answers with its own close).
	require.NoError(t, conn.WriteMessage(websocket.CloseMessage, websocket.FormatCloseMessage(websocket.CloseNormalClosure, "")))
	_, _, err = conn.ReadMessage()
	assert.True(t, websocket.IsCloseError(err, websocket.CloseNormalClosure), "%v", err)
	require.Eventually(t, func() bool { return f.last("attach") != nil }, 30*time.Second, 5*time.Millisecond)

	call := f.last("attach")
	require.NotNil(t, call)
	assert.Equal(t, []string{"web"}, call.args)
	for _, k := range []string{"stream", "stdin", "stdout", "stderr"} {
		assert.Equal(t, "1", call.env[k], k)
	}
}

// A message over the limit ends the attach instead of filling memory, and
// a page of another origin is refused.
func TestWebsocketAttachBoundsAndOrigin(t *testing.T) {
	f := newFakeJobs(t)
	stdinErr := make(chan error, 1)
	f.answers["attach"] = func(job *engine.Job) engine.Status {
		_, err := io.Copy(io.Discard, job.Stdin)
		stdinErr <- err
		return engine.StatusOK
	}
	base := wsServer(t, f)
	conn, _, err := websocket.DefaultDialer.Dial(base+"/containers/web/attach/ws?stream=1&stdin=1", nil)
	require.NoError(t, err)
	defer conn.Close()
	require.NoError(t, conn.WriteMessage(websocket.BinaryMessage, make([]byte, maxWSMessage+1)))
	select {
	case err := <-stdinErr:
		assert.ErrorIs(t, err, websocket.ErrReadLimit)
	case <-time.After(30 * time.Second):
		t.Fatal("an oversized message did not end the attach")
	}

	_, resp, err := websocket.DefaultDialer.Dial(base+"/containers/web/attach/ws?stream=1", http.Header{"Origin": {"http://evil.example"}})
	require.Error(t, err)
	require.NotNil(t, resp)
	assert.Equal(t, http.StatusForbidden, resp.StatusCode)
}
