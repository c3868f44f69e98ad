// Bad input and faults of the build job: paths out of the context,
// hostile tars, bounds, malformed Dockerfiles, failing RUNs, a client
// that goes away. Each is refused with a message that says what was
// wrong, nothing outside the context is read or written, and the daemon
// goes on serving.
package daemon

import (
	"bytes"
	"compress/gzip"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dockerlab/dockerlab/backend"
	"github.com/dockerlab/dockerlab/backend/fake"
	"github.com/dockerlab/dockerlab/v1_2/engine"
	"github.com/dockerlab/dockerlab/v1_2/registry"
	"github.com/dockerlab/dockerlab/v1_2/utils"
)

// imageCount is how many images the graph holds.
func (l *lifeDaemon) imageCount(t *testing.T) int {
	t.Helper()
	m, err := l.d.graph.Map()
	require.NoError(t, err)
	return len(m)
}

func buildOutsideTheContext(t *testing.T, h backend.Host, bip string) {
	l := newLifeDaemon(t, h, "", bip)
	// A file outside every context, that no build may read.
	secretDir := t.TempDir()
	secret := filepath.Join(secretDir, "secret.txt")
	require.NoError(t, os.WriteFile(secret, []byte("top secret\n"), 0o644))
	images := l.imageCount(t)

	for _, c := range []struct {
		name    string
		context []byte
		want    string
	}{
		{"dot-dot", dockerfileOnly(t, "FROM busybox", "ADD ../secret.txt /x"),
			"Forbidden path outside the build context: ../secret.txt ("},
		{"deep dot-dot", dockerfileOnly(t, "FROM busybox", "COPY a/../../../../../../"+secret+" /x"),
			"Forbidden path outside the build context: a/../../"},
		{"absolute symlink", contextTar(t, ctxFile{name: "Dockerfile", body: "FROM busybox\nADD link /x\n"}, ctxFile{name: "link", link: secret}),
			"Forbidden path outside the build context: link (" + secret + ")"},
		{"symlinked directory", contextTar(t, ctxFile{name: "Dockerfile", body: "FROM busybox\nCOPY dir/secret.txt /x\n"}, ctxFile{name: "dir", link: secretDir}),
			"Forbidden path outside the build context: dir/secret.txt (" + secretDir + ")"},
		{"relative symlink climbing out", contextTar(t, ctxFile{name: "Dockerfile", body: "FROM busybox\nADD up/secret.txt /x\n"}, ctxFile{name: "up", link: "../../../../../../../../" + secretDir}),
			"Forbidden path outside the build context: up/secret.txt"},
		{"Dockerfile is a symlink out", contextTar(t, ctxFile{name: "Dockerfile", link: secret}),
			"Forbidden path outside the build context: Dockerfile (" + secret + ")"},
		// An absolute source is a path of the context, as in 1.2: the
		// host's file is never looked for.
		{"absolute path", dockerfileOnly(t, "FROM busybox", "ADD "+secret+" /x"),
			secret + ": no such file or directory"},
		{"URL for COPY", dockerfileOnly(t, "FROM busybox", "COPY http://127.0.0.1:1/x /x"),
			"Source can't be an URL for COPY"},
	} {
		t.Run(c.name, func(t *testing.T) {
			out, err := l.build(t, c.context)
			require.Error(t, err, out)
			assert.Contains(t, err.Error(), c.want)
			assert.NotContains(t, out, "top secret")
		})
	}
	assert.Equal(t, images, l.imageCount(t), "no image: every ADD failed before committing")

	// A symlink that stays inside the context is followed, and an
	// absolute path is the context's own.
	out, err := l.build(t, contextTar(t,
		ctxFile{name: "Dockerfile", body: "FROM busybox\nADD inside /inside.txt\nADD /real.txt /abs.txt\n"},
		ctxFile{name: "real.txt", body: "real\n"},
		ctxFile{name: "inside", link: "sub/../real.txt"},
	), "t=links")
	require.NoError(t, err, out)
	assert.Equal(t, "real\nreal\n", l.runImage(t, "links", "cat", "/inside.txt", "/abs.txt"))
}

func TestBuildOutsideTheContextFake(t *testing.T) {
	buildOutsideTheContext(t, fake.New(), "10.96.0.1/16")
}

// A context whose members climb out (../) or are absolute writes
// nothing outside the directory it is unpacked in.
func TestBuildHostileContextTarFake(t *testing.T) {
	l := newLifeDaemon(t, fake.New(), "", "10.97.0.1/16")
	name := "escaped-" + filepath.Base(t.TempDir())
	ctx := contextTar(t,
		ctxFile{name: "Dockerfile", body: "FROM busybox\nCOPY " + name + " /\n"},
		ctxFile{name: "/" + name, body: "absolute member\n"},
		ctxFile{name: "../" + name, body: "climbed one\n"},
		ctxFile{name: "../../" + name, body: "climbed two\n"},
	)
	out, err := l.build(t, ctx)
	if err == nil {
		// An extractor may also drop such members instead of refusing the
		// whole context: then the absolute one is a file of the context.
		t.Logf("the context was accepted: %s", out)
	}
	root := filepath.Dir(l.d.config.Root)
	for _, dir := range []string{os.Getenv("TMPDIR"), filepath.Dir(os.Getenv("TMPDIR")), root, filepath.Dir(root), "/"} {
		assert.NoFileExists(t, filepath.Join(dir, name), "written outside the context")
	}
	// The daemon still builds.
	out, err = l.build(t, dockerfileOnly(t, "FROM busybox", "RUN echo fine"))
	require.NoError(t, err, out)
	assert.Contains(t, out, "fine\n")
}

func TestBuildBoundsFake(t *testing.T) {
	l := newLifeDaemon(t, fake.New(), "", "10.98.0.1/16")
	oldCtx, oldLine := MaxContextSize, MaxDockerfileLine
	t.Cleanup(func() { MaxContextSize, MaxDockerfileLine = oldCtx, oldLine })
	MaxContextSize, MaxDockerfileLine = 64<<10, 1000

	big := contextTar(t, ctxFile{name: "Dockerfile", body: "FROM busybox\n"}, ctxFile{name: "big", body: strings.Repeat("x", 100<<10)})
	_, err := l.build(t, big)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "The build context is larger than the limit of 65536 bytes")

	// A small gzip that unpacks to more than the limit.
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write(contextTar(t, ctxFile{name: "Dockerfile", body: "FROM busybox\n"}, ctxFile{name: "zeros", body: strings.Repeat("\x00", 1<<20)}))
	zw.Close()
	require.Less(t, gz.Len(), 64<<10)
	_, err = l.build(t, gz.Bytes())
	require.Error(t, err)
	assert.Contains(t, err.Error(), "The unpacked build context is larger than the limit")

	long := dockerfileOnly(t, "FROM busybox", "RUN echo "+strings.Repeat("a", 2000))
	_, err = l.build(t, long)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "Dockerfile instruction 1 (RUN echo aaaa")
	assert.Contains(t, err.Error(), "more than the limit of 1000")

	// Continuation lines count as one instruction.
	cont := dockerfileOnly(t, "FROM busybox", "RUN echo \\", strings.Repeat("b", 600)+" \\", strings.Repeat("c", 600))
	_, err = l.build(t, cont)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "more than the limit of 1000")
}

func TestBuildMalformedDockerfilesFake(t *testing.T) {
	l := newLifeDaemon(t, fake.New(), "", "10.99.0.1/16")
	for _, c := range []struct {
		name    string
		context []byte
		want    string
	}{
		{"no Dockerfile", contextTar(t, ctxFile{name: "README", body: "hi"}), "Can't build a directory with no Dockerfile"},
		{"empty context", nil, "Can't build a directory with no Dockerfile"},
		{"empty Dockerfile", contextTar(t, ctxFile{name: "Dockerfile"}), "Dockerfile cannot be empty"},
		{"only comments", dockerfileOnly(t, "# nothing", "  "), "No image was generated. This may be because the Dockerfile does not, like, do anything."},
		{"Dockerfile is a directory", contextTar(t, ctxFile{name: "Dockerfile/"}), "The Dockerfile of the context is not a regular file"},
		{"not a tar", []byte(strings.Repeat("not a tar at all ", 100)), "archive/tar"},
		{"instruction without argument", dockerfileOnly(t, "FROM busybox", "RUN"), "Invalid Dockerfile format"},
		{"RUN before FROM", dockerfileOnly(t, "RUN echo hi"), "Please provide a source image with `from` prior to run"},
		{"ENV without value", dockerfileOnly(t, "FROM busybox", "ENV ONLYNAME"), "Invalid ENV format: ENV ONLYNAME has no value"},
		{"ENV k=v of Docker 1.4", dockerfileOnly(t, "FROM busybox", "ENV A=b"), "Invalid ENV format"},
		{"bad JSON in CMD", dockerfileOnly(t, "FROM busybox", `CMD ["echo" "hi"]`), `CMD ["echo" "hi"]: this is neither a JSON array of strings`},
		{"single quotes in ENTRYPOINT", dockerfileOnly(t, "FROM busybox", `ENTRYPOINT ['sh']`), "write the exec form as ENTRYPOINT [\"executable\", \"arg\"]"},
		{"ADD without destination", dockerfileOnly(t, "FROM busybox", "ADD onlyone"), "Invalid ADD format"},
		{"missing source", dockerfileOnly(t, "FROM busybox", "COPY nothere /x"), "nothere: no such file or directory"},
		{"INSERT", dockerfileOnly(t, "FROM busybox", "INSERT http://x/y /y"), "INSERT has been deprecated. Please use ADD instead"},
		{"ONBUILD ONBUILD", dockerfileOnly(t, "FROM busybox", "ONBUILD ONBUILD RUN x"), "Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed"},
		{"ONBUILD FROM", dockerfileOnly(t, "FROM busybox", "ONBUILD FROM x"), "FROM isn't allowed as an ONBUILD trigger"},
		{"bad port", dockerfileOnly(t, "FROM busybox", "EXPOSE eighty"), "eighty"},
	} {
		t.Run(c.name, func(t *testing.T) {
			out, err := l.build(t, c.context)
			require.Error(t, err, out)
			assert.Contains(t, err.Error(), c.want)
		})
	}
	_, err := l.build(t, nil, "remote=ftp://example.com/Dockerfile")
	assert.ErrorContains(t, err, `remote "ftp://example.com/Dockerfile" is neither an http(s) URL nor a git repository`)

	// A shell command that starts with '[' still goes to the shell.
	out, err := l.build(t, dockerfileOnly(t, "FROM busybox", `RUN [ -d /bin ] && echo test-ok`))
	require.NoError(t, err, out)
	assert.Contains(t, out, "test-ok\n")
}

// Without a "pull" job on the engine, FROM of a missing image is 1.2's
// answer for a missing image.
func TestBuildFromWithoutPullJobFake(t *testing.T) {
	l := newLifeDaemon(t, fake.New(), "", "10.100.0.1/16")
	b := NewBuildFile(l.d, engine.New(), &bytes.Buffer{}, &bytes.Buffer{}, true, true, true, false, &bytes.Buffer{}, utils.NewStreamFormatter(true), nil, &registry.ConfigFile{})
	err := b.CmdFrom("nosuchimage")
	assert.EqualError(t, err, "No such image: nosuchimage (tag: latest)")
}

func buildFailingRun(t *testing.T, h backend.Host, bip string) {
	l := newLifeDaemon(t, h, "", bip)
	before := l.containerIDs()
	failing := dockerfileOnly(t, "FROM busybox", "ENV A b", "RUN echo before; exit 3", "CMD echo never")

	// rm removes the containers of the steps that succeeded; the failed
	// step's stays for a look (as in 1.2).
	out, err := l.build(t, failing)
	require.Error(t, err)
	assert.Equal(t, "The command [/bin/sh -c echo before; exit 3] returned a non-zero code: 3", err.Error())
	assert.Contains(t, out, "before\n")
	assert.NotContains(t, out, "Step 3")
	left := l.containerIDs()
	assert.Len(t, left, len(before)+1, "the failed RUN's container stays")

	// forcerm removes it too.
	out, err = l.build(t, failing, "forcerm=1")
	require.Error(t, err)
	assert.Equal(t, left, l.containerIDs(), "forcerm: nothing new left")

	// A program the machine does not have fails like a missing binary.
	out, err = l.build(t, dockerfileOnly(t, "FROM busybox", "RUN no-such-program --now"), "forcerm=1")
	require.Error(t, err)
	assert.Contains(t, err.Error(), "returned a non-zero code: 127")
	assert.Contains(t, out, "no-such-program")
}

func TestBuildFailingRunFake(t *testing.T) { buildFailingRun(t, fake.New(), "10.101.0.1/16") }

// lockedBuffer is written by the job and read by the test at once.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// buildCancelled: the client goes away while RUN sleeps. The container is
// killed and removed (with rm, the earlier steps' too; without, only the
// running step's), no image is committed for the step, and the daemon
// goes on building.
func buildCancelled(t *testing.T, h backend.Host, bip string) {
	l := newLifeDaemon(t, h, "", bip)
	before := l.containerIDs()
	for _, rm := range []string{"1", "0"} {
		t.Run("rm="+rm, func(t *testing.T) {
			images := l.imageCount(t)
			job := l.eng.Job("build")
			job.Setenv("json", "1")
			job.Setenv("rm", rm)
			job.Setenv("nocache", "1")
			job.Stdin.Add(bytes.NewReader(dockerfileOnly(t, "FROM busybox", "ENV STEP one", "RUN echo started; sleep 1000")))
			var out lockedBuffer
			job.Stdout.Add(&out)
			gone := make(chan struct{})
			job.SetDone(gone)
			errc := make(chan error, 1)
			go func() { errc <- job.Run() }()
			require.Eventually(t, func() bool { return strings.Contains(out.String(), "started") }, 60*time.Second, 20*time.Millisecond)
			close(gone)
			select {
			case err := <-errc:
				require.Error(t, err)
				assert.Contains(t, err.Error(), "the client went away")
			case <-time.After(60 * time.Second):
				t.Fatal("the build did not stop after its client went away")
			}
			if rm == "1" {
				assert.Equal(t, before, l.containerIDs(), "every container of the build is gone")
			} else {
				// The ENV step's container stays (docker-py's rm=False);
				// the running step's is gone.
				assert.Len(t, l.containerIDs(), len(before)+1)
				for _, id := range l.containerIDs() {
					c := l.d.Get(id)
					assert.False(t, c.State.IsRunning(), "nothing of the build runs")
				}
			}
			assert.Equal(t, images+1, l.imageCount(t), "ENV's image only: the RUN was not committed")
		})
	}
	out, err := l.build(t, dockerfileOnly(t, "FROM busybox", "RUN echo after"))
	require.NoError(t, err, out)
}

func TestBuildCancelledFake(t *testing.T) { buildCancelled(t, fake.New(), "10.102.0.1/16") }
