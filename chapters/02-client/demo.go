// Package chapter02 is the demo of book ch.2 Docker Client创建与命令执行:
// a daemon runs in a scratch directory, and Docker 1.2's client talks to
// it with --trace, so each step of ch.2 prints a line — the flags (§2.2),
// NewDockerCli (§2.2), getMethod and the request (§2.3) — while the
// daemon's job log shows the other side of each request.
//
// Reproduces the client half of upstream docker/docker.go main and
// api/client/{cli,commands,utils}.go at v1.2.0 through
// v1_2/docker.MainClient and v1_2/api/client; see README.md (English) and
// README.zh.md.
package chapter02

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/dockerlab/dockerlab/backend"
	"github.com/dockerlab/dockerlab/chapters/chapterutil"
)

// Run runs the demo on h, printing to out.
func Run(ctx context.Context, h backend.Host, out io.Writer) error {
	w := &chapterutil.SyncWriter{W: out}
	dir, cleanup, err := chapterutil.TempRoot("dockerlab-ch2-")
	if err != nil {
		return err
	}
	defer cleanup()
	before, err := chapterutil.Take(h.Root())
	if err != nil {
		return err
	}

	// The daemon, quiet except for its job log (the server's side).
	daemonLog := &chapterutil.PrefixWriter{Prefix: "    daemon │ ", W: w}
	sock, stop, err := chapterutil.StartV12Daemon(ctx, h, dir, daemonLog)
	if err != nil {
		return err
	}
	defer stop()
	fmt.Fprintf(w, "## ch.2 Docker 1.2's client on the %s backend, against dockerlab v1.2 daemon -H %s\n", h.Name(), sock)

	steps := []struct {
		title string
		env   string // DOCKER_HOST, when the step has no -H
		stdin []byte
		args  []string
	}{
		{title: "version: flags → NewDockerCli → getMethod(\"version\") → GET /v1.14/version → the version job",
			args: []string{"--trace", "-H", sock, "version"}},
		{title: "import -: the tarball on stdin is the request body (POST /images/create?fromSrc=-)",
			stdin: chapterutil.OneFileTar("hello", "hello from chapter 2\n", 0o644), args: []string{"--trace", "-H", sock, "import", "-", "ch2"}},
		{title: "no -H: the host comes from $DOCKER_HOST, as upstream's main read it",
			env: sock, args: []string{"--trace", "images"}},
		{title: "an unknown image: the daemon's 404 comes back as \"Error response from daemon: …\"",
			args: []string{"--trace", "-H", sock, "rmi", "nosuchimage"}},
		{title: "a mistake on the command line never reaches the daemon: the usage, exit status 2",
			args: []string{"--trace", "-H", sock, "tag", "ch2"}},
	}
	for _, step := range steps {
		fmt.Fprintf(w, "\n## dockerlab v1.2 %s\n## %s\n", strings.Join(step.args, " "), step.title)
		client := &chapterutil.PrefixWriter{Prefix: "    client │ ", W: w}
		if err := chapterutil.RunV12Client(step.env, step.stdin, step.args, client); err != nil {
			var st interface{ ExitStatus() int }
			if errors.As(err, &st) {
				fmt.Fprintf(client, "→ exit status %d\n", st.ExitStatus())
			} else {
				fmt.Fprintf(client, "→ %v (exit status 1)\n", err)
			}
		}
		client.Flush()
		time.Sleep(50 * time.Millisecond) // let the daemon's last job line land under its step
		daemonLog.Flush()
	}

	fmt.Fprintln(w, "\n## stop the daemon (what SIGTERM does)")
	if err := stop(); err != nil {
		return err
	}
	daemonLog.Flush()
	fmt.Fprintln(w, "## the daemon left docker0 and its rules, as upstream; the demo removes what it added:")
	return before.Restore(h.Root(), w)
}
