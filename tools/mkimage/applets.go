// The applet list: which names busybox answers to. Busybox decides what to
// do from argv[0], so a rootfs gets one symlink per applet pointing at the
// one binary — exactly what `busybox --install -s` would do inside a
// running container. We ask the binary itself on the build machine (it is
// static, so it runs anywhere on the same architecture).
package main

import (
	"fmt"
	"os/exec"
	"path"
	"sort"
	"strings"
)

// listApplets returns the rootfs-relative paths of busybox's applets, such
// as "bin/ls" and "usr/bin/awk". `--list-full` gives each applet's usual
// directory; a busybox built without it only has `--list`, and then every
// applet goes into bin/.
func listApplets(busybox string) ([]string, error) {
	out, err := exec.Command(busybox, "--list-full").Output()
	full := err == nil
	if !full {
		out, err = exec.Command(busybox, "--list").Output()
		if err != nil {
			return nil, fmt.Errorf("running %s --list: %w", busybox, err)
		}
	}
	return parseApplets(string(out), full)
}

// parseApplets turns busybox's listing into clean, sorted, unique relative
// paths, dropping anything that could escape the rootfs.
func parseApplets(listing string, full bool) ([]string, error) {
	seen := map[string]bool{}
	var paths []string
	for _, line := range strings.Split(listing, "\n") {
		name := strings.TrimSpace(line)
		if name == "" {
			continue
		}
		if !full {
			name = "bin/" + name
		}
		p := path.Clean(strings.TrimPrefix(name, "/"))
		if p == "." || strings.HasPrefix(p, "../") || p == ".." {
			return nil, fmt.Errorf("busybox listed an applet path outside the rootfs: %q", line)
		}
		if p == "bin/busybox" || seen[p] {
			continue
		}
		seen[p] = true
		paths = append(paths, p)
	}
	if len(paths) == 0 {
		return nil, fmt.Errorf("busybox listed no applets")
	}
	sort.Strings(paths)
	return paths, nil
}
