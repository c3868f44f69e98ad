// Package chapter08 is the demo of book ch.8 Docker镜像: an image is a
// read-only layer plus the json naming its parent; images stack into a
// rootfs through a union mount; names ("repository:tag") point at
// images. The demo drives the v1.2 daemon's image jobs as `docker
// import`, `images`, `tag`, `history`, `inspect`, `save`, `rmi` and
// `load` would, and looks at the union a container would start from.
//
// Reproduces upstream graph/service.go, import.go, list.go, tag.go,
// history.go, export.go, load.go and daemon/image_delete.go at v1.2.0
// through v1_2/graph and v1_2/daemon; see README.md and README.zh.md.
package chapter08

import (
	"archive/tar"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"net"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/dockerlab/dockerlab/backend"
	"github.com/dockerlab/dockerlab/chapters/chapterutil"
	"github.com/dockerlab/dockerlab/v1_2/builtins"
	"github.com/dockerlab/dockerlab/v1_2/daemon"
	"github.com/dockerlab/dockerlab/v1_2/engine"
	"github.com/dockerlab/dockerlab/v1_2/image"
)

// Run runs the demo on h, printing to out.
func Run(ctx context.Context, h backend.Host, out io.Writer) error {
	dir, cleanup, err := chapterutil.TempRoot("dockerlab-ch8-")
	if err != nil {
		return err
	}
	defer cleanup()

	eng := engine.New()
	eng.Logging = false
	eng.Stdout, eng.Stderr = out, out
	if err := builtins.Register(eng); err != nil {
		return err
	}
	// The default flags, but -b none: images need no network, and the
	// demo then leaves the machine's links and rules alone.
	config := &daemon.Config{
		Root:                        filepath.Join(dir, "root"),
		BridgeIface:                 daemon.DisableNetworkBridge,
		EnableIptables:              true,
		InterContainerCommunication: true,
		DefaultIp:                   net.ParseIP("0.0.0.0"),
		ExecDriver:                  "native",
		Host:                        h,
	}
	d, err := daemon.NewDaemon(config, eng)
	if err != nil {
		eng.Shutdown()
		return err
	}
	defer eng.Shutdown()
	if err := d.Install(eng); err != nil {
		return err
	}
	s := &session{eng: eng, out: out}
	fmt.Fprintf(out, "## ch.8 Docker镜像 on the %s backend: daemon root %s, storage driver %s\n", h.Name(), d.Config().Root, d.GraphDriver())

	// 1. A base image: a rootfs tar imported (docker import - busybox).
	fmt.Fprintln(out, "\n## 1. rootfs → base image: job import - busybox (stdin: a tar of a small root file system)")
	baseOut, err := s.run(rootfs(), "import", []string{"-", "busybox"})
	if err != nil {
		return err
	}
	base := strings.TrimSpace(baseOut)
	fmt.Fprintf(out, "  prints the new id: %s\n", base)

	// 2. A layer on top of it, as `docker commit` would store it: the
	// json names the parent and the command that made the change.
	child := image.GenerateRandomID()
	fmt.Fprintln(out, "\n## 2. a layer on top: job image_set (the json names the parent; the tar holds only what changed)")
	js, _ := json.Marshal(map[string]any{
		"id": child, "parent": base, "created": time.Now().UTC(),
		"container_config": map[string]any{"Cmd": []string{"/bin/sh", "-c", "echo hello > /hello; rm /etc/motd"}},
		"comment":          "what `docker commit` would store",
	})
	layer := tarOf(entry{"hello", "hello\n"}, entry{"etc/.wh.motd", ""})
	if _, err := s.run(layer, "image_set", []string{child}, "json", string(js)); err != nil {
		return err
	}
	if _, err := s.run(nil, "tag", []string{child, "hello", "v1"}); err != nil {
		return err
	}
	fmt.Fprintf(out, "  %s, tagged hello:v1 (job tag)\n", image.TruncateID(child))

	// 3. docker images, -a, history.
	fmt.Fprintln(out, "\n## 3. job images (docker images): one row per name; untagged heads as <none>")
	if err := s.images(nil); err != nil {
		return err
	}
	fmt.Fprintln(out, "## job images all=1 (docker images -a): the same two layers; VIRTUAL SIZE adds the parents")
	if err := s.images([]string{"all", "1"}); err != nil {
		return err
	}
	fmt.Fprintln(out, "## job history hello:v1 (docker history): the layers, newest first")
	if err := s.history("hello:v1"); err != nil {
		return err
	}

	// 4. The union: what a container on hello:v1 would see.
	fmt.Fprintln(out, "\n## 4. union mount: the driver's Get(hello:v1) is base + the new layer, the whiteout applied")
	rootfs, err := d.GraphDriver().Get(child, "")
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "  %s\n", listFiles(rootfs))
	if mounts, err := h.Mounts(); err == nil {
		for _, m := range mounts {
			fmt.Fprintf(out, "  mounted: %s with %d lower layer(s) — the book's aufs union, on overlayfs\n", m.Type, len(m.Lower))
		}
	}
	d.GraphDriver().Put(child)

	// 5. docker inspect.
	fmt.Fprintln(out, "\n## 5. job image_inspect hello:v1 (docker inspect): the image's json")
	insp, err := s.run(nil, "image_inspect", []string{"hello:v1"})
	if err != nil {
		return err
	}
	var m map[string]any
	json.Unmarshal([]byte(insp), &m)
	for _, k := range []string{"Id", "Parent", "Comment", "Size", "ContainerConfig"} {
		v, _ := json.Marshal(m[k])
		fmt.Fprintf(out, "  %-15s %s\n", k, v)
	}

	// 6. save, rmi, load.
	fmt.Fprintln(out, "\n## 6. job image_export hello (docker save): Docker 1.2's tar")
	saved, err := s.run(nil, "image_export", []string{"hello"})
	if err != nil {
		return err
	}
	for _, name := range tarNames([]byte(saved)) {
		fmt.Fprintf(out, "  %s\n", shortIDs(name, base, child))
	}
	fmt.Fprintln(out, "## job image_delete hello:v1 (docker rmi): untag, delete; its parent stays, busybox still names it")
	if err := s.rmi("hello:v1"); err != nil {
		return err
	}
	fmt.Fprintln(out, "## job image_delete busybox")
	if err := s.rmi("busybox"); err != nil {
		return err
	}
	if err := s.images([]string{"all", "1"}); err != nil {
		return err
	}
	fmt.Fprintln(out, "## job load (docker load < the saved tar): the same ids come back")
	if _, err := s.run(strings.NewReader(saved), "load", nil); err != nil {
		return err
	}
	if err := s.images([]string{"all", "1"}); err != nil {
		return err
	}
	got, err := d.Repositories().LookupImage("hello:v1")
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "  hello:v1 is %s again: %v\n", image.TruncateID(got.ID), got.ID == child)
	fmt.Fprintln(out, "\n## pull and push talk to a registry: chapter 9 (dockerlab chapter 9) runs one")
	return nil
}

// session runs jobs and prints them as a terminal would show them.
type session struct {
	eng *engine.Engine
	out io.Writer
}

// run runs name args with env pairs and stdin; returns stdout.
func (s *session) run(stdin io.Reader, name string, args []string, env ...string) (string, error) {
	job := s.eng.Job(name, args...)
	for i := 0; i+1 < len(env); i += 2 {
		job.Setenv(env[i], env[i+1])
	}
	if stdin != nil {
		job.Stdin.Add(stdin)
	}
	var buf bytes.Buffer
	job.Stdout.Add(&buf)
	err := job.Run()
	return buf.String(), err
}

// rows runs a job whose stdout is a JSON list.
func (s *session) rows(name string, args []string, env ...string) ([]map[string]any, error) {
	text, err := s.run(nil, name, args, env...)
	if err != nil {
		return nil, err
	}
	var rows []map[string]any
	if err := json.Unmarshal([]byte(text), &rows); err != nil {
		return nil, fmt.Errorf("%s printed %q: %w", name, text, err)
	}
	return rows, nil
}

// images prints the images job as `docker images` did in 1.2.
func (s *session) images(env []string) error {
	rows, err := s.rows("images", nil, env...)
	if err != nil {
		return err
	}
	fmt.Fprintf(s.out, "  %-12s %-6s %-12s %-12s %s\n", "REPOSITORY", "TAG", "IMAGE ID", "PARENT", "SIZE / VIRTUAL SIZE")
	for _, r := range rows {
		for _, name := range r["RepoTags"].([]any) {
			repo, tag, _ := strings.Cut(name.(string), ":")
			fmt.Fprintf(s.out, "  %-12s %-6s %-12s %-12s %v B / %v B\n", repo, tag, image.TruncateID(r["Id"].(string)),
				image.TruncateID(r["ParentId"].(string)), r["Size"], r["VirtualSize"])
		}
	}
	if len(rows) == 0 {
		fmt.Fprintln(s.out, "  (no images)")
	}
	return nil
}

func (s *session) history(name string) error {
	rows, err := s.rows("history", []string{name})
	if err != nil {
		return err
	}
	fmt.Fprintf(s.out, "  %-12s %-48s %-14s %s\n", "IMAGE", "CREATED BY", "SIZE", "TAGS")
	for _, r := range rows {
		fmt.Fprintf(s.out, "  %-12s %-48s %-14s %v\n", image.TruncateID(r["Id"].(string)), fmt.Sprintf("%q", r["CreatedBy"]), fmt.Sprintf("%v B", r["Size"]), r["Tags"])
	}
	return nil
}

func (s *session) rmi(name string) error {
	rows, err := s.rows("image_delete", []string{name})
	if err != nil {
		return err
	}
	for _, r := range rows {
		for k, v := range r {
			fmt.Fprintf(s.out, "  %s: %v\n", k, v)
		}
	}
	return nil
}

// rootfs is the base image's tar: a tiny root file system.
func rootfs() io.Reader {
	return tarOf(
		entry{"bin/", ""}, entry{"bin/sh", "#!/bin/sh (a stand-in: the fake's userland runs scripts)\n"},
		entry{"etc/", ""}, entry{"etc/hostname", "base\n"}, entry{"etc/motd", "a base image\n"},
		entry{"tmp/", ""})
}

type entry struct{ name, content string }

// tarOf is a layer: names ending in "/" are directories.
func tarOf(entries ...entry) io.Reader {
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	for _, e := range entries {
		hdr := &tar.Header{Name: e.name, Mode: 0755, Size: int64(len(e.content)), Typeflag: tar.TypeReg}
		if strings.HasSuffix(e.name, "/") {
			hdr.Typeflag, hdr.Size = tar.TypeDir, 0
		}
		tw.WriteHeader(hdr)
		tw.Write([]byte(e.content))
	}
	tw.Close()
	return &buf
}

// listFiles is the regular files under dir, space separated.
func listFiles(dir string) string {
	var files []string
	filepath.WalkDir(dir, func(path string, e fs.DirEntry, err error) error {
		if err == nil && e.Type().IsRegular() {
			rel, _ := filepath.Rel(dir, path)
			files = append(files, rel)
		}
		return nil
	})
	sort.Strings(files)
	return strings.Join(files, " ")
}

// tarNames lists a tar's entries.
func tarNames(data []byte) []string {
	var names []string
	tr := tar.NewReader(bytes.NewReader(data))
	for {
		hdr, err := tr.Next()
		if err != nil {
			return names
		}
		names = append(names, hdr.Name)
	}
}

func shortIDs(s, base, child string) string {
	s = strings.ReplaceAll(s, base, "<busybox "+image.TruncateID(base)+">")
	return strings.ReplaceAll(s, child, "<hello:v1 "+image.TruncateID(child)+">")
}
