// Package chapter03 is the demo of book ch.3 启动Docker Daemon: mainDaemon
// runs with --trace in a scratch directory, the demo knocks on its socket
// (GET /_ping, /version, an unknown route), then stops it as SIGTERM would.
//
// Reproduces the flow of upstream docker/daemon.go mainDaemon at v1.2.0
// through v1_2/docker.MainDaemon; see README.md (English) and README.zh.md.
package chapter03

import (
	"context"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/pflag"

	"github.com/dockerlab/dockerlab/backend"
	"github.com/dockerlab/dockerlab/chapters/chapterutil"
	"github.com/dockerlab/dockerlab/v1_2/docker"
)

// Run runs the demo on h, printing to out.
func Run(ctx context.Context, h backend.Host, out io.Writer) error {
	w := &chapterutil.SyncWriter{W: out}
	dir, cleanup, err := chapterutil.TempRoot("dockerlab-ch3-")
	if err != nil {
		return err
	}
	defer cleanup()
	before, err := chapterutil.Take(h.Root())
	if err != nil {
		return err
	}

	sock := "unix://" + filepath.Join(dir, "docker.sock")
	var f docker.DaemonFlags
	fs := pflag.NewFlagSet("daemon", pflag.ContinueOnError)
	f.InstallFlags(fs)
	if err := fs.Parse([]string{"--trace", "-G", "", "-H", sock,
		"-g", filepath.Join(dir, "root"), "-p", filepath.Join(dir, "docker.pid")}); err != nil {
		return err
	}

	fmt.Fprintf(w, "## ch.3 mainDaemon on the %s backend: dockerlab v1.2 daemon --trace -H %s\n", h.Name(), sock)
	dctx, stop := context.WithCancel(ctx)
	defer stop()
	done := make(chan error, 1)
	go func() { done <- docker.MainDaemon(dctx, h, &f, nil, docker.Streams{Stdout: w, Stderr: w}) }()

	ping, err := docker.Get(sock, "/_ping", waitForDaemon)
	if err != nil {
		stop()
		return fmt.Errorf("%w (daemon: %v)", err, <-done)
	}
	fmt.Fprintf(w, "## GET /_ping → %s\n", ping)
	version, err := docker.Get(sock, "/version", 0)
	if err != nil {
		stop()
		<-done
		return err
	}
	fmt.Fprintf(w, "## GET /version → %s", version)
	list, err := docker.Get(sock, "/containers/json", 0)
	if err != nil {
		stop()
		<-done
		return err
	}
	fmt.Fprintf(w, "## GET /containers/json → %s  (the containers job: none yet; chapter 5 follows a request through the router)\n", strings.TrimSpace(list))

	fmt.Fprintln(w, "## stop (what SIGTERM does): eng.Shutdown() runs the hooks")
	stop()
	if err := <-done; err != nil {
		return err
	}
	fmt.Fprintln(w, "## the daemon left docker0 and its rules, as upstream; the demo removes what it added:")
	return before.Restore(h.Root(), w)
}

// waitForDaemon bounds how long the demo waits for NewDaemon.
const waitForDaemon = 30 * time.Second
