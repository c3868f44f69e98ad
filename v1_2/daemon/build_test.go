// Tests of the "build" job (build*.go) through the engine, as the API
// server drives it: a tar context on stdin, JSON progress on stdout.
// Each scenario takes a backend; build_linux_test.go runs them on the
// real kernel.
package daemon

import (
	"archive/tar"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dockerlab/dockerlab/backend"
	"github.com/dockerlab/dockerlab/backend/fake"
	"github.com/dockerlab/dockerlab/v1_2/nat"
	"github.com/dockerlab/dockerlab/v1_2/runconfig"
)

// ctxFile is one member of a test context: a file (body), a directory
// (name ending in "/"), or a symlink (link set).
type ctxFile struct {
	name, body, link string
	mode             int64
}

// contextTar writes the members, in order, as a plain tar.
func contextTar(t *testing.T, files ...ctxFile) []byte {
	t.Helper()
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	for _, f := range files {
		hdr := &tar.Header{Name: f.name, Mode: 0o644, Size: int64(len(f.body)), Typeflag: tar.TypeReg, ModTime: time.Unix(1400000000, 0)}
		switch {
		case f.link != "":
			hdr.Typeflag, hdr.Linkname, hdr.Size, hdr.Mode = tar.TypeSymlink, f.link, 0, 0o777
		case strings.HasSuffix(f.name, "/"):
			hdr.Typeflag, hdr.Size, hdr.Mode = tar.TypeDir, 0, 0o755
		}
		if f.mode != 0 {
			hdr.Mode = f.mode
		}
		require.NoError(t, tw.WriteHeader(hdr))
		_, err := tw.Write([]byte(f.body))
		require.NoError(t, err)
	}
	require.NoError(t, tw.Close())
	return buf.Bytes()
}

// dockerfileOnly is a context holding just a Dockerfile.
func dockerfileOnly(t *testing.T, lines ...string) []byte {
	return contextTar(t, ctxFile{name: "Dockerfile", body: strings.Join(lines, "\n") + "\n"})
}

// build runs the build job on context with env ("K=V"), returning the
// text of its stream messages and its error.
func (l *lifeDaemon) build(t *testing.T, context []byte, env ...string) (string, error) {
	t.Helper()
	job := l.eng.Job("build")
	job.Setenv("json", "1")
	job.Setenv("rm", "1")
	for _, kv := range env {
		k, v, _ := strings.Cut(kv, "=")
		job.Setenv(k, v)
	}
	job.Stdin.Add(bytes.NewReader(context))
	var out bytes.Buffer
	job.Stdout.Add(&out)
	err := job.Run()
	return streamText(t, out.Bytes()), err
}

// streamText joins the "stream" fields of a JSON message stream, and
// fails on anything that is not such a stream.
func streamText(t *testing.T, raw []byte) string {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(raw))
	var text strings.Builder
	for {
		var m map[string]any
		if err := dec.Decode(&m); err == io.EOF {
			break
		} else if err != nil {
			t.Fatalf("not a JSON message stream (%v): %q", err, raw)
		}
		if s, ok := m["stream"].(string); ok {
			text.WriteString(s)
		} else {
			fmt.Fprintf(&text, "%v\n", m)
		}
	}
	return text.String()
}

var builtRE = regexp.MustCompile(`Successfully built ([0-9a-f]{12})\n`)

// builtID is the short id of "Successfully built".
func builtID(t *testing.T, out string) string {
	t.Helper()
	m := builtRE.FindStringSubmatch(out)
	require.NotNil(t, m, out)
	return m[1]
}

// imageConfigOf decodes an image's config.
func (l *lifeDaemon) imageConfigOf(t *testing.T, name string) *runconfig.Config {
	t.Helper()
	img, err := l.d.repositories.LookupImage(name)
	require.NoError(t, err)
	c, err := imageConfig(img)
	require.NoError(t, err)
	require.NotNil(t, c)
	return c
}

// runImage runs cmd in a container of image (nil: its default command)
// and returns what it printed.
func (l *lifeDaemon) runImage(t *testing.T, image string, cmd ...string) string {
	t.Helper()
	env := []string{"Image=" + image}
	if cmd != nil {
		b, _ := json.Marshal(cmd)
		env = append(env, "Cmd="+string(b))
	}
	out, _, err := l.run("create", nil, env...)
	require.NoError(t, err)
	id := strings.TrimSpace(out)
	_, _, err = l.run("start", []string{id})
	require.NoError(t, err)
	_, _, err = l.run("wait", []string{id})
	require.NoError(t, err)
	l.d.Get(id).waitForPreviousRun()
	logs, _, err := l.run("logs", []string{id}, "stdout=1", "stderr=1")
	require.NoError(t, err)
	_, _, err = l.run("delete", []string{id})
	require.NoError(t, err)
	return logs
}

// containerIDs lists the daemon's containers.
func (l *lifeDaemon) containerIDs() []string {
	var ids []string
	for _, c := range l.d.List() {
		ids = append(ids, c.ID)
	}
	sort.Strings(ids)
	return ids
}

// everyInstruction is a context using every instruction 1.2 knew.
func everyInstruction(t *testing.T) []byte {
	inner := contextTar(t, ctxFile{name: "etc/"}, ctxFile{name: "etc/motd", body: "from the archive\n"})
	return contextTar(t,
		ctxFile{name: "Dockerfile", body: `# every instruction of Docker 1.2
FROM busybox
MAINTAINER dockerlab <lab@example.com>
RUN mkdir -p /app/data && \
    echo built > /app/data/run.txt
ENV GREETING hello
ENV MESSAGE $GREETING world
ADD hello.txt /app/
ADD tree /app/tree
ADD inner.tar /opt/
COPY hello.txt /app/copied.txt
WORKDIR /app
WORKDIR data
EXPOSE 80 443/tcp
VOLUME ["/var/lib/app"]
ONBUILD RUN echo triggered > /tmp/onbuild.txt
UNKNOWN this is skipped
ENTRYPOINT ["/bin/sh", "-c"]
CMD ["echo $MESSAGE; pwd; cat /app/hello.txt /app/tree/a /opt/etc/motd /app/data/run.txt"]
USER nobody
`},
		ctxFile{name: "hello.txt", body: "hello file\n"},
		ctxFile{name: "tree/"},
		ctxFile{name: "tree/a", body: "tree a\n"},
		ctxFile{name: "inner.tar", body: string(inner)},
	)
}

func buildEveryInstruction(t *testing.T, h backend.Host, bip string) {
	l := newLifeDaemon(t, h, "", bip)
	before := l.containerIDs()
	ctx := everyInstruction(t)

	out, err := l.build(t, ctx, "t=every:v1")
	require.NoError(t, err, out)
	for _, want := range []string{
		"Step 0 : FROM busybox\n ---> ",
		"Step 1 : MAINTAINER dockerlab <lab@example.com>\n ---> Running in ",
		"Step 2 : RUN mkdir -p /app/data &&     echo built > /app/data/run.txt\n ---> Running in ",
		"Step 4 : ENV MESSAGE $GREETING world\n",
		"Step 14 : UNKNOWN this is skipped\n\x1b[91m# Skipping unknown instruction UNKNOWN\n\x1b[0m",
		"Step 17 : USER nobody\n",
		"Removing intermediate container ",
	} {
		assert.Contains(t, out, want)
	}
	id := builtID(t, out)
	assert.NotContains(t, out, "Using cache")
	assert.Equal(t, before, l.containerIDs(), "rm: every intermediate container is gone")

	c := l.imageConfigOf(t, "every:v1")
	assert.Contains(t, c.Env, "GREETING=hello")
	assert.Contains(t, c.Env, "MESSAGE=hello world")
	assert.Equal(t, "/app/data", c.WorkingDir)
	assert.Equal(t, "nobody", c.User)
	assert.Contains(t, c.ExposedPorts, nat.Port("80/tcp"))
	assert.Contains(t, c.ExposedPorts, nat.Port("443/tcp"))
	assert.Contains(t, c.Volumes, "/var/lib/app")
	assert.Equal(t, []string{"RUN echo triggered > /tmp/onbuild.txt"}, c.OnBuild)
	assert.Equal(t, []string{"/bin/sh", "-c"}, c.Entrypoint)
	assert.Equal(t, []string{"echo $MESSAGE; pwd; cat /app/hello.txt /app/tree/a /opt/etc/motd /app/data/run.txt"}, c.Cmd)
	img, err := l.d.repositories.LookupImage("every:v1")
	require.NoError(t, err)
	assert.Equal(t, "dockerlab <lab@example.com>", img.Author)
	assert.True(t, strings.HasPrefix(img.ID, id))

	// The image runs: ENV, WORKDIR, the ADDed files, the archive unpacked,
	// the RUN's file, ENTRYPOINT with CMD.
	got := l.runImage(t, "every:v1")
	assert.Equal(t, "hello world\n/app/data\nhello file\ntree a\nfrom the archive\nbuilt\n", got)
	assert.Equal(t, "65534\n", l.runImage(t, "every:v1", "id -u"), "USER")

	// Again: every step comes from the cache, the same image results.
	out2, err := l.build(t, ctx, "t=every:v2")
	require.NoError(t, err, out2)
	assert.Equal(t, id, builtID(t, out2))
	assert.Equal(t, 16, strings.Count(out2, " ---> Using cache\n"), out2) // all but FROM and the skipped one
	assert.NotContains(t, out2, "Running in")

	// nocache: nothing from the cache, a new image.
	out3, err := l.build(t, ctx, "nocache=1")
	require.NoError(t, err, out3)
	assert.NotContains(t, out3, "Using cache")
	assert.NotEqual(t, id, builtID(t, out3))

	// A child of the image runs its ONBUILD trigger.
	out4, err := l.build(t, dockerfileOnly(t, "FROM every:v1", "USER root"), "t=child")
	require.NoError(t, err, out4)
	assert.Contains(t, out4, "# Executing 1 build triggers\n")
	assert.Contains(t, out4, "Step onbuild-0 : RUN echo triggered > /tmp/onbuild.txt\n")
	assert.Equal(t, "triggered\n", l.runImage(t, "child", "cat /tmp/onbuild.txt"))
	assert.Empty(t, l.imageConfigOf(t, "child").OnBuild, "triggers run once, not in grandchildren")
}

func TestBuildEveryInstructionFake(t *testing.T) {
	buildEveryInstruction(t, fake.New(), "10.83.0.1/16")
}
