// Package chapter04 is the demo of book ch.4 NewDaemon实现: NewDaemon's
// steps one by one (--trace), then what they left in the daemon's root
// directory, then the shutdown hooks.
//
// Reproduces upstream daemon/daemon.go NewDaemonFromDirectory at v1.2.0
// through v1_2/daemon.NewDaemon; see README.md (English) and README.zh.md.
package chapter04

import (
	"context"
	"fmt"
	"io"
	"io/fs"
	"net"
	"path/filepath"
	"strings"

	"github.com/dockerlab/dockerlab/backend"
	"github.com/dockerlab/dockerlab/chapters/chapterutil"
	"github.com/dockerlab/dockerlab/v1_2/builtins"
	"github.com/dockerlab/dockerlab/v1_2/daemon"
	"github.com/dockerlab/dockerlab/v1_2/engine"
)

// Run runs the demo on h, printing to out.
func Run(ctx context.Context, h backend.Host, out io.Writer) error {
	dir, cleanup, err := chapterutil.TempRoot("dockerlab-ch4-")
	if err != nil {
		return err
	}
	defer cleanup()
	before, err := chapterutil.Take(h.Root())
	if err != nil {
		return err
	}

	eng := engine.New()
	eng.Logging = false // the trace says it all
	eng.Stdout, eng.Stderr = out, out
	if err := builtins.Register(eng); err != nil {
		return err
	}
	// The values mainDaemon's flags give by default.
	config := &daemon.Config{
		Pidfile:                     filepath.Join(dir, "docker.pid"),
		Root:                        filepath.Join(dir, "root"),
		AutoRestart:                 true,
		EnableIptables:              true,
		EnableIpForward:             true,
		DefaultIp:                   net.ParseIP("0.0.0.0"),
		InterContainerCommunication: true,
		ExecDriver:                  "native",
		Host:                        h,
		Trace:                       daemon.PrintTracer(out),
	}
	fmt.Fprintf(out, "## ch.4 NewDaemon on the %s backend, root %s\n", h.Name(), config.Root)
	d, err := daemon.NewDaemon(config, eng)
	if err != nil {
		eng.Shutdown()
		return err
	}

	fmt.Fprintf(out, "## what NewDaemon left in its root (%s):\n", d.Config().Root)
	root := d.Config().Root
	filepath.WalkDir(root, func(path string, e fs.DirEntry, err error) error {
		if err != nil || path == root {
			return nil
		}
		rel, _ := filepath.Rel(root, path)
		info, err := e.Info()
		if err != nil {
			return nil
		}
		depth := strings.Count(rel, string(filepath.Separator))
		fmt.Fprintf(out, "  %s%s %s\n", strings.Repeat("  ", depth), info.Mode(), filepath.Base(rel))
		return nil
	})

	fmt.Fprintln(out, "## eng.Shutdown(): the hooks of §4.3 (pid file) and §4.13")
	eng.Shutdown()
	fmt.Fprintln(out, "## the daemon left docker0 and its rules, as upstream; the demo removes what it added:")
	return before.Restore(h.Root(), out)
}
