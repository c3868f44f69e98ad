// Package overlay stacks image layers with the kernel's overlayfs, the
// union file system that replaced AUFS in mainline kernels.
//
// Upstream: daemon/graphdriver/aufs/aufs.go at v1.2.0 (mnt/, diff/, layers/
// under the driver home). Docker 1.2.0 had no overlay driver; aufs was its
// union driver.
// Book: ch.10 §10.4 (路径 mnt/diff/layers, 挂载祖先镜像), ch.8 (union mount).
// Notes: 003 "联合文件系统" (a read-only stack of lower layers plus one
// writable upper layer).
//
// dockerlab keeps the aufs idea and names, on overlayfs
// (docs/divergences.md):
//
//	<home>/<id>/diff    the layer's own files        (aufs: diff/<id>)
//	<home>/<id>/lower   its parents, nearest first   (aufs: layers/<id>)
//	<home>/<id>/merged  where the stack is mounted   (aufs: mnt/<id>)
//	<home>/<id>/work    overlayfs' scratch directory (aufs had none)
//
// A base layer needs no mount: Get returns its diff directory. A layer
// with parents is mounted on first Get and unmounted at the last Put.
// Mounts go through the backend Host (graphdriver.SetHost); on the fake
// backend this driver refuses and the daemon falls back to vfs.
package overlay

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"

	"github.com/dockerlab/dockerlab/backend"
	"github.com/dockerlab/dockerlab/v1_2/daemon/graphdriver"
)

func init() {
	graphdriver.Register("overlay", Init)
}

// maxMountData is what the kernel accepts as mount(2)'s option string:
// one page, less a little room for "lowerdir=", "upperdir=", "workdir=".
const maxMountData = 4096 - 64

// Driver is the overlay driver.
type Driver struct {
	home string
	host backend.Host

	mu     sync.Mutex
	active map[string]int // layer id -> Gets not yet Put (mounted while > 0)
}

// Init checks that this machine can do overlay and makes the driver.
func Init(home string, options []string) (graphdriver.Driver, error) {
	h := graphdriver.CurrentHost()
	if h == nil {
		return nil, fmt.Errorf("overlay: no backend host to mount on (graphdriver.SetHost was not called): %w", graphdriver.ErrNotSupported)
	}
	if h.Name() != "linux" {
		return nil, fmt.Errorf("overlay needs the linux backend; the %s backend cannot stack layers, so vfs copies them instead: %w",
			h.Name(), graphdriver.ErrNotSupported)
	}
	if !kernelHasOverlay() {
		return nil, fmt.Errorf("overlay: this kernel does not list overlay in /proc/filesystems (try modprobe overlay): %w", graphdriver.ErrPrerequisites)
	}
	if err := os.MkdirAll(home, 0700); err != nil {
		return nil, err
	}
	if onOverlay(home) {
		// The upper directory of an overlay mount cannot itself be on
		// overlayfs (e.g. dockerlab inside a container).
		return nil, fmt.Errorf("overlay: %s is on overlayfs, which cannot hold upper layers: %w", home, graphdriver.ErrIncompatibleFS)
	}
	d := &Driver{home: home, host: h, active: map[string]int{}}
	d.unmountLeftovers()
	return d, nil
}

// unmountLeftovers takes down the merged mounts an earlier daemon left
// under home. A new driver holds no mount, so any layer's merged
// directory that is still a mount point belongs to a daemon that died
// (kill -9) between a Get and its Put — a start or a commit cut short.
// Divergence: Docker 1.2's aufs driver left such mounts until a reboot,
// and they outlived even a later clean stop (docs/divergences.md
// "Restore reconciles what a killed daemon left"). Unmount fails where
// nothing is mounted; a directory mounted over twice is unmounted twice.
func (d *Driver) unmountLeftovers() {
	entries, _ := os.ReadDir(d.home)
	for _, e := range entries {
		merged := filepath.Join(d.dir(e.Name()), "merged")
		for i := 0; i < 8 && d.host.Unmount(merged) == nil; i++ {
		}
	}
}

func (d *Driver) String() string { return "overlay" }

// Status is the driver's lines for `docker info`.
func (d *Driver) Status() [][2]string {
	entries, _ := os.ReadDir(d.home)
	d.mu.Lock()
	mounted := len(d.active)
	d.mu.Unlock()
	return [][2]string{
		{"Backing Filesystem", "overlayfs (lowerdir/upperdir/workdir)"},
		{"Layers", strconv.Itoa(len(entries))},
		{"Mounted", strconv.Itoa(mounted)},
	}
}

func (d *Driver) dir(id string) string { return filepath.Join(d.home, id) }

// Exists reports whether the layer was created.
func (d *Driver) Exists(id string) bool {
	if graphdriver.CheckID("overlay exists", id) != nil {
		return false
	}
	fi, err := os.Stat(filepath.Join(d.dir(id), "diff"))
	return err == nil && fi.IsDir()
}

// Create makes the layer's directories and records its parents.
func (d *Driver) Create(id, parent string) (err error) {
	const op = "overlay create"
	if err := graphdriver.CheckID(op, id); err != nil {
		return err
	}
	if d.Exists(id) {
		return graphdriver.LayerExists(op, id)
	}
	var lowers []string
	if parent != "" {
		if !d.Exists(parent) {
			return graphdriver.NoSuchLayer(op, parent)
		}
		parentLowers, err := d.lowers(parent)
		if err != nil {
			return err
		}
		lowers = append([]string{parent}, parentLowers...)
	}
	if err := os.MkdirAll(d.home, 0700); err != nil {
		return err
	}
	if err := os.Mkdir(d.dir(id), 0700); err != nil {
		return err
	}
	defer func() {
		if err != nil {
			os.RemoveAll(d.dir(id))
		}
	}()
	for _, sub := range []string{"diff", "work", "merged"} {
		if err := os.Mkdir(filepath.Join(d.dir(id), sub), 0755); err != nil {
			return err
		}
	}
	if len(lowers) == 0 {
		return nil
	}
	return os.WriteFile(filepath.Join(d.dir(id), "lower"), []byte(strings.Join(lowers, "\n")+"\n"), 0600)
}

// lowers reads a layer's parent chain, nearest parent first.
func (d *Driver) lowers(id string) ([]string, error) {
	f, err := os.Open(filepath.Join(d.dir(id), "lower"))
	if os.IsNotExist(err) {
		return nil, nil // a base layer
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var ids []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if line := strings.TrimSpace(sc.Text()); line != "" {
			ids = append(ids, line)
		}
	}
	return ids, sc.Err()
}

// Get returns the layer's view: its diff directory for a base layer,
// otherwise the overlay of diff on its parents' diff directories.
func (d *Driver) Get(id, mountLabel string) (string, error) {
	const op = "overlay get"
	if err := graphdriver.CheckID(op, id); err != nil {
		return "", err
	}
	if !d.Exists(id) {
		return "", graphdriver.NoSuchLayer(op, id)
	}
	lowers, err := d.lowers(id)
	if err != nil {
		return "", err
	}
	if len(lowers) == 0 {
		return filepath.Join(d.dir(id), "diff"), nil
	}
	merged := filepath.Join(d.dir(id), "merged")
	d.mu.Lock()
	defer d.mu.Unlock()
	if n, mounted := d.active[id]; mounted {
		// n may be 0: a Put whose unmount the kernel refused (busy)
		// leaves the layer mounted and recorded (unmountLocked).
		d.active[id] = n + 1
		return merged, nil
	}
	m := backend.Mount{
		Type:   backend.MountOverlay,
		Source: filepath.Join(d.dir(id), "diff"),
		Work:   filepath.Join(d.dir(id), "work"),
		Target: merged,
	}
	optLen := 0
	for _, l := range lowers {
		m.Lower = append(m.Lower, filepath.Join(d.dir(l), "diff"))
		optLen += len(m.Lower[len(m.Lower)-1]) + 1
	}
	if optLen+len(m.Source)+len(m.Work) > maxMountData {
		// Upstream's aufs added branches one by one after mounting; an
		// overlay mount takes all lower directories in one option string,
		// which the kernel caps at one page.
		return "", fmt.Errorf("overlay: layer %s has %d parents; their paths exceed the kernel's %d-byte limit for mount options (put the graph root on a shorter path)",
			id, len(lowers), maxMountData)
	}
	if err := d.host.Mount(m); err != nil {
		return "", fmt.Errorf("overlay: mounting layer %s: %w", id, err)
	}
	d.active[id] = 1
	return merged, nil
}

// Put unmounts the layer when its last user is done.
func (d *Driver) Put(id string) {
	d.mu.Lock()
	defer d.mu.Unlock()
	n, mounted := d.active[id]
	if !mounted {
		return // a base layer, or an unbalanced Put: nothing is mounted
	}
	if n > 1 {
		d.active[id] = n - 1
		return
	}
	d.unmountLocked(id)
}

// unmountLocked unmounts the layer and forgets it. When the kernel says
// the mount is busy (a descriptor in it was inherited for a moment by a
// child being forked), the layer stays recorded as mounted with no user,
// so that the next Put, Remove or Cleanup tries again instead of leaving
// a mount nobody knows about (which would make Remove fail for ever).
func (d *Driver) unmountLocked(id string) error {
	err := d.host.Unmount(filepath.Join(d.dir(id), "merged"))
	if err == nil || errors.Is(err, backend.ErrInvalid) { // EINVAL: not mounted
		delete(d.active, id)
		return nil
	}
	d.active[id] = 0
	return err
}

// Remove unmounts the layer if needed and deletes its directories.
func (d *Driver) Remove(id string) error {
	const op = "overlay remove"
	if err := graphdriver.CheckID(op, id); err != nil {
		return err
	}
	if !d.Exists(id) {
		// A Remove the kernel interrupted (a busy mount point inside)
		// may have taken "diff" and left the rest; the caller's retry
		// must finish it.
		if fi, err := os.Stat(d.dir(id)); err != nil || !fi.IsDir() {
			return graphdriver.NoSuchLayer(op, id)
		}
	}
	d.mu.Lock()
	if _, mounted := d.active[id]; mounted {
		if err := d.unmountLocked(id); err != nil {
			d.mu.Unlock()
			return err
		}
	}
	d.mu.Unlock()
	return os.RemoveAll(d.dir(id))
}

// Cleanup unmounts every layer still mounted (daemon shutdown).
func (d *Driver) Cleanup() error {
	d.mu.Lock()
	defer d.mu.Unlock()
	var first error
	for id := range d.active {
		if err := d.unmountLocked(id); err != nil && first == nil {
			first = err
		}
	}
	return first
}
