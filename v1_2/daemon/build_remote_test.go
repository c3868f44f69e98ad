// Contexts that are not a plain tar on stdin: compressed ones, a
// Dockerfile or a tar at a URL, a git repository, and ADD of a URL; and
// the cache of ADD, which follows the content. Servers are on loopback.
package daemon

import (
	"bytes"
	"compress/gzip"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dockerlab/dockerlab/backend/fake"
)

// A gzip context; bzip2 and xz go through the same DecompressStream,
// whose tests (v1_2/archive) decompress all four.
func TestBuildCompressedContextsFake(t *testing.T) {
	l := newLifeDaemon(t, fake.New(), "", "10.103.0.1/16")
	plain := contextTar(t, ctxFile{name: "Dockerfile", body: "FROM busybox\nCOPY f /f\n"}, ctxFile{name: "f", body: "packed\n"})
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write(plain)
	zw.Close()
	for name, data := range map[string][]byte{"gzip": gz.Bytes()} {
		t.Run(name, func(t *testing.T) {
			out, err := l.build(t, data, "t="+name)
			require.NoError(t, err, out)
			assert.Equal(t, "packed\n", l.runImage(t, name, "cat", "/f"))
		})
	}
}

func TestBuildRemoteContextsFake(t *testing.T) {
	l := newLifeDaemon(t, fake.New(), "", "10.104.0.1/16")
	tarCtx := contextTar(t, ctxFile{name: "Dockerfile", body: "FROM busybox\nCOPY f /f\n"}, ctxFile{name: "f", body: "from a tar URL\n"})
	mux := http.NewServeMux()
	mux.HandleFunc("/Dockerfile", func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte("FROM busybox\nRUN echo remote dockerfile > /r\n"))
	})
	mux.HandleFunc("/context.tar", func(w http.ResponseWriter, r *http.Request) { w.Write(tarCtx) })
	mux.HandleFunc("/file.txt", func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("downloaded\n")) })
	mux.HandleFunc("/big", func(w http.ResponseWriter, r *http.Request) {
		w.Write(bytes.Repeat([]byte("# a very long comment\n"), 100000))
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()

	out, err := l.build(t, nil, "remote="+srv.URL+"/Dockerfile", "t=remote-df")
	require.NoError(t, err, out)
	assert.Equal(t, "remote dockerfile\n", l.runImage(t, "remote-df", "cat", "/r"))

	out, err = l.build(t, nil, "remote="+srv.URL+"/context.tar", "t=remote-tar")
	require.NoError(t, err, out)
	assert.Equal(t, "from a tar URL\n", l.runImage(t, "remote-tar", "cat", "/f"))

	_, err = l.build(t, nil, "remote="+srv.URL+"/nothing")
	assert.ErrorContains(t, err, "Got HTTP status code >= 400: 404 Not Found")
	_, err = l.build(t, nil, "remote="+srv.URL+"/big")
	assert.ErrorContains(t, err, "is larger than the limit of 1048576 bytes")

	// ADD of a URL: into a directory (the URL's file name) or a file; not
	// unpacked; the second build takes it from the cache.
	df := "FROM busybox\nADD " + srv.URL + "/file.txt /dl/\nADD " + srv.URL + "/context.tar /ctx.tar\n"
	out, err = l.build(t, dockerfileOnly(t, df), "t=addurl")
	require.NoError(t, err, out)
	assert.Equal(t, "downloaded\n", l.runImage(t, "addurl", "cat", "/dl/file.txt"))
	assert.Equal(t, "/ctx.tar\n", l.runImage(t, "addurl", "ls", "/ctx.tar"), "a remote archive is not unpacked")
	out, err = l.build(t, dockerfileOnly(t, df))
	require.NoError(t, err, out)
	assert.Equal(t, 2, strings.Count(out, "Using cache"), out)
}

// gitRepo makes a repository with a Dockerfile and serves it over
// git's dumb HTTP protocol (plain files) on loopback.
func gitRepo(t *testing.T) string {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("skipping: git is not installed")
	}
	dir := t.TempDir()
	work := filepath.Join(dir, "work")
	require.NoError(t, os.MkdirAll(work, 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(work, "Dockerfile"), []byte("FROM busybox\nCOPY msg /msg\n"), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(work, "msg"), []byte("from git\n"), 0o644))
	git := func(dir string, args ...string) {
		cmd := exec.Command("git", append([]string{"-c", "user.name=lab", "-c", "user.email=lab@example.com", "-c", "init.defaultBranch=master"}, args...)...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "HOME="+dir, "GIT_CONFIG_NOSYSTEM=1")
		out, err := cmd.CombinedOutput()
		require.NoError(t, err, "git %v: %s", args, out)
	}
	git(work, "init", "-q")
	git(work, "add", ".")
	git(work, "commit", "-q", "-m", "context")
	git(dir, "clone", "-q", "--bare", "work", "repo.git")
	git(filepath.Join(dir, "repo.git"), "update-server-info")
	srv := httptest.NewServer(http.FileServer(http.Dir(dir)))
	t.Cleanup(srv.Close)
	return srv.URL + "/repo.git"
}

func TestBuildGitContextFake(t *testing.T) {
	l := newLifeDaemon(t, fake.New(), "", "10.105.0.1/16")
	url := gitRepo(t)
	out, err := l.build(t, nil, "remote="+url, "t=fromgit")
	require.NoError(t, err, out)
	assert.Equal(t, "from git\n", l.runImage(t, "fromgit", "cat", "/msg"))

	_, err = l.build(t, nil, "remote="+strings.TrimSuffix(url, "repo.git")+"missing.git")
	assert.ErrorContains(t, err, "Error trying to use git:")
}

// The cache of ADD and COPY follows the content: a changed file misses
// from its step on, an unchanged one hits.
func TestBuildAddCacheFollowsContentFake(t *testing.T) {
	l := newLifeDaemon(t, fake.New(), "", "10.106.0.1/16")
	df := "FROM busybox\nENV A b\nCOPY a /a\nCOPY dir /dir\nRUN cat /a\n"
	ctx := func(a, b string) []byte {
		return contextTar(t, ctxFile{name: "Dockerfile", body: df}, ctxFile{name: "a", body: a}, ctxFile{name: "dir/"}, ctxFile{name: "dir/b", body: b})
	}
	out, err := l.build(t, ctx("one\n", "x"))
	require.NoError(t, err, out)
	out, err = l.build(t, ctx("one\n", "x"))
	require.NoError(t, err, out)
	assert.Equal(t, 4, strings.Count(out, "Using cache"), out)
	out, err = l.build(t, ctx("two\n", "x"))
	require.NoError(t, err, out)
	assert.Equal(t, 1, strings.Count(out, "Using cache"), "ENV only: %s", out)
	assert.Contains(t, out, "two\n")
	out, err = l.build(t, ctx("two\n", "y"))
	require.NoError(t, err, out)
	assert.Equal(t, 2, strings.Count(out, "Using cache"), "ENV and COPY a: %s", out)
}

// q keeps what the containers print out of the stream; the steps are
// still shown (1.2's -q only stopped the attach).
func TestBuildQuietFake(t *testing.T) {
	l := newLifeDaemon(t, fake.New(), "", "10.107.0.1/16")
	out, err := l.build(t, dockerfileOnly(t, "FROM busybox", "RUN echo said-by-run"), "q=1")
	require.NoError(t, err, out)
	assert.Contains(t, out, "Step 1 : RUN echo said-by-run\n ---> Running in ")
	assert.Contains(t, out, "Successfully built ")
	assert.NotContains(t, out, "\nsaid-by-run\n", "the container's output is not attached")
}
