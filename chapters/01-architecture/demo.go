// Package chapter01 is the demo of book ch.1 Docker架构: the architecture
// diagram of §1.2 drawn with the dockerlab package behind each box
// (§1.3), then the two cases of §1.4 — docker pull and docker run — run
// for real, every line labelled with the module that printed or caused
// it: Client, Server, Engine (jobs), Registry, Graph, graphdriver,
// networkdriver, execdriver, libcontainer.
//
// Reproduces the whole v1.2.0 tree's cooperation through v1_2/api/client,
// v1_2/api/server, v1_2/engine, v1_2/graph, v1_2/daemon and its drivers;
// the registry is dockerlab's v1 registry (chapter 9 shows it in
// detail). See README.md (English) and README.zh.md.
package chapter01

import (
	"context"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/dockerlab/dockerlab/backend"
	chapter09 "github.com/dockerlab/dockerlab/chapters/09-pull"
	"github.com/dockerlab/dockerlab/chapters/chapterutil"
)

// Diagram is §1.2's architecture, with where each box lives here.
const Diagram = `
   docker CLI (Client)  v1_2/api/client ────── HTTP (unix/tcp) ──────┐
                                                                     ▼
 ┌─ Docker Daemon ───────────────────────────────────────────────────────────────────┐
 │  Docker Server  v1_2/api/server (router → handler) ──► Engine  v1_2/engine         │
 │                                                        (named Jobs: pull, create…) │
 │        ┌───────────────┬──────────────────┬───────────────┬──────────────┐        │
 │        ▼               ▼                  ▼               ▼              ▼        │
 │  Registry client   Graph             graphdriver     networkdriver   execdriver   │
 │  v1_2/registry     v1_2/graph        vfs, overlay    bridge          native       │
 │  v1_2/graph/pull   (images, tags)    (layers)        (docker0, NAT)     │         │
 │        │                                                                ▼         │
 │        │                                                          libcontainer    │
 │        │                                         v1_2/libcontainer (namespaces,   │
 │        │                                         cgroups) ──► Docker Container    │
 └────────┼──────────────────────────────────────────────────────────────────────────┘
          ▼
   Docker Registry (v1)   dockerlab registry serve   (internal/v1registry)
   every kernel call of the daemon goes through backend.Host: the real kernel or the fake
`

// Run runs the demo on h, printing to out.
func Run(ctx context.Context, h backend.Host, out io.Writer) error {
	w := &chapterutil.SyncWriter{W: out}
	dir, cleanup, err := chapterutil.TempRoot("dockerlab-ch1-")
	if err != nil {
		return err
	}
	defer cleanup()
	before, err := chapterutil.Take(h.Root())
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "## ch.1 Docker架构 on the %s backend\n## §1.2 the architecture, §1.3 its modules (each box: the package that reproduces it)\n%s", h.Name(), Diagram)

	regLog := &chapter09.LogSorter{W: w, Keep: func(line string) (string, bool) {
		req, ok := chapter09.RegistryRequest(line)
		return label("Registry", req), ok
	}}
	reg, err := chapter09.StartRegistry(h, filepath.Join(dir, "registry"), regLog)
	if err != nil {
		return err
	}
	defer reg.Close()
	daemonLog := &chapter09.LogSorter{W: w, Keep: keepNothing}
	trace := &chapter09.LogSorter{W: w, Keep: keepNothing}
	d, err := chapter09.StartDaemon(ctx, h, dir, trace, daemonLog, "--trace")
	if err != nil {
		return err
	}
	defer d.Stop()
	daemonLog.SetKeep(keepDaemonLine)
	trace.SetKeep(keepTraceLine)
	cliOut := &chapterutil.PrefixWriter{Prefix: "  " + fmt.Sprintf("%-13s", "Client") + "│ ", W: w}
	cli := d.Client(cliOut, cliOut)

	name := reg.Host + "/library/busybox"
	fmt.Fprintf(w, "\n## §1.4.1 docker pull %s\n", name)
	fmt.Fprintln(w, "##   Client → Server → Engine: job pull → Registry (session, index, layers) → Graph.Register → graphdriver")
	if err := cli.Cmd("pull", name); err != nil {
		return err
	}
	cliOut.Flush()
	settle()
	regLog.SetKeep(keepNothing)

	fmt.Fprintf(w, "\n## §1.4.2 docker run %s echo …\n", name)
	fmt.Fprintln(w, "##   Client → Server → Engine: job create (Graph, graphdriver) → job start (networkdriver, execdriver → libcontainer) → Container")
	if err := cli.Cmd("run", "--rm", name, "echo", "hello from the container"); err != nil {
		return err
	}
	cliOut.Flush()
	settle()
	daemonLog.SetKeep(keepNothing)
	trace.SetKeep(keepNothing)

	fmt.Fprintln(w, "\n## stop the daemon (its shutdown hooks run) and the registry")
	if err := d.Stop(); err != nil {
		return err
	}
	fmt.Fprintln(w, "## the daemon left docker0 and its rules, as upstream; the demo removes what it added:")
	return before.Restore(h.Root(), w)
}

func label(module, text string) string { return fmt.Sprintf("  %-13s│ %s", module, text) }

func keepNothing(string) (string, bool) { return "", false }

// keepDaemonLine: the server's request lines and the engine's jobs.
func keepDaemonLine(line string) (string, bool) {
	switch {
	case strings.Contains(line, "[info] "):
		return label("Server", line[strings.Index(line, "[info] ")+7:]), true
	case strings.Contains(line, "+job ") && !strings.Contains(line, "+job log(") && !strings.Contains(line, "+job container_inspect"):
		return label("Engine", line[strings.Index(line, "+job"):]), true
	case strings.Contains(line, "] pull: "):
		step := line[strings.Index(line, "] pull: ")+8:]
		if strings.Contains(step, "graph.Register") {
			return label("Graph", step), true
		}
		return label("job pull", step), true
	}
	return "", false
}

// keepTraceLine: the steps of create and start (book ch.12), labelled
// with the driver or module that does them.
func keepTraceLine(line string) (string, bool) {
	rest, ok := strings.CutPrefix(line, "[trace] ")
	if !ok || !(strings.HasPrefix(rest, "12.3") || strings.HasPrefix(rest, "12.4")) {
		return "", false
	}
	step := strings.TrimSpace(rest[5:])
	module := "Daemon"
	switch {
	case strings.HasPrefix(step, "LookupImage"), strings.HasPrefix(step, "CheckDepth"):
		module = "Graph"
	case strings.HasPrefix(step, "createRootfs"), strings.HasPrefix(step, "Mount"):
		module = "graphdriver"
	case strings.HasPrefix(step, "initializeNetworking"):
		module = "networkdriver"
	case strings.HasPrefix(step, "populateCommand"):
		module = "execdriver"
	case strings.HasPrefix(step, "waitForStart"):
		module = "libcontainer"
	}
	return label(module, step), true
}

// settle lets the last log lines of a request arrive.
func settle() { chapter09.Settle() }
