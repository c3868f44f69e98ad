// The image as data: a sorted list of entries (directory, file, symlink)
// that both writers — the directory and the tar archive — walk in the same
// order. Keeping it as plain data is what makes the output deterministic
// and the layout testable without touching the disk.
//
// The layout follows what a Docker 1.2 container expected to find (book
// ch.12 §12.4 setupContainerDns / Mount: /etc/hosts, /etc/hostname and
// /etc/resolv.conf are bind-mount targets, so they must exist as files),
// plus the FHS directories busybox's applets live in.
package main

import (
	"fmt"
	"os"
	"path"
	"path/filepath"
	"sort"
)

// EntryKind is what an entry is.
type EntryKind int

const (
	KindDir EntryKind = iota
	KindFile
	KindSymlink
)

// Entry is one path of the image, relative to its root ("bin/sh").
type Entry struct {
	Path   string
	Kind   EntryKind
	Mode   os.FileMode // permission bits (and sticky for /tmp)
	Data   []byte      // KindFile: the content, unless Source is set
	Source string      // KindFile: a host file to copy (the busybox binary)
	Target string      // KindSymlink: where it points
}

// The directories of the image. /tmp is world-writable and sticky, /root
// is private, everything else is the usual 0755.
var imageDirs = map[string]os.FileMode{
	"bin": 0o755, "dev": 0o755, "etc": 0o755, "home": 0o755, "proc": 0o555,
	"root": 0o700, "sbin": 0o755, "sys": 0o555, "tmp": 0o777 | os.ModeSticky,
	"usr": 0o755, "usr/bin": 0o755, "usr/sbin": 0o755, "var": 0o755,
	"var/log": 0o755, "var/run": 0o755, "var/tmp": 0o777 | os.ModeSticky,
}

// The accounts busybox's login, su, id and ps look up. nobody/nogroup is
// 65534 as on Debian.
const passwd = `root:x:0:0:root:/root:/bin/sh
daemon:x:1:1:daemon:/usr/sbin:/bin/false
bin:x:2:2:bin:/bin:/bin/false
sys:x:3:3:sys:/dev:/bin/false
nobody:x:65534:65534:nobody:/nonexistent:/bin/false
`

const group = `root:x:0:
daemon:x:1:
bin:x:2:
sys:x:3:
tty:x:5:
nogroup:x:65534:
`

// busyboxImage lays out the image: directories, /etc files, bin/busybox
// and one relative symlink per applet. Relative targets ("busybox",
// "../../bin/busybox")
// keep the links inside the rootfs when they are followed from the host,
// which is how the fake backend's os.Root reads them.
func busyboxImage(busybox string, applets []string) ([]Entry, error) {
	byPath := map[string]Entry{}
	add := func(e Entry) error {
		if old, ok := byPath[e.Path]; ok && (old.Kind != KindDir || e.Kind != KindDir) {
			return fmt.Errorf("two entries for %s", e.Path)
		}
		byPath[e.Path] = e
		return nil
	}
	for d, mode := range imageDirs {
		add(Entry{Path: d, Kind: KindDir, Mode: mode})
	}
	files := map[string]string{
		"etc/passwd": passwd, "etc/group": group,
		"etc/hostname": "", "etc/hosts": "", "etc/resolv.conf": "",
	}
	for p, data := range files {
		add(Entry{Path: p, Kind: KindFile, Mode: 0o644, Data: []byte(data)})
	}
	if err := add(Entry{Path: "bin/busybox", Kind: KindFile, Mode: 0o755, Source: busybox}); err != nil {
		return nil, err
	}
	for _, a := range applets {
		// Parent directories an applet needs but imageDirs lacks.
		for d := path.Dir(a); d != "."; d = path.Dir(d) {
			if _, ok := byPath[d]; !ok {
				add(Entry{Path: d, Kind: KindDir, Mode: 0o755})
			}
		}
		if _, taken := byPath[a]; taken {
			continue // never let an applet name replace /etc/passwd and co.
		}
		target, err := filepath.Rel(path.Dir(a), "bin/busybox")
		if err != nil {
			return nil, err
		}
		add(Entry{Path: a, Kind: KindSymlink, Mode: 0o777, Target: target})
	}

	img := make([]Entry, 0, len(byPath))
	for _, e := range byPath {
		img = append(img, e)
	}
	// Lexical order puts every directory before its contents.
	sort.Slice(img, func(i, j int) bool { return img[i].Path < img[j].Path })
	return img, nil
}
