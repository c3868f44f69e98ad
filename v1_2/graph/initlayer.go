// The init layer: every container gets a layer "<id>-init" between its
// image and its read-write layer.
//
// Upstream: graph/graph.go at v1.2.0 (SetupInitLayer).
// Book: ch.12 §12.3 (createRootfs).
// Notes: 001 "容器的创建".
//
// It holds empty mount points — files and
// directories the daemon bind-mounts over at start (/etc/hosts,
// /.dockerinit, ...) — so those mounts never write into the image or the
// container's own changes.
package graph

import (
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// initLayerEntries: path -> "dir", "file", or a symlink target.
var initLayerEntries = map[string]string{
	"/dev/pts":         "dir",
	"/dev/shm":         "dir",
	"/proc":            "dir",
	"/sys":             "dir",
	"/.dockerinit":     "file",
	"/.dockerenv":      "file",
	"/etc/resolv.conf": "file",
	"/etc/hosts":       "file",
	"/etc/hostname":    "file",
	"/dev/console":     "file",
	"/etc/mtab":        "/proc/mounts",
}

// SetupInitLayer fills initLayer with the mount points. A symlink on the
// way to one (left by the image) is removed first, so a mount can never be
// redirected outside the container's root.
func SetupInitLayer(initLayer string) error {
	paths := make([]string, 0, len(initLayerEntries))
	for p := range initLayerEntries {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	for _, p := range paths {
		kind := initLayerEntries[p]
		prev := initLayer
		for _, part := range strings.Split(p, "/")[1:] {
			prev = filepath.Join(prev, part)
			if fi, err := os.Lstat(prev); err == nil && fi.Mode()&os.ModeSymlink != 0 {
				if err := os.Remove(prev); err != nil {
					return err
				}
			}
		}
		full := filepath.Join(initLayer, p)
		if _, err := os.Lstat(full); err == nil {
			continue
		} else if !os.IsNotExist(err) {
			return err
		}
		if err := os.MkdirAll(filepath.Dir(full), 0755); err != nil {
			return err
		}
		switch kind {
		case "dir":
			if err := os.MkdirAll(full, 0755); err != nil {
				return err
			}
		case "file":
			f, err := os.OpenFile(full, os.O_CREATE, 0755)
			if err != nil {
				return err
			}
			f.Close()
		default:
			if err := os.Symlink(kind, full); err != nil {
				return err
			}
		}
	}
	return nil
}
