// The demo's image: build/images/busybox.tar when `make images` made it,
// else a tiny layer built here: on the real kernel around the machine's
// static busybox (busybox-static), on the fake around a placeholder.
//
// Not upstream: dockerlab's teaching scaffolding. The fake recognises
// bin/busybox by its name (backend/fake/userland), so a placeholder file
// plus applet symlinks is a rootfs it can run; the real kernel needs the
// real binary.
package v01demo

import (
	"archive/tar"
	"bytes"
	"debug/elf"
	"fmt"
	"os"
)

// ImagePath is where `make images` leaves the busybox layer, relative to
// the repository's top directory (where `dockerlab chapter v0.1` is
// usually run). Tests point it elsewhere.
var ImagePath = "build/images/busybox.tar"

// placeholderApplets are the programs the demo and a curious reader need.
var placeholderApplets = []string{"sh", "echo", "sleep", "cat", "ls", "env", "hostname", "id", "ip", "true", "false", "grep"}

// StaticBusyboxCandidates are where the real kernel's fallback looks for
// a busybox when ImagePath is missing ("" entries are skipped). Tests
// point it elsewhere.
var StaticBusyboxCandidates = func() []string {
	return []string{os.Getenv("DOCKERLAB_BUSYBOX"), "/bin/busybox", "/usr/bin/busybox"}
}

// loadImage returns the layer to import and a line saying where it came
// from. The real kernel needs a real, statically linked busybox: the
// image, or the machine's busybox-static (so the demo also runs from a
// directory other than the repository's top).
func loadImage(backendName string) ([]byte, string, error) {
	data, err := os.ReadFile(ImagePath)
	if err == nil {
		return data, "the layer " + ImagePath, nil
	}
	if backendName != "fake" {
		bb, why := staticBusybox()
		if bb == "" {
			return nil, "", fmt.Errorf("the real kernel needs the busybox image %s (%v) or a static busybox (%s): build the image with `make images` in the repository's top directory and run the demo from there", ImagePath, err, why)
		}
		body, rerr := os.ReadFile(bb)
		if rerr != nil {
			return nil, "", rerr
		}
		data, err = busyboxLayer(string(body))
		return data, ImagePath + " is missing, so a layer built in memory around " + bb + ": bin/busybox + applet symlinks", err
	}
	data, err = busyboxLayer("placeholder: the fake kernel runs busybox by name\n")
	if err != nil {
		return nil, "", err
	}
	return data, ImagePath + " is missing (`make images` builds it), so a placeholder layer built in memory: bin/busybox + applet symlinks, enough for the fake", nil
}

// staticBusybox returns the first candidate that is a statically linked
// ELF file (a dynamic one would not find its libc inside the container),
// or "" and why none fits.
func staticBusybox() (string, string) {
	why := "none at " + fmt.Sprint(StaticBusyboxCandidates())
	for _, p := range StaticBusyboxCandidates() {
		if p == "" {
			continue
		}
		f, err := elf.Open(p)
		if err != nil {
			continue
		}
		dynamic := false
		for _, prog := range f.Progs {
			if prog.Type == elf.PT_INTERP {
				dynamic = true
			}
		}
		f.Close()
		if dynamic {
			why = p + " is dynamically linked: apt-get install busybox-static"
			continue
		}
		return p, ""
	}
	return "", why
}

// busyboxLayer is a tarball of bin/busybox (holding busybox, the real
// binary or a placeholder), one symlink per applet, /etc/passwd and /tmp.
func busyboxLayer(busybox string) ([]byte, error) {
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	add := func(hdr *tar.Header, body string) error {
		hdr.Size = int64(len(body))
		if err := tw.WriteHeader(hdr); err != nil {
			return err
		}
		_, err := tw.Write([]byte(body))
		return err
	}
	dir := func(name string) *tar.Header { return &tar.Header{Name: name, Typeflag: tar.TypeDir, Mode: 0755} }
	headers := []struct {
		hdr  *tar.Header
		body string
	}{
		{dir("bin/"), ""},
		{&tar.Header{Name: "bin/busybox", Typeflag: tar.TypeReg, Mode: 0755}, busybox},
		{dir("etc/"), ""},
		{&tar.Header{Name: "etc/passwd", Typeflag: tar.TypeReg, Mode: 0644}, "root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65533:nobody:/:/bin/false\n"},
		{&tar.Header{Name: "tmp/", Typeflag: tar.TypeDir, Mode: 01777}, ""},
	}
	for _, h := range headers {
		if err := add(h.hdr, h.body); err != nil {
			return nil, err
		}
	}
	for _, applet := range placeholderApplets {
		if err := add(&tar.Header{Name: "bin/" + applet, Typeflag: tar.TypeSymlink, Linkname: "busybox", Mode: 0777}, ""); err != nil {
			return nil, err
		}
	}
	if err := tw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
