//go:build linux

// Host: the real machine, seen through its sandbox namespace (docs/design.md
// "The backend"; docs/architecture.md). It owns the root Net, the named
// namespaces under <RunDir>/netns, the cgroups under CgroupParent, the
// processes it started and the mounts it made.

package linux

import (
	"errors"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"syscall"

	"github.com/coreos/go-iptables/iptables"
	"github.com/dockerlab/dockerlab/backend"
)

// Host implements backend.Host on the running kernel.
type Host struct {
	opts Options
	root *Net
	cg   backend.Cgroups

	iptOnce sync.Once // the go-iptables handle, see goIPTables
	ipt     *iptables.IPTables
	iptErr  error

	mu     sync.Mutex
	named  map[string]*Net // open handles on named namespaces
	byPid  map[int]*Net    // open handles on processes' namespaces
	procs  []*process      // in start order
	mounts []backend.Mount
}

var _ backend.Host = (*Host)(nil)

// New opens (and if needed creates) the root namespace and the cgroup
// manager. With DefaultOptions the root is the sandbox /run/netns/dockerlab.
func New(opts Options) (*Host, error) {
	opts = opts.withDefaults()
	rootPath, rootName := "", ""
	fresh := false // a sandbox made just now
	switch {
	case opts.NetNSPath != "":
		rootPath = opts.NetNSPath
		if !isNSFile(rootPath) {
			return nil, backend.Errorf(backend.ErrNotFound, syscall.ENOENT, "open netns", rootPath, "not a network namespace file")
		}
	case opts.HostNetwork:
		// The machine's own namespace, on explicit request only.
		rootPath = "/proc/self/ns/net"
	default:
		if err := checkName(opts.SandboxName); err != nil {
			return nil, err
		}
		rootPath, rootName = SandboxPath(opts.SandboxName), opts.SandboxName
		fresh = !isNSFile(rootPath)
		if err := ensureNSFile(rootPath); err != nil {
			return nil, err
		}
	}
	_ = rootName
	cg, err := NewCgroups(opts.CgroupRoot, opts.CgroupMode, opts.CgroupParent)
	if err != nil {
		return nil, err
	}
	h := &Host{opts: opts, cg: cg, named: map[string]*Net{}, byPid: map[int]*Net{}}
	h.root, err = openNet(h, backend.NSRef{}, rootPath)
	if err != nil {
		return nil, err
	}
	if fresh {
		// The sandbox stands in for "the machine" the daemon runs on, and
		// every machine has lo up (the fake's fresh machine too): the
		// userland proxy and anything dialling 127.0.0.1 there need it.
		// A brand-new namespace has it down, so bring it up once, at birth.
		if err := h.root.LinkSetUp("lo"); err != nil {
			return nil, err
		}
	}
	return h, nil
}

// Name is "linux".
func (h *Host) Name() string { return "linux" }

// Root is the sandbox namespace (or NetNSPath, or the machine's own).
func (h *Host) Root() backend.Net { return h.root }

// Options returns the options the Host runs with, defaults filled in.
func (h *Host) Options() Options { return h.opts }

// Cgroups is the cgroup manager rooted at CgroupRoot/…/CgroupParent.
func (h *Host) Cgroups() backend.Cgroups { return h.cg }

func (h *Host) nsDir() string { return filepath.Join(h.opts.RunDir, "netns") }

// checkName refuses namespace names that are not a single path element.
func checkName(name string) error {
	if name == "" || name == "." || name == ".." || strings.ContainsAny(name, "/\x00") {
		return backend.Errorf(backend.ErrInvalid, syscall.EINVAL, "netns", name, "invalid namespace name %q", name)
	}
	return nil
}

// NetNS returns a handle on the root, a named namespace or a process's.
func (h *Host) NetNS(ref backend.NSRef) (backend.Net, error) {
	n, err := h.netNS(ref)
	if err != nil {
		return nil, err
	}
	return n, nil
}

func (h *Host) netNS(ref backend.NSRef) (*Net, error) {
	switch {
	case ref.Pid != 0:
		h.mu.Lock()
		n, ok := h.byPid[ref.Pid]
		h.mu.Unlock()
		if ok {
			return n, nil
		}
		// Only processes dockerlab started: NSPid(1) must not become a
		// handle on the machine's own namespace.
		if !h.startedPid(ref.Pid) {
			return nil, backend.Errorf(backend.ErrNotFound, syscall.ESRCH, "netns", ref.String(), "no running process %d started by dockerlab", ref.Pid)
		}
		path := "/proc/" + strconv.Itoa(ref.Pid) + "/ns/net"
		n, err := openNet(h, backend.NSRef{Pid: ref.Pid}, path)
		if err != nil {
			return nil, err
		}
		h.mu.Lock()
		defer h.mu.Unlock()
		if old, ok := h.byPid[ref.Pid]; ok {
			n.close()
			return old, nil
		}
		h.byPid[ref.Pid] = n
		return n, nil
	case ref.Name == "":
		return h.root, nil
	}
	if err := checkName(ref.Name); err != nil {
		return nil, err
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	if n, ok := h.named[ref.Name]; ok {
		return n, nil
	}
	path := filepath.Join(h.nsDir(), ref.Name)
	if !isNSFile(path) {
		return nil, backend.Errorf(backend.ErrNotFound, syscall.ENOENT, "netns", ref.Name, "no such network namespace")
	}
	n, err := openNet(h, backend.NSRef{Name: ref.Name}, path)
	if err != nil {
		return nil, err
	}
	h.named[ref.Name] = n
	return n, nil
}

// NewNetNS creates <RunDir>/netns/<name>: a namespace with only lo, down.
func (h *Host) NewNetNS(name string) (backend.Net, error) {
	if err := checkName(name); err != nil {
		return nil, err
	}
	path := filepath.Join(h.nsDir(), name)
	if isNSFile(path) {
		return nil, backend.Errorf(backend.ErrExists, syscall.EEXIST, "netns add", name, "")
	}
	if err := createNSFile(path); err != nil {
		return nil, err
	}
	return h.NetNS(backend.NSName(name))
}

// DeleteNetNS unpins a named namespace; the kernel then destroys it and
// the veths in it (their peers elsewhere go too).
func (h *Host) DeleteNetNS(name string) error {
	if err := checkName(name); err != nil {
		return err
	}
	h.mu.Lock()
	n, ok := h.named[name]
	delete(h.named, name)
	h.mu.Unlock()
	if ok {
		n.close() // outside h.mu: an operation on n may be waiting for h.mu
	}
	return removeNSFile(filepath.Join(h.nsDir(), name))
}

// ListNetNS lists the named namespaces, sorted.
func (h *Host) ListNetNS() ([]string, error) {
	entries, err := os.ReadDir(h.nsDir())
	if errors.Is(err, os.ErrNotExist) {
		return []string{}, nil
	}
	if err != nil {
		return nil, kernelErr("netns list", h.nsDir(), err)
	}
	names := []string{}
	for _, e := range entries {
		if isNSFile(filepath.Join(h.nsDir(), e.Name())) {
			names = append(names, e.Name())
		}
	}
	sort.Strings(names)
	return names, nil
}

// startedPid says whether pid is a live process this Host, or another
// dockerlab command with the same RunDir, started.
func (h *Host) startedPid(pid int) bool {
	h.mu.Lock()
	for _, p := range h.procs {
		if p.pid == pid && !p.exited() {
			h.mu.Unlock()
			return true
		}
	}
	h.mu.Unlock()
	for _, rec := range readRegistry(h.opts.RunDir) {
		if rec.Info.Pid == pid {
			return true
		}
	}
	return false
}

// knownNets is every namespace this Host can name: root, named, processes'.
func (h *Host) knownNets() []*Net {
	names, _ := h.ListNetNS()
	for _, name := range names {
		h.netNS(backend.NSName(name)) // opens and caches it
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	nets := []*Net{h.root}
	for _, n := range h.named {
		nets = append(nets, n)
	}
	for _, p := range h.procs {
		if p.ownNet && !p.exited() {
			if n, ok := h.byPid[p.pid]; ok {
				nets = append(nets, n)
			}
		}
	}
	return nets
}

// Close releases namespace handles. State (namespaces, links, rules,
// cgroups, running processes) stays, as on a real machine.
func (h *Host) Close() error {
	h.mu.Lock()
	nets := []*Net{h.root}
	for name, n := range h.named {
		nets = append(nets, n)
		delete(h.named, name)
	}
	for pid, n := range h.byPid {
		nets = append(nets, n)
		delete(h.byPid, pid)
	}
	h.mu.Unlock()
	for _, n := range nets {
		n.close() // outside h.mu: an operation on n may be waiting for h.mu
	}
	return nil
}
