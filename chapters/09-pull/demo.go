// Package chapter09 is the demo of book ch.9 Docker镜像下载: a `docker
// pull` followed from the client (§9.3) through the server (§9.4) into
// the daemon's pull job (§9.5) and out to a registry, each line labelled
// with who printed it; then the image runs, is pushed back under another
// name, and the chapter ends with what changed after 1.2.
//
// Reproduces upstream api/client/commands.go CmdPull,
// api/server/server.go postImagesCreate, graph/pull.go and
// registry/session.go at v1.2.0 through v1_2/api/client, v1_2/api/server,
// v1_2/graph and v1_2/registry, against dockerlab's v1 registry
// (internal/v1registry); see README.md (English) and README.zh.md.
package chapter09

import (
	"context"
	"encoding/base64"
	"fmt"
	"io"
	"net/url"
	"path/filepath"
	"strings"

	"github.com/dockerlab/dockerlab/backend"
	"github.com/dockerlab/dockerlab/chapters/chapterutil"
	"github.com/dockerlab/dockerlab/v1_2/graph"
	"github.com/dockerlab/dockerlab/v1_2/registry"
)

// Run runs the demo on h, printing to out.
func Run(ctx context.Context, h backend.Host, out io.Writer) error {
	w := &chapterutil.SyncWriter{W: out}
	dir, cleanup, err := chapterutil.TempRoot("dockerlab-ch9-")
	if err != nil {
		return err
	}
	defer cleanup()
	before, err := chapterutil.Take(h.Root())
	if err != nil {
		return err
	}

	fmt.Fprintf(w, "## ch.9 Docker镜像下载 on the %s backend\n", h.Name())
	regLog := &LogSorter{W: w, Keep: keepRegistryLine}
	reg, err := StartRegistry(h, filepath.Join(dir, "registry"), regLog)
	if err != nil {
		return err
	}
	defer reg.Close()
	fmt.Fprintf(w, "## the registry: dockerlab's v1 registry at http://%s/v1/ (standalone: its own index)\n", reg.Host)
	fmt.Fprintf(w, "## on disk, in docker-registry's layout, library/busybox:latest = %s:\n", reg.ID[:12])
	files, err := reg.Layout()
	if err != nil {
		return err
	}
	for _, f := range files {
		fmt.Fprintf(w, "     %s\n", strings.ReplaceAll(f, reg.ID, reg.ID[:12]+"…"))
	}

	daemonLog := &LogSorter{W: w, Keep: keepPullLines}
	d, err := StartDaemon(ctx, h, dir, io.Discard, daemonLog)
	if err != nil {
		return err
	}
	defer d.Stop()
	settle()

	name := reg.Host + "/library/busybox"
	fmt.Fprintln(w, "\n## §9.2 the flow: client → POST /images/create → server → job pull → registry → graph.Register")
	fmt.Fprintf(w, "## §9.3 Docker Client: docker pull %s\n", name)
	repos, tag := graph.ParseRepositoryTag(name)
	fmt.Fprintf(w, "  client   │ §9.3.1 ParseRepositoryTag(%q) = %q, tag %q (no tag: 1.2 pulls every tag)\n", name, repos, tag)
	host, remote, err := registry.ResolveRepositoryName(repos)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "  client   │ §9.3.2 ResolveRepositoryName → registry %s, remote %s; ~/.dockercfg's account for it → X-Registry-Auth: %s\n",
		host, remote, base64.URLEncoding.EncodeToString([]byte(`{"auth":"","email":""}`)))
	v := url.Values{"fromImage": {repos}}
	fmt.Fprintf(w, "  client   │ §9.3.3 POST /v1.14/images/create?%s (the answer is a chunked stream of JSON progress)\n", v.Encode())
	fmt.Fprintln(w, "## §9.4 Docker Server and §9.5 Docker Daemon, as they log; the registry's requests; the client's progress:")
	cli := d.Client(&chapterutil.PrefixWriter{Prefix: "  client   │ ", W: w}, &chapterutil.PrefixWriter{Prefix: "  client   │ ", W: w})
	if err := cli.Cmd("pull", name); err != nil {
		return err
	}
	settle()

	fmt.Fprintln(w, "\n## the image is in the graph (ch.10), tagged; it runs (ch.12):")
	daemonLog.SetKeep(keepNothing)
	cli = d.Client(&chapterutil.PrefixWriter{Prefix: "  client   │ ", W: w}, &chapterutil.PrefixWriter{Prefix: "  client   │ ", W: w})
	if err := cli.Cmd("images"); err != nil {
		return err
	}
	if err := cli.Cmd("run", "--rm", name, "echo", "hello from a pulled image"); err != nil {
		return err
	}

	fmt.Fprintln(w, "\n## a second pull: every layer is in the graph already, nothing is downloaded")
	regLog.SetKeep(keepNothing)
	if err := cli.Cmd("pull", name); err != nil {
		return err
	}

	mine := reg.Host + "/student/busybox"
	fmt.Fprintf(w, "\n## push (no chapter of its own: the same protocol backwards): tag %s, push it\n", mine)
	regLog.SetKeep(keepRegistryLine)
	if err := cli.Cmd("tag", name, mine); err != nil {
		return err
	}
	daemonLog.SetKeep(keepPullLines)
	if err := cli.Cmd("push", mine); err != nil {
		return err
	}
	settle()
	if err := cli.Cmd("search", reg.Host+"/busy"); err != nil {
		return err
	}
	settle()
	regLog.SetKeep(keepNothing)
	daemonLog.SetKeep(keepNothing)

	fmt.Fprintln(w, "\n## what changed after 1.2 (not in the book):")
	fmt.Fprintln(w, "   1.3: --insecure-registry and --registry-mirror; 1.3.1: no silent fallback from https to http")
	fmt.Fprintln(w, "   1.6: the registry API v2 (content-addressed blobs, manifests); 1.10: schema2 manifests, ids = digests")
	fmt.Fprintln(w, "   today: v1 is gone everywhere. dockerlab's pull speaks v2 too (v1_2/graph/pull_v2.go): a registry with")
	fmt.Fprintln(w, "   no /v1/_ping but a /v2/ is pulled by manifest and digest into the same 1.2 graph (README: try it).")

	fmt.Fprintln(w, "\n## stop the daemon and the registry")
	if err := d.Stop(); err != nil {
		return err
	}
	fmt.Fprintln(w, "## the daemon left docker0 and its rules, as upstream; the demo removes what it added:")
	return before.Restore(h.Root(), w)
}

// keepPullLines keeps the server's request line, the jobs a pull runs,
// and the pull job's steps.
func keepPullLines(line string) (string, bool) {
	switch {
	case strings.Contains(line, "[info] POST"), strings.Contains(line, "[info] GET /v1.14/images/search"):
		return "  server   │ §9.4 " + line[strings.Index(line, "[info]")+7:], true
	case strings.Contains(line, "+job pull("), strings.Contains(line, "-job pull("),
		strings.Contains(line, "+job push("), strings.Contains(line, "-job push("),
		strings.Contains(line, "+job search("):
		return "  server   │ §9.4 " + line[strings.Index(line, "job")-1:], true
	case strings.Contains(line, "] pull: "):
		return "  daemon   │ " + line[strings.Index(line, "] pull: ")+8:], true
	}
	return "", false
}

// keepRegistryLine turns the registry's log line into "registry │
// METHOD URL".
func keepRegistryLine(line string) (string, bool) {
	out, ok := registryRequest(line)
	return "  registry │ " + out, ok
}

// registryRequest is the request of a registry log line, without its date.
func registryRequest(line string) (string, bool) {
	_, req, ok := strings.Cut(line, "registry: ")
	if !ok {
		return "", false
	}
	fields := strings.SplitN(req, " ", 3) // date, time, request
	if len(fields) == 3 {
		req = fields[2]
	}
	return req, true
}

// RegistryRequest is the request of a registry log line ("GET /v1/…").
func RegistryRequest(line string) (string, bool) { return registryRequest(line) }

func keepNothing(string) (string, bool) { return "", false }
