// Package chapter10 is the demo of book ch.10 Docker镜像存储: how one
// image is registered (§10.2), its id checked (§10.3), where its layer
// lives in the storage driver (§10.4), what is written beside it (§10.5)
// and how its id becomes findable by prefix (§10.6) — once per storage
// driver this machine has: overlay (a real union mount, standing in for
// the book's aufs) on the linux backend, vfs (plain copies) everywhere.
//
// Reproduces upstream graph/graph.go Register and Create, image/image.go
// StoreImage and daemon/graphdriver at v1.2.0 through v1_2/graph and
// v1_2/daemon/graphdriver; see README.md (English) and README.zh.md.
package chapter10

import (
	"archive/tar"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/dockerlab/dockerlab/backend"
	"github.com/dockerlab/dockerlab/v1_2/daemon/graphdriver"
	_ "github.com/dockerlab/dockerlab/v1_2/daemon/graphdriver/overlay" // registers "overlay"
	_ "github.com/dockerlab/dockerlab/v1_2/daemon/graphdriver/vfs"     // registers "vfs"
	"github.com/dockerlab/dockerlab/v1_2/graph"
	"github.com/dockerlab/dockerlab/v1_2/image"
)

// The two images of the demo. Fixed ids (sha256 of a word) so that two
// runs print the same paths; a daemon would draw random ones.
var (
	baseID  = idOf("dockerlab chapter 10 base")
	childID = idOf("dockerlab chapter 10 child")
)

// created is the demo images' creation time: Docker 1.2.0's release day.
var created = time.Date(2014, 8, 20, 0, 0, 0, 0, time.UTC)

func idOf(word string) string {
	sum := sha256.Sum256([]byte(word))
	return hex.EncodeToString(sum[:])
}

// Run runs the demo on h, printing to out.
func Run(ctx context.Context, h backend.Host, out io.Writer) error {
	dir, err := os.MkdirTemp("", "dockerlab-ch10-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	graphdriver.SetHost(h)
	defer graphdriver.SetHost(nil)

	fmt.Fprintf(out, "## ch.10 Docker镜像存储 on the %s backend (scratch root %s)\n", h.Name(), dir)
	fmt.Fprintf(out, "   base  %s\n   child %s (its parent is base)\n", baseID, childID)
	ran := 0
	for _, name := range []string{"overlay", "vfs"} {
		root := filepath.Join(dir, name+"-daemon")
		driver, err := graphdriver.GetDriver(name, root, nil)
		if err != nil {
			fmt.Fprintf(out, "\n## driver %s: not on this machine: %v\n", name, err)
			continue
		}
		if err := storeWith(h, driver, root, out); err != nil {
			driver.Cleanup()
			return fmt.Errorf("driver %s: %w", name, err)
		}
		if err := driver.Cleanup(); err != nil {
			return err
		}
		ran++
	}
	if ran == 0 {
		return errors.New("no storage driver works here")
	}
	if mounts, err := h.Mounts(); err == nil && len(mounts) == 0 {
		fmt.Fprintln(out, "\n## done: no mount is left behind; the scratch root is removed")
	}
	return nil
}

// storeWith walks §10.2–10.6 with one driver, in a root laid out as a
// daemon's: <root>/graph, <root>/<driver>, <root>/repositories-<driver>.
func storeWith(h backend.Host, driver graphdriver.Driver, root string, out io.Writer) error {
	fmt.Fprintf(out, "\n## driver %s (home %s)\n", driver, filepath.Join(root, driver.String()))
	g, err := graph.NewGraph(filepath.Join(root, "graph"), driver)
	if err != nil {
		return err
	}

	fmt.Fprintln(out, "### §10.3 验证ID: an id that could be read as name:tag is refused before anything is written")
	err = g.Register(nil, nil, &image.Image{ID: "busybox:latest"})
	fmt.Fprintf(out, "  Register(id \"busybox:latest\") → %v\n", err)

	fmt.Fprintln(out, "### §10.2 镜像注册: base (a whole rootfs), then child (changes motd, deletes tmp/scratch, adds a file)")
	base := tarOf(
		entry{"bin/", ""}, entry{"bin/hello", "#!/bin/sh\necho hello\n"},
		entry{"etc/", ""}, entry{"etc/motd", "welcome to base\n"},
		entry{"tmp/", ""}, entry{"tmp/scratch", "to be deleted by child\n"})
	if err := g.Register(nil, base, &image.Image{ID: baseID, Comment: "chapter 10 base", Created: created}); err != nil {
		return err
	}
	child := tarOf(entry{"etc/motd", "welcome to child\n"}, entry{"tmp/.wh.scratch", ""}, entry{"app.conf", "mode=demo\n"})
	if err := g.Register(nil, child, &image.Image{ID: childID, Parent: baseID, Comment: "chapter 10 child", Created: created}); err != nil {
		return err
	}
	err = g.Register(nil, nil, &image.Image{ID: baseID})
	fmt.Fprintf(out, "  Register(base) again → %v\n", err)

	fmt.Fprintf(out, "### §10.4 路径: the driver's home (%s keeps each layer here)\n", driver)
	printTree(out, filepath.Join(root, driver.String()))

	fmt.Fprintln(out, "### §10.4 挂载祖先镜像: Get(child) is the child's whole rootfs")
	rootfs, err := driver.Get(childID, "")
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "  Get(child) → %s\n", short(strings.TrimPrefix(rootfs, root+string(filepath.Separator))))
	if mounts, err := h.Mounts(); err == nil {
		for _, m := range mounts {
			fmt.Fprintf(out, "  mounted: %s on %s (%d lower layer)\n", m.Type, short(filepath.Base(filepath.Dir(m.Target)))+"/"+filepath.Base(m.Target), len(m.Lower))
		}
	}
	printTree(out, rootfs)
	motd, err := os.ReadFile(filepath.Join(rootfs, "etc/motd"))
	if err != nil {
		driver.Put(childID)
		return err
	}
	fmt.Fprintf(out, "  etc/motd: %q; tmp/scratch: %s\n", string(motd), existsWord(filepath.Join(rootfs, "tmp/scratch")))
	driver.Put(childID)

	fmt.Fprintln(out, "### §10.5 内容: <root>/graph/<id>/json and layersize (what the layer adds, not the whole stack)")
	for _, id := range []string{baseID, childID} {
		js, err := os.ReadFile(filepath.Join(g.ImageRoot(id), "json"))
		if err != nil {
			return err
		}
		size, err := os.ReadFile(filepath.Join(g.ImageRoot(id), "layersize"))
		if err != nil {
			return err
		}
		fmt.Fprintf(out, "  graph/%s/layersize = %s\n  graph/%s/json      = %s\n", short(id), size, short(id), short(string(js)))
	}

	fmt.Fprintln(out, "### §10.6 注册ID: the id is in the truncindex; any unique prefix finds it")
	for _, prefix := range []string{childID[:4], childID[:12]} {
		img, err := g.Get(prefix)
		if err != nil {
			return err
		}
		fmt.Fprintf(out, "  Get(%q) → %s\n", prefix, short(img.ID))
	}

	store, err := graph.NewTagStore(filepath.Join(root, "repositories-"+driver.String()), g)
	if err != nil {
		return err
	}
	if err := store.Set("chapter10", "latest", childID, false); err != nil {
		return err
	}
	data, err := os.ReadFile(filepath.Join(root, "repositories-"+driver.String()))
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "### the names: repositories-%s = %s\n", driver, short(string(data)))

	fmt.Fprintln(out, "### Delete(child), Delete(base): the graph directory and the driver's layers go")
	for _, id := range []string{childID, baseID} {
		if err := g.Delete(id); err != nil {
			return err
		}
	}
	printTree(out, filepath.Join(root, driver.String()))
	return nil
}

type entry struct{ name, content string }

// tarOf is a layer: names ending in "/" are directories.
func tarOf(entries ...entry) io.Reader {
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	for _, e := range entries {
		hdr := &tar.Header{Name: e.name, Mode: 0644, Size: int64(len(e.content)), Typeflag: tar.TypeReg}
		if strings.HasSuffix(e.name, "/") {
			hdr.Typeflag, hdr.Mode, hdr.Size = tar.TypeDir, 0755, 0
		}
		tw.WriteHeader(hdr)
		tw.Write([]byte(e.content))
	}
	tw.Close()
	return &buf
}

// printTree lists dir's files (ids shortened), one per line, with sizes.
func printTree(out io.Writer, dir string) {
	var lines []string
	filepath.WalkDir(dir, func(path string, e fs.DirEntry, err error) error {
		if err != nil || path == dir {
			return nil
		}
		rel, _ := filepath.Rel(dir, path)
		line := "  " + short(rel)
		if e.IsDir() {
			line += "/"
		} else if e.Type()&fs.ModeCharDevice != 0 {
			line += " (character device 0/0: overlayfs' whiteout, aufs wrote .wh.<name>)"
		} else if info, err := e.Info(); err == nil {
			line += fmt.Sprintf(" (%d bytes)", info.Size())
		}
		lines = append(lines, line)
		return nil
	})
	sort.Strings(lines)
	if len(lines) == 0 {
		lines = []string{"  (empty)"}
	}
	fmt.Fprintln(out, strings.Join(lines, "\n"))
}

// short writes the demo's two ids as their 12-digit short form.
func short(s string) string {
	s = strings.ReplaceAll(s, baseID, "<base:"+baseID[:12]+">")
	return strings.ReplaceAll(s, childID, "<child:"+childID[:12]+">")
}

func existsWord(path string) string {
	if _, err := os.Lstat(path); err == nil {
		return "present"
	}
	return "gone (the child's whiteout hides it)"
}
