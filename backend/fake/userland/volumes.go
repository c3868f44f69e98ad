// Volumes: host directories (or files) bind-mounted into the container,
// `docker run -v` (book ch.12 §12.4 prepareVolumesForContainer and
// setupMountsForContainer; note 003 §挂载点; backend.ProcSpec.Mounts).
// The fake kernel offers them through the optional System method Volumes.
// Here each becomes an *os.Root of its own, and fsys (rootfs.go) sends
// every path at or under a mount target to it, as the kernel's mount table
// would: ".." and symlinks are still resolved in the container's tree.
package userland

import (
	"os"
	"path"
	"path/filepath"
	"strings"
	"sync"

	"github.com/dockerlab/dockerlab/backend"
)

// volumeSys is the optional System method the fake kernel implements.
type volumeSys interface {
	Volumes() []backend.Mount
}

// mountPoint is one volume in a process's view.
type mountPoint struct {
	target   string   // clean absolute container path
	root     *os.Root // the source directory, or the directory holding a source file
	file     string   // for a file mount: the file's name in root
	readonly bool
}

// loc is where a resolved container path lives: a root and a name in it.
type loc struct {
	root     *os.Root
	rel      string
	readonly bool
}

// locate maps a clean absolute container path onto the rootfs or the
// volume with the longest target that contains it.
func (f fsys) locate(abs string) loc {
	for _, m := range f.mounts {
		rest, ok := under(abs, m.target)
		if !ok {
			continue
		}
		if m.file != "" {
			return loc{root: m.root, rel: path.Join(m.file, rest), readonly: m.readonly}
		}
		return loc{root: m.root, rel: rootRel(rest), readonly: m.readonly}
	}
	return loc{root: f.root, rel: rootRel(abs)}
}

// under says whether abs is target or below it, and what follows.
func under(abs, target string) (string, bool) {
	if target == "/" {
		return abs, true
	}
	if abs == target {
		return "", true
	}
	if strings.HasPrefix(abs, target+"/") {
		return abs[len(target):], true
	}
	return "", false
}

// rootRel turns a clean absolute path into the name os.Root wants:
// relative, "." for the top.
func rootRel(abs string) string {
	rel := strings.TrimPrefix(path.Clean("/"+abs), "/")
	if rel == "" {
		return "."
	}
	return rel
}

// volumeRoots keeps one open *os.Root per source directory, shared by
// every process: opening them for each applet would cost a descriptor per
// command. The kernel holds an entry for each process that has the volume
// (RetainVolumes at its start, ReleaseVolumes at its end), and the last
// release closes it: a container's resolv.conf directory, removed with
// the container, must not stay open in the daemon for ever. An entry is
// reopened when its directory was replaced.
var volumeRoots struct {
	sync.Mutex
	m map[string]*volumeRoot
}

type volumeRoot struct {
	root *os.Root
	refs int // processes holding it (RetainVolumes)
}

func openVolumeRoot(dir string) (*os.Root, error) {
	volumeRoots.Lock()
	defer volumeRoots.Unlock()
	return openVolumeRootLocked(dir)
}

func openVolumeRootLocked(dir string) (*os.Root, error) {
	if volumeRoots.m == nil {
		volumeRoots.m = map[string]*volumeRoot{}
	}
	v, ok := volumeRoots.m[dir]
	if ok {
		a, err1 := os.Stat(dir)
		b, err2 := v.root.Stat(".")
		if err1 == nil && err2 == nil && os.SameFile(a, b) {
			return v.root, nil
		}
		v.root.Close()
	} else {
		v = &volumeRoot{}
		volumeRoots.m[dir] = v
	}
	r, err := os.OpenRoot(dir)
	if err != nil {
		delete(volumeRoots.m, dir)
		return nil, err
	}
	v.root = r
	return r, nil
}

// volumeDir is the directory a mount's root is opened on: the source, or
// the directory holding a source file.
func volumeDir(m backend.Mount) string {
	if info, err := os.Stat(m.Source); err == nil && !info.IsDir() {
		return filepath.Dir(m.Source)
	}
	return m.Source
}

// RetainVolumes is called by the kernel when a process with these bind
// mounts starts: their roots stay open while it runs.
func RetainVolumes(ms []backend.Mount) {
	eachVolumeDir(ms, func(dir string) {
		if _, err := openVolumeRootLocked(dir); err == nil {
			volumeRoots.m[dir].refs++
		}
	})
}

// ReleaseVolumes is called when that process has ended; the last release
// of a directory closes its root.
func ReleaseVolumes(ms []backend.Mount) {
	eachVolumeDir(ms, func(dir string) {
		if v, ok := volumeRoots.m[dir]; ok {
			if v.refs--; v.refs <= 0 {
				v.root.Close()
				delete(volumeRoots.m, dir)
			}
		}
	})
}

// eachVolumeDir runs f, under the cache's lock, for each mount's root
// directory.
func eachVolumeDir(ms []backend.Mount, f func(dir string)) {
	volumeRoots.Lock()
	defer volumeRoots.Unlock()
	for _, m := range ms {
		if m.Source != "" {
			f(volumeDir(m))
		}
	}
}

// volumesOf asks the kernel for the caller's volumes. A source that
// cannot be opened is left out: its target then shows the rootfs's
// directory, as an unmounted one would.
func volumesOf(sys System) []mountPoint {
	vs, ok := sys.(volumeSys)
	if !ok {
		return nil
	}
	var out []mountPoint
	for _, m := range vs.Volumes() {
		if m.Source == "" || m.Target == "" {
			continue
		}
		mp := mountPoint{target: path.Clean("/" + m.Target), readonly: m.Readonly}
		dir := volumeDir(m)
		if dir != m.Source {
			mp.file = filepath.Base(m.Source)
		}
		r, err := openVolumeRoot(dir)
		if err != nil {
			continue
		}
		mp.root = r
		out = append(out, mp)
	}
	// Longest target first, so that nested mounts win; among equal
	// targets the later mount hides the earlier, as on Linux.
	for i := 1; i < len(out); i++ {
		for j := i; j > 0 && len(out[j].target) >= len(out[j-1].target); j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out
}
