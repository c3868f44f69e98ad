package server

import (
	"context"
	"io"
	"net"
	"net/http"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dockerlab/dockerlab/v1_2/engine"
)

// serveUnix serves h on a unix socket and answers a client for it.
func serveUnix(b *testing.B, h http.Handler) *http.Client {
	sock := filepath.Join(b.TempDir(), "b.sock")
	l, err := net.Listen("unix", sock)
	if err != nil {
		b.Fatal(err)
	}
	srv := &http.Server{Handler: h}
	go srv.Serve(l)
	b.Cleanup(func() { srv.Close() })
	return &http.Client{Transport: &http.Transport{
		DialContext: func(ctx context.Context, _, _ string) (net.Conn, error) {
			var d net.Dialer
			return d.DialContext(ctx, "unix", sock)
		},
	}}
}

func benchGet(b *testing.B, c *http.Client, path string) {
	b.ReportAllocs()
	for b.Loop() {
		resp, err := c.Get("http://docker" + path)
		if err != nil {
			b.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
	}
}

// BenchmarkPingBare is the floor: net/http answering OK with no router.
func BenchmarkPingBare(b *testing.B) {
	c := serveUnix(b, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("OK")) }))
	benchGet(b, c, "/_ping")
}

// BenchmarkPingRouter is the same request through createRouter and
// makeHttpHandler: the difference is the router's cost.
func BenchmarkPingRouter(b *testing.B) {
	eng := engine.New()
	eng.Logging = false
	c := serveUnix(b, createRouter(eng, false, false, "1.2.0"))
	benchGet(b, c, "/v1.14/_ping")
}

// BenchmarkContainersJSON: the router, a job and the compat pass over a
// 100-row list.
func BenchmarkContainersJSON(b *testing.B) {
	eng := engine.New()
	eng.Logging = false
	row := `{"Id":"` + strings.Repeat("a", 64) + `","Names":["/x"],"Image":"busybox","Command":"sleep 1","Created":1,"Status":"Up 1 seconds","Ports":[]}`
	list := "[" + strings.TrimSuffix(strings.Repeat(row+",", 100), ",") + "]"
	eng.Register("containers", func(job *engine.Job) engine.Status {
		io.WriteString(job.Stdout, list)
		return engine.StatusOK
	})
	c := serveUnix(b, createRouter(eng, false, false, "1.2.0"))
	benchGet(b, c, "/v1.14/containers/json?all=1")
}
