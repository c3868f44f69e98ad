// BuildSpec: container.json turned into the backend's ProcSpec — the
// moment where upstream's createCommand filled an exec.Cmd with
// Cloneflags from the namespaces map, and dockerinit (inside the new
// namespaces) set the hostname, mounted the rootfs and dropped to the user.
//
// Upstream: vendor/src/github.com/docker/libcontainer/namespaces/create.go at
// v1.2.0, vendor/src/github.com/docker/libcontainer/namespaces/exec.go at
// v1.2.0 (DefaultCreateCommand),
// vendor/src/github.com/docker/libcontainer/namespaces/init.go at v1.2.0,
// vendor/src/github.com/docker/libcontainer/namespaces/types_linux.go at
// v1.2.0, vendor/src/github.com/docker/libcontainer/mount/init.go at v1.2.0,
// vendor/src/github.com/docker/libcontainer/security/capabilities/capabilities.go
// at v1.2.0, vendor/src/github.com/docker/libcontainer/security/restrict/restrict.go
// at v1.2.0.
// See docs/upstream/v1.2.0.md §5.2.
// Book: ch.13 §13.3 (createCommand, namespace.exec) and §13.5 (mount
// namespace, namespace完成); ch.14 §14.3 namespace, 挂载, 其他.
// Notes: 003 "命名空间".
package namespaces

import (
	"fmt"
	"io"
	"sort"

	"github.com/dockerlab/dockerlab/backend"
	"github.com/dockerlab/dockerlab/v1_2/libcontainer"
	"github.com/dockerlab/dockerlab/v1_2/libcontainer/devices"
	"github.com/dockerlab/dockerlab/v1_2/libcontainer/network"
)

// Stdio is the container's standard streams.
type Stdio struct {
	Stdin          io.Reader
	Stdout, Stderr io.Writer
}

// BuildSpec returns the ProcSpec that starts args in container's
// namespaces with rootfs as "/". The cgroup and the network Setup hook
// are added by Exec.
func BuildSpec(container *libcontainer.Config, rootfs string, args []string, stdio Stdio) (backend.ProcSpec, error) {
	var spec backend.ProcSpec
	if container == nil {
		return spec, fmt.Errorf("libcontainer: no container config")
	}
	if len(args) == 0 || args[0] == "" {
		return spec, fmt.Errorf("libcontainer: no command to run")
	}
	ns, err := namespacesOf(container.Namespaces)
	if err != nil {
		return spec, err
	}
	spec = backend.ProcSpec{
		Args:       append([]string(nil), args...),
		Env:        append([]string(nil), container.Env...),
		Dir:        container.WorkingDir,
		Namespaces: ns,
		Rootfs:     rootfs,
		Stdin:      stdio.Stdin,
		Stdout:     stdio.Stdout,
		Stderr:     stdio.Stderr,
		Tty:        container.Tty,
	}
	if ns.UTS {
		spec.Hostname = container.Hostname
	}
	// FinalizeNamespace and Restrict: what the process keeps of root.
	spec.Confine = &backend.Confinement{
		Capabilities: append([]string{}, container.Capabilities...),
		RestrictSys:  container.RestrictSys,
	}
	if mc := container.MountConfig; mc != nil {
		spec.Confine.DeviceNodes = devices.ToBackend(mc.DeviceNodes)
		spec.ReadonlyRootfs = mc.ReadonlyFs
		for _, m := range mc.Mounts {
			if m.Type != "bind" {
				return spec, fmt.Errorf("libcontainer: mount of type %q on %s: only bind mounts are supported", m.Type, m.Destination)
			}
			spec.Mounts = append(spec.Mounts, backend.Mount{
				Type: backend.MountBind, Source: m.Source, Target: m.Destination, Readonly: !m.Writable,
			})
		}
	}
	// --net=container:<id>: join that container's namespace when the
	// process is created instead of making one.
	for _, n := range container.Networks {
		if n.Type != "netns" {
			continue
		}
		pid, err := network.NsPathPid(n.NsPath)
		if err != nil {
			return spec, err
		}
		spec.Namespaces.NET = false
		spec.NetNS = backend.NSPid(pid)
	}
	if container.User != "" {
		u, err := LookupUser(rootfs, container.User)
		if err != nil {
			return spec, err
		}
		spec.Uid, spec.Gid, spec.Groups = u.Uid, u.Gid, u.Groups
	}
	return spec, nil
}

// namespacesOf reads the namespaces map; a name it does not know is an
// error, not silently a shared namespace.
func namespacesOf(m map[string]bool) (backend.Namespaces, error) {
	var ns backend.Namespaces
	var unknown []string
	for name, on := range m {
		switch name {
		case libcontainer.NEWNS:
			ns.Mount = on
		case libcontainer.NEWUTS:
			ns.UTS = on
		case libcontainer.NEWIPC:
			ns.IPC = on
		case libcontainer.NEWPID:
			ns.PID = on
		case libcontainer.NEWNET:
			ns.NET = on
		default:
			unknown = append(unknown, name)
		}
	}
	if len(unknown) > 0 {
		sort.Strings(unknown)
		return ns, fmt.Errorf("libcontainer: unknown namespace %v (known: %v)", unknown, libcontainer.KnownNamespaces)
	}
	return ns, nil
}
