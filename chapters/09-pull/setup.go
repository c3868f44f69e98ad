// What chapter 9's demo (and chapter 1's, which pulls and runs) set up:
// a v1 registry in this process, on 127.0.0.1 at a free port, holding a
// busybox image; a v1.2 daemon on a unix socket in a scratch directory;
// Docker 1.2's own client talking to it; and a writer that sorts the
// daemon's log into the lines a reader wants to see.
//
// Not upstream: dockerlab's teaching scaffolding around
// internal/v1registry, v1_2/docker.MainDaemon and v1_2/api/client.
// Book: ch.9 §9.2 Docker镜像下载流程 (the parts that take part in a pull).
package chapter09

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/spf13/pflag"

	"github.com/dockerlab/dockerlab/backend"
	chapter13 "github.com/dockerlab/dockerlab/chapters/13-dockerinit"
	"github.com/dockerlab/dockerlab/internal/v1registry"
	"github.com/dockerlab/dockerlab/v1_2/api/client"
	"github.com/dockerlab/dockerlab/v1_2/archive"
	"github.com/dockerlab/dockerlab/v1_2/docker"
)

// Registry is a v1 registry serving in this process.
type Registry struct {
	Host string // 127.0.0.1:port
	Root string // its storage (docker-registry's layout)
	ID   string // the id of library/busybox:latest
	srv  *http.Server
}

// StartRegistry seeds library/busybox (a busybox root filesystem made for
// h) into root and serves it; each request is written to log.
func StartRegistry(h backend.Host, root string, log io.Writer) (*Registry, error) {
	rootfs, err := chapter13.MakeRootfs(h)
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(rootfs)
	a, err := archive.Tar(rootfs, archive.Uncompressed)
	if err != nil {
		return nil, err
	}
	layer, err := io.ReadAll(a)
	a.Close()
	if err != nil {
		return nil, err
	}
	id, err := v1registry.Seed(root, "library/busybox", "latest", []v1registry.SeedLayer{{Tar: layer, Comment: "ADD busybox in /"}}, nil)
	if err != nil {
		return nil, err
	}
	reg, err := v1registry.New(v1registry.Config{Root: root, Log: log})
	if err != nil {
		return nil, err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	r := &Registry{Host: ln.Addr().String(), Root: root, ID: id,
		srv: &http.Server{Handler: reg, ReadHeaderTimeout: 10 * time.Second}}
	go r.srv.Serve(ln)
	return r, nil
}

// Close stops the registry.
func (r *Registry) Close() { r.srv.Close() }

// Layout lists the registry's files, relative to its root.
func (r *Registry) Layout() ([]string, error) {
	var files []string
	err := filepath.Walk(r.Root, func(p string, fi os.FileInfo, err error) error {
		if err != nil || fi.IsDir() || strings.HasPrefix(fi.Name(), ".tmp-") {
			return err
		}
		rel, _ := filepath.Rel(r.Root, p)
		files = append(files, rel)
		return nil
	})
	return files, err
}

// Daemon is a v1.2 daemon running in this process.
type Daemon struct {
	Sock string
	stop context.CancelFunc
	done chan error
	once sync.Once
	err  error
}

// StartDaemon runs MainDaemon with -H unix://<dir>/docker.sock and the
// extra flags, its --trace to stdout and its log to stderr, and waits
// until it answers.
func StartDaemon(ctx context.Context, h backend.Host, dir string, stdout, stderr io.Writer, extra ...string) (*Daemon, error) {
	d := &Daemon{Sock: filepath.Join(dir, "docker.sock"), done: make(chan error, 1)}
	var f docker.DaemonFlags
	fs := pflag.NewFlagSet("daemon", pflag.ContinueOnError)
	f.InstallFlags(fs)
	args := append([]string{"-G", "", "-H", "unix://" + d.Sock, "-g", filepath.Join(dir, "root"), "-p", filepath.Join(dir, "docker.pid")}, extra...)
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	dctx, stop := context.WithCancel(ctx)
	d.stop = stop
	go func() {
		d.done <- docker.MainDaemon(dctx, h, &f, nil, docker.Streams{Stdout: stdout, Stderr: stderr})
	}()
	if _, err := docker.Get("unix://"+d.Sock, "/_ping", 30*time.Second); err != nil {
		stop()
		return nil, fmt.Errorf("%w (daemon: %v)", err, <-d.done)
	}
	return d, nil
}

// Client is Docker 1.2's client for the daemon.
func (d *Daemon) Client(out, errOut io.Writer) *client.DockerCli {
	return client.NewDockerCli(nil, out, errOut, "unix", d.Sock, nil)
}

// Stop stops the daemon as SIGTERM would; calling it again answers the
// same.
func (d *Daemon) Stop() error {
	d.once.Do(func() {
		d.stop()
		d.err = <-d.done
	})
	return d.err
}

// LogSorter splits the daemon's log into lines and hands each to Keep,
// which answers what to print (and whether to).
type LogSorter struct {
	W    io.Writer
	Keep func(line string) (string, bool)
	mu   sync.Mutex
	buf  bytes.Buffer
}

// SetKeep changes what is printed from now on.
func (s *LogSorter) SetKeep(keep func(line string) (string, bool)) {
	s.mu.Lock()
	s.Keep = keep
	s.mu.Unlock()
}

func (s *LogSorter) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.buf.Write(p)
	for {
		line, err := s.buf.ReadString('\n')
		if errors.Is(err, io.EOF) {
			s.buf.WriteString(line) // an unfinished line waits
			return len(p), nil
		}
		if out, ok := s.Keep(strings.TrimRight(line, "\n")); ok {
			fmt.Fprintln(s.W, out)
		}
	}
}

// Settle lets the daemon's last log lines of a request arrive before a
// demo prints its next heading.
func Settle() { time.Sleep(50 * time.Millisecond) }

func settle() { Settle() }
