// Network namespaces: the root one, named ones (`ip netns add`) and the
// anonymous ones of container processes (clone(CLONE_NEWNET)) (docs/design.md
// "The backend"; reference docs/kernels.md §3 netns and
// §6; book ch.14 §14.3 namespaces; note 003 network namespace).
package fake

import (
	"sort"
	"strconv"
	"strings"
	"syscall"

	"github.com/dockerlab/dockerlab/backend"
)

// netHandle is a backend.Net: a Kernel plus the key of one namespace.
type netHandle struct {
	k      *Kernel
	key    string
	caller int // a simulated process's handle: its pid, whose CAP_NET_ADMIN every change needs
}

// refKey turns an NSRef into a namespace key; "pid:N" is the anonymous
// namespace a process made, but a pid that joined another namespace
// resolves to that one.
func (m *machine) refKey(ref backend.NSRef) (string, error) {
	if ref.Pid != 0 {
		p, ok := m.Procs[ref.Pid]
		if !ok {
			return "", backend.Errorf(backend.ErrNotFound, syscall.ESRCH, "netns", ref.String(), "no such process")
		}
		return p.NetNS, nil
	}
	if _, ok := m.Namespaces[ref.Name]; !ok {
		return "", backend.Errorf(backend.ErrNotFound, syscall.ENOENT, "netns", ref.Name, "no such network namespace")
	}
	return ref.Name, nil
}

// keyRef is refKey's inverse, for Ref() and Link.PeerNetNS.
func keyRef(key string) backend.NSRef {
	if pid, ok := strings.CutPrefix(key, "pid:"); ok {
		n, _ := strconv.Atoi(pid)
		return backend.NSPid(n)
	}
	return backend.NSName(key)
}

// ns returns the handle's namespace, or ENOENT once it was destroyed.
func (h *netHandle) ns(m *machine) (*netns, error) {
	ns, ok := m.Namespaces[h.key]
	if !ok {
		return nil, backend.Errorf(backend.ErrNotFound, syscall.ENOENT, "netns", keyRef(h.key).String(), "network namespace is gone")
	}
	return ns, nil
}

// with runs fn on the handle's namespace inside a machine update.
func (h *netHandle) with(op string, fn func(m *machine, ns *netns) error) error {
	return h.k.update(op, func(m *machine) error {
		ns, err := h.ns(m)
		if err != nil {
			return err
		}
		if h.caller != 0 {
			if rec, ok := m.Procs[h.caller]; !ok || !rec.capable("NET_ADMIN") {
				return eperm(op, keyRef(h.key).String())
			}
		}
		return fn(m, ns)
	})
}

// read is with for operations that change nothing.
func (h *netHandle) read(op string, fn func(m *machine, ns *netns) error) error {
	return h.k.view(op, func(m *machine) error {
		ns, err := h.ns(m)
		if err != nil {
			return err
		}
		return fn(m, ns)
	})
}

func (h *netHandle) Ref() backend.NSRef { return keyRef(h.key) }

// Root is the machine's root network namespace.
func (k *Kernel) Root() backend.Net { return &netHandle{k: k, key: ""} }

// NetNS returns a handle on an existing namespace.
func (k *Kernel) NetNS(ref backend.NSRef) (backend.Net, error) {
	var key string
	err := k.view("NetNS", func(m *machine) error {
		var err error
		key, err = m.refKey(ref)
		return err
	})
	if err != nil {
		return nil, err
	}
	return &netHandle{k: k, key: key}, nil
}

// validNSName checks a name the way `ip netns add` would accept it as a
// file name under /run/netns; ':' is reserved for anonymous keys.
func validNSName(name string) error {
	if name == "" || name == "." || name == ".." || strings.ContainsAny(name, "/:\x00") {
		return backend.Errorf(backend.ErrInvalid, syscall.EINVAL, "netns add", name, "invalid namespace name %q", name)
	}
	return nil
}

// NewNetNS makes a named namespace with only lo, down.
func (k *Kernel) NewNetNS(name string) (backend.Net, error) {
	if err := validNSName(name); err != nil {
		return nil, err
	}
	err := k.update("NewNetNS", func(m *machine) error {
		if _, ok := m.Namespaces[name]; ok {
			return backend.Errorf(backend.ErrExists, syscall.EEXIST, "netns add", name, "")
		}
		m.newNamespace(name, 0)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &netHandle{k: k, key: name}, nil
}

// DeleteNetNS destroys a named namespace (see destroyNamespace).
func (k *Kernel) DeleteNetNS(name string) error {
	if err := validNSName(name); err != nil {
		return err
	}
	return k.update("DeleteNetNS", func(m *machine) error {
		if _, ok := m.Namespaces[name]; !ok {
			return backend.Errorf(backend.ErrNotFound, syscall.ENOENT, "netns delete", name, "")
		}
		m.destroyNamespace(name)
		return nil
	})
}

// ListNetNS lists named namespaces, sorted.
func (k *Kernel) ListNetNS() ([]string, error) {
	var names []string
	err := k.view("ListNetNS", func(m *machine) error {
		for key := range m.Namespaces {
			if key != "" && !strings.HasPrefix(key, "pid:") {
				names = append(names, key)
			}
		}
		return nil
	})
	sort.Strings(names)
	return names, err
}

// destroyNamespace is what the kernel does when the last reference to a
// namespace goes: its veths are deleted, so their peers in other
// namespaces disappear too; everything else in it vanishes with it. (A real
// kernel moves physical devices back to the init namespace; containers in
// the fake never hold one.)
func (m *machine) destroyNamespace(key string) {
	ns, ok := m.Namespaces[key]
	if !ok {
		return
	}
	for _, l := range ns.Links {
		if l.Kind == backend.KindVeth {
			m.deletePeer(l)
		}
	}
	delete(m.Namespaces, key)
}
