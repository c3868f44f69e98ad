// CmdBuild against the canned daemon: what the request carries (the
// query, the headers, the context tar with .dockerignore applied) and how
// the answer's messages and errors come out.
package client

import (
	"archive/tar"
	"bytes"
	"errors"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// tarNames lists the members of a tar.
func tarNames(t *testing.T, body string) []string {
	t.Helper()
	tr := tar.NewReader(bytes.NewReader([]byte(body)))
	var names []string
	for {
		hdr, err := tr.Next()
		if err == io.EOF {
			break
		}
		require.NoError(t, err)
		names = append(names, hdr.Name)
	}
	sort.Strings(names)
	return names
}

// buildAnswers makes the daemon answer /build with these messages.
func buildAnswers(d *fakeDaemon, messages ...string) {
	d.on("POST /build", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		for _, m := range messages {
			io.WriteString(w, m+"\r\n")
		}
	})
}

func writeTree(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, body := range files {
		p := filepath.Join(dir, name)
		require.NoError(t, os.MkdirAll(filepath.Dir(p), 0o755))
		require.NoError(t, os.WriteFile(p, []byte(body), 0o644))
	}
	return dir
}

func TestCmdBuildDirectoryContext(t *testing.T) {
	d := newFakeDaemon(t)
	buildAnswers(d, `{"stream":"Step 0 : FROM busybox\n"}`, `{"stream":" ---\u003e 0123456789ab\n"}`, `{"stream":"Successfully built 0123456789ab\n"}`)
	dir := writeTree(t, map[string]string{
		"Dockerfile":    "FROM busybox\n",
		".dockerignore": "*.log\nsecret\n",
		"app.txt":       "a",
		"debug.log":     "l",
		"secret/key":    "k",
	})
	cli, out, errOut := d.client("")
	require.NoError(t, cli.CmdBuild("-t", "web:1", "--no-cache", "--force-rm", dir))

	req, ok := d.find("POST", "/v1.14/build")
	require.True(t, ok)
	q, err := url.ParseQuery(req.Query)
	require.NoError(t, err)
	assert.Equal(t, url.Values{"t": {"web:1"}, "nocache": {"1"}, "rm": {"1"}, "forcerm": {"1"}}, q)
	assert.Equal(t, "application/tar", req.ContentType)
	assert.Equal(t, []string{".dockerignore", "Dockerfile", "app.txt"}, tarNames(t, req.Body), ".dockerignore applied by the client")
	assert.Equal(t, "Step 0 : FROM busybox\n ---> 0123456789ab\nSuccessfully built 0123456789ab\n", out.String())
	assert.Contains(t, errOut.String(), "Sending build context to Docker daemon")

	// --rm=false and -q.
	cli, _, _ = d.client("")
	require.NoError(t, cli.CmdBuild("--rm=false", "-q", dir))
	reqs := d.requests()
	q, _ = url.ParseQuery(reqs[len(reqs)-1].Query)
	assert.Equal(t, "0", q.Get("rm"))
	assert.Equal(t, "1", q.Get("q"))
}

func TestCmdBuildStdinAndURL(t *testing.T) {
	d := newFakeDaemon(t)
	buildAnswers(d, `{"stream":"Successfully built 0123456789ab\n"}`)

	// A Dockerfile on stdin becomes a context of one file.
	cli, _, _ := d.client("FROM busybox\nRUN true\n")
	require.NoError(t, cli.CmdBuild("-"))
	reqs := d.requests()
	assert.Equal(t, []string{"Dockerfile"}, tarNames(t, reqs[len(reqs)-1].Body))

	// A tar on stdin is sent as it is.
	var ctx bytes.Buffer
	tw := tar.NewWriter(&ctx)
	for _, n := range []string{"Dockerfile", "extra"} {
		tw.WriteHeader(&tar.Header{Name: n, Mode: 0o644, Size: 1})
		tw.Write([]byte("x"))
	}
	tw.Close()
	cli, _, _ = d.client(ctx.String())
	require.NoError(t, cli.CmdBuild("-"))
	reqs = d.requests()
	assert.Equal(t, ctx.String(), reqs[len(reqs)-1].Body)

	// A URL is the daemon's to fetch: no body.
	cli, _, _ = d.client("")
	require.NoError(t, cli.CmdBuild("http://127.0.0.1:1/Dockerfile"))
	reqs = d.requests()
	q, _ := url.ParseQuery(reqs[len(reqs)-1].Query)
	assert.Equal(t, "http://127.0.0.1:1/Dockerfile", q.Get("remote"))
	assert.Empty(t, reqs[len(reqs)-1].Body)
}

func TestCmdBuildRefusals(t *testing.T) {
	d := newFakeDaemon(t)
	cli, _, _ := d.client("")
	err := cli.CmdBuild(writeTree(t, map[string]string{"README": "no Dockerfile"}))
	assert.ErrorContains(t, err, "no Dockerfile found in ")
	err = cli.CmdBuild(writeTree(t, map[string]string{"Dockerfile": "FROM x\n", ".dockerignore": "Docker*\n"}))
	assert.EqualError(t, err, "Dockerfile was excluded by .dockerignore pattern 'Docker*'")
	err = cli.CmdBuild(writeTree(t, map[string]string{"Dockerfile": "FROM x\n", ".dockerignore": "[\n"}))
	assert.ErrorContains(t, err, "Bad .dockerignore pattern: '['")
	assert.Equal(t, errUsage, cli.CmdBuild())
	assert.Empty(t, d.requests(), "nothing was sent")
}

// An error message in the stream ends the command with its text and
// status 1 (1.2's daemon sends no code).
func TestCmdBuildErrorMessage(t *testing.T) {
	d := newFakeDaemon(t)
	buildAnswers(d, `{"stream":"Step 0 : FROM busybox\n"}`,
		`{"errorDetail":{"message":"The command [/bin/sh -c false] returned a non-zero code: 1"},"error":"The command [/bin/sh -c false] returned a non-zero code: 1"}`)
	cli, _, _ := d.client("FROM busybox\nRUN false\n")
	err := cli.CmdBuild("-")
	var st *StatusError
	require.True(t, errors.As(err, &st), "%v", err)
	assert.Equal(t, 1, st.StatusCode)
	assert.Equal(t, "The command [/bin/sh -c false] returned a non-zero code: 1", st.Status)
}
