// A Docker 1.2 daemon and client inside a demo: the daemon as
// `dockerlab v1.2 daemon` runs it (mainDaemon, book ch.3), on the demo's
// backend and scratch directory, and the client as `dockerlab v1.2
// COMMAND` runs it (book ch.2), so a chapter shows both sides of each
// request.
//
// Not upstream: dockerlab's teaching scaffolding.
package chapterutil

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/spf13/pflag"

	"github.com/dockerlab/dockerlab/backend"
	"github.com/dockerlab/dockerlab/v1_2/docker"
)

// waitForDaemon bounds how long a demo waits for NewDaemon.
const waitForDaemon = 30 * time.Second

// StartV12Daemon runs the v1.2 daemon on h with its root, socket and pid
// file in dir, its job log going to log, and waits until it answers. It
// returns the -H address ("unix://…") and stop, which ends the daemon
// (the shutdown hooks run) and returns its error (once; later calls return the same).
func StartV12Daemon(ctx context.Context, h backend.Host, dir string, log io.Writer) (string, func() error, error) {
	sock := "unix://" + filepath.Join(dir, "docker.sock")
	var f docker.DaemonFlags
	fs := pflag.NewFlagSet("daemon", pflag.ContinueOnError)
	f.InstallFlags(fs)
	if err := fs.Parse([]string{"-G", "", "-H", sock, "-g", filepath.Join(dir, "root"), "-p", filepath.Join(dir, "docker.pid")}); err != nil {
		return "", nil, err
	}
	dctx, cancel := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() {
		done <- docker.MainDaemon(dctx, h, &f, nil, docker.Streams{Stdout: io.Discard, Stderr: log})
	}()
	if _, err := docker.Get(sock, "/_ping", waitForDaemon); err != nil {
		cancel()
		return "", nil, fmt.Errorf("%w (daemon: %v)", err, <-done)
	}
	var once sync.Once
	var err error
	return sock, func() error {
		once.Do(func() { cancel(); err = <-done })
		return err
	}, nil
}

// RunV12Client parses args as `dockerlab v1.2` does and runs MainClient
// with stdin, all of its output going to out. dockerHost, when not empty,
// is $DOCKER_HOST for the run.
func RunV12Client(dockerHost string, stdin []byte, args []string, out io.Writer) error {
	if dockerHost != "" {
		old, had := os.LookupEnv("DOCKER_HOST")
		os.Setenv("DOCKER_HOST", dockerHost)
		defer func() {
			if had {
				os.Setenv("DOCKER_HOST", old)
			} else {
				os.Unsetenv("DOCKER_HOST")
			}
		}()
	}
	var f docker.ClientFlags
	fs := pflag.NewFlagSet("v1.2", pflag.ContinueOnError)
	fs.SetInterspersed(false)
	f.InstallFlags(fs)
	if err := fs.Parse(args); err != nil {
		return err
	}
	return docker.MainClient(&f, fs.Args(), docker.ClientStreams{In: io.NopCloser(bytes.NewReader(stdin)), Out: out, Err: out})
}
