// Package chapter11 is the demo of book ch.11 docker build实现: a daemon
// runs in a scratch directory and Docker 1.2's client builds a small
// Dockerfile against it. The demo narrates §11.2 (client → server →
// daemon, each side's own lines), §11.3 (how the Dockerfile is read and
// each instruction found as a method), §11.4 (FROM, RUN, ENV: a container
// created and committed per step, the image chain that results), then
// builds again to show the cache, and once more with a changed file.
//
// Reproduces upstream daemon/build.go, api/server/server.go (postBuild)
// and api/client/commands.go (CmdBuild) at v1.2.0 through v1_2/daemon,
// v1_2/api/server and v1_2/api/client; see README.md and README.zh.md.
package chapter11

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/dockerlab/dockerlab/backend"
	chapter13 "github.com/dockerlab/dockerlab/chapters/13-dockerinit"
	"github.com/dockerlab/dockerlab/chapters/chapterutil"
	"github.com/dockerlab/dockerlab/v1_2/daemon"
)

// dockerfile is the demo's: a comment, a continuation line, and the
// three instructions §11.4 reads (FROM, RUN, ENV) with ADD and CMD.
const dockerfile = `# chapter 11: a small Dockerfile
FROM busybox
MAINTAINER dockerlab
ENV GREETING hello
RUN mkdir /app && \
    echo "$GREETING from RUN" > /app/greeting
ADD note.txt /app/
CMD ["cat", "/app/greeting", "/app/note.txt"]
`

// Run runs the demo on h, printing to out.
func Run(ctx context.Context, h backend.Host, out io.Writer) error {
	w := &chapterutil.SyncWriter{W: out}
	dir, cleanup, err := chapterutil.TempRoot("dockerlab-ch11-")
	if err != nil {
		return err
	}
	defer cleanup()
	before, err := chapterutil.Take(h.Root())
	if err != nil {
		return err
	}

	// The daemon's job log, only what concerns the build: the request and
	// the build job (its steps' containers log many small jobs).
	daemonLog := &chapterutil.PrefixWriter{Prefix: "    daemon │ ", W: &buildLines{w: w}}
	sock, stop, err := chapterutil.StartV12Daemon(ctx, h, dir, daemonLog)
	if err != nil {
		return err
	}
	defer stop()
	fmt.Fprintf(w, "## ch.11 docker build on the %s backend: dockerlab v1.2 daemon -H %s\n", h.Name(), sock)
	client := func(stdin []byte, args ...string) error {
		cw := &chapterutil.PrefixWriter{Prefix: "    client │ ", W: w}
		err := chapterutil.RunV12Client("", stdin, append([]string{"-H", sock}, args...), cw)
		cw.Flush()
		time.Sleep(50 * time.Millisecond) // the daemon's last lines land under their step
		daemonLog.Flush()
		return err
	}

	// An image to build FROM (chapter 8 shows the image jobs).
	image, err := chapter13.ImageTar(h)
	if err != nil {
		return err
	}
	fmt.Fprintln(w, "\n## the base image: dockerlab v1.2 import - busybox")
	if err := client(image, "import", "-", "busybox"); err != nil {
		return err
	}

	// The context: a directory with the Dockerfile, a file to ADD, and a
	// file .dockerignore keeps out.
	ctxDir := filepath.Join(dir, "context")
	for name, body := range map[string]string{
		"Dockerfile":    dockerfile,
		"note.txt":      "a note ADDed from the context\n",
		"scratch.tmp":   "never sent: .dockerignore\n",
		".dockerignore": "*.tmp\n",
	} {
		if err := writeFile(filepath.Join(ctxDir, name), body); err != nil {
			return err
		}
	}
	fmt.Fprintf(w, "\n## the context %s: Dockerfile, note.txt, scratch.tmp, .dockerignore (*.tmp); the Dockerfile:\n", ctxDir)
	for _, line := range strings.Split(strings.TrimSuffix(dockerfile, "\n"), "\n") {
		fmt.Fprintf(w, "    │ %s\n", line)
	}

	fmt.Fprintln(w, "\n## §11.3 Dockerfile命令解析: stripComments drops '#' lines, a backslash joins the next line, each line")
	fmt.Fprintln(w, "## is \"INSTRUCTION arguments\", and BuildStep finds the method Cmd<Instruction> by reflection:")
	steps, err := daemon.DescribeDockerfile([]byte(dockerfile))
	if err != nil {
		return err
	}
	for _, s := range steps {
		fmt.Fprintf(w, "    %s\n", s)
	}

	fmt.Fprintln(w, "\n## §11.2 the flow: the client tars the context and POSTs it to /build (§11.2.1), the server turns the query")
	fmt.Fprintln(w, "## into the build job's env and the body into its stdin (§11.2.2), the daemon unpacks the context and runs")
	fmt.Fprintln(w, "## each step (§11.2.3). §11.4: FROM takes the image's config; ENV and the other metadata steps commit a")
	fmt.Fprintln(w, "## container that never runs (\"#(nop)\"); RUN creates a container, runs it, commits it; each step is an image.")
	fmt.Fprintln(w, "## dockerlab v1.2 --trace build -t ch11 CONTEXT")
	if err := client(nil, "--trace", "build", "-t", "ch11", ctxDir); err != nil {
		return err
	}

	fmt.Fprintln(w, "\n## §11.4 the result: one image per step, each the parent of the next; CREATED BY is the step's container command")
	if err := client(nil, "history", "ch11"); err != nil {
		return err
	}
	fmt.Fprintln(w, "## the intermediate containers are gone (rm is the default from API 1.12 on): ps -a")
	if err := client(nil, "ps", "-a"); err != nil {
		return err
	}
	fmt.Fprintln(w, "## dockerlab v1.2 run --rm ch11: the image's CMD reads what RUN and ADD left")
	if err := client(nil, "run", "--rm", "ch11"); err != nil {
		return err
	}

	fmt.Fprintln(w, "\n## the cache: the same build again. probeCache asks ImageGetCached for a child of the current image whose")
	fmt.Fprintln(w, "## container config equals the step's; every step is found, nothing runs, the same image results")
	if err := client(nil, "build", "-t", "ch11", ctxDir); err != nil {
		return err
	}

	fmt.Fprintln(w, "\n## note.txt changed: ADD's cache key is the file's tarsum, so the cache holds up to ENV and RUN, then misses")
	if err := writeFile(filepath.Join(ctxDir, "note.txt"), "a changed note\n"); err != nil {
		return err
	}
	if err := client(nil, "build", "-t", "ch11", ctxDir); err != nil {
		return err
	}

	fmt.Fprintln(w, "\n## a RUN that fails stops the build with 1.2's message; the client exits 1")
	if err := writeFile(filepath.Join(ctxDir, "Dockerfile"), "FROM busybox\nRUN echo about to fail; exit 3\n"); err != nil {
		return err
	}
	if err := client(nil, "build", "--force-rm", ctxDir); err != nil {
		var st interface{ ExitStatus() int }
		if !errors.As(err, &st) {
			return err
		}
		fmt.Fprintf(w, "    client │ → %v (exit status %d)\n", err, st.ExitStatus())
	}

	fmt.Fprintln(w, "\n## stop the daemon (what SIGTERM does)")
	if err := stop(); err != nil {
		return err
	}
	daemonLog.Flush()
	fmt.Fprintln(w, "## the daemon left docker0 and its rules, as upstream; the demo removes what it added:")
	return before.Restore(h.Root(), w)
}

func writeFile(path, body string) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	return os.WriteFile(path, []byte(body), 0o644)
}

// buildLines passes on the job log's lines about the build: the request
// and the build job itself.
type buildLines struct {
	w   io.Writer
	mu  sync.Mutex
	buf []byte
}

func (b *buildLines) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.buf = append(b.buf, p...)
	for {
		line, rest, ok := strings.Cut(string(b.buf), "\n")
		if !ok {
			return len(p), nil
		}
		b.buf = []byte(rest)
		if strings.Contains(line, "/build") || strings.Contains(line, "job build(") || strings.Contains(line, "went away") {
			fmt.Fprintln(b.w, line)
		}
	}
}
