//go:build linux

// Leaving no mount behind: before a fixture's temporary directory is
// removed, anything still mounted under it (a container's rootfs, an
// overlay layer, when a daemon stopped without unmounting) is detached.
// Only paths under the directory the fixture made are touched.
package main

import (
	"bufio"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"golang.org/x/sys/unix"
)

// unmountUnder lazily unmounts every mount point under dir, deepest first.
func unmountUnder(dir string) {
	dir, err := filepath.Abs(dir)
	if err != nil || dir == "/" {
		return
	}
	f, err := os.Open("/proc/self/mountinfo")
	if err != nil {
		return
	}
	defer f.Close()
	var points []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		// Field 5 is the mount point (mountinfo(5)); spaces are \040.
		fields := strings.Fields(sc.Text())
		if len(fields) < 5 {
			continue
		}
		p := strings.ReplaceAll(fields[4], `\040`, " ")
		if strings.HasPrefix(p, dir+"/") || p == dir {
			points = append(points, p)
		}
	}
	sort.Slice(points, func(i, j int) bool { return len(points[i]) > len(points[j]) })
	for _, p := range points {
		unix.Unmount(p, unix.MNT_DETACH)
	}
}
