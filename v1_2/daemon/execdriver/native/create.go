// createContainer: a Command from the daemon turned into a libcontainer
// Config — hostname, user, environment, the network of the chosen mode,
// capabilities or privileges, cgroup limits, volumes, labels.
//
// Upstream: daemon/execdriver/native/create.go at v1.2.0 (createContainer,
// createNetwork, setPrivileged, setCapabilities, setupCgroups, setupMounts,
// setupLabels). See docs/upstream/v1.2.0.md §5.2.
// Book: ch.13 §13.3 (the driver's part before namespace.exec) and ch.14
// §14.3 (其他: capabilities, devices, --privileged).
// Notes: 003 "Docker容器中的网络" (bridge, host, container, none).
package native

import (
	"fmt"
	"os"
	"strings"

	"github.com/dockerlab/dockerlab/v1_2/daemon/execdriver"
	"github.com/dockerlab/dockerlab/v1_2/daemon/execdriver/native/template"
	"github.com/dockerlab/dockerlab/v1_2/libcontainer"
	"github.com/dockerlab/dockerlab/v1_2/libcontainer/devices"
	"github.com/dockerlab/dockerlab/v1_2/libcontainer/network"
)

// createContainer builds c's container.json.
func (d *Driver) createContainer(c *execdriver.Command) (*libcontainer.Config, error) {
	if c == nil || c.ID == "" {
		return nil, fmt.Errorf("native: a command without a container id")
	}
	// Without a rootfs the process would see the machine's own files.
	if c.Rootfs == "" {
		return nil, fmt.Errorf("native: container %s has no rootfs (is it mounted?)", c.ID)
	}
	if st, err := os.Stat(c.Rootfs); err != nil || !st.IsDir() {
		return nil, fmt.Errorf("native: container %s: rootfs %s is not a directory", c.ID, c.Rootfs)
	}
	if c.Entrypoint == "" {
		return nil, fmt.Errorf("native: container %s has no command to run", c.ID)
	}
	container := template.New()

	container.Hostname = getEnv("HOSTNAME", c.Env)
	container.Tty = c.Tty
	container.User = c.User
	container.WorkingDir = c.WorkingDir
	container.Env = append([]string(nil), c.Env...)
	container.Cgroups.Name = c.ID
	container.Cgroups.AllowedDevices = c.AllowedDevices
	container.MountConfig.DeviceNodes = c.AutoCreatedDevices
	if c.AllowedDevices == nil {
		// A Command not filled by populateCommand (tests, older
		// callers) still gets libcontainer's defaults, never nothing.
		container.Cgroups.AllowedDevices = devices.DefaultAllowedDevices
	}
	if c.AutoCreatedDevices == nil {
		container.MountConfig.DeviceNodes = devices.DefaultAutoCreatedDevices
	}
	container.RestrictSys = true

	if err := d.createNetwork(container, c); err != nil {
		return nil, err
	}
	if c.Privileged {
		if err := d.setPrivileged(container); err != nil {
			return nil, err
		}
	} else {
		caps, err := execdriver.TweakCapabilities(container.Capabilities, c.CapAdd, c.CapDrop)
		if err != nil {
			return nil, err
		}
		container.Capabilities = caps
	}
	if r := c.Resources; r != nil {
		container.Cgroups.CpuShares = r.CpuShares
		container.Cgroups.Memory = r.Memory
		container.Cgroups.MemoryReservation = r.Memory
		container.Cgroups.MemorySwap = r.MemorySwap
		container.Cgroups.CpusetCpus = r.Cpuset
	}
	for _, m := range c.Mounts {
		container.MountConfig.Mounts = append(container.MountConfig.Mounts, libcontainer.Mount{
			Type: "bind", Source: m.Source, Destination: m.Destination, Writable: m.Writable, Private: m.Private,
		})
	}
	if l := c.Config["process_label"]; len(l) > 0 {
		container.ProcessLabel = l[0]
	}
	if l := c.Config["mount_label"]; len(l) > 0 {
		container.MountConfig.MountLabel = l[0]
	}
	if opts := c.Config["native"]; len(opts) > 0 {
		// Upstream's configuration.ParseConfiguration took keys like
		// "cgroups.cpu_shares=512" here; dockerlab does not.
		return nil, fmt.Errorf("native: driver options %q are not supported by dockerlab", strings.Join(opts, " "))
	}
	return container, nil
}

// setPrivileged lifts everything: every capability, every device (and
// the host's device nodes in /dev), /proc and /sys as the host has them.
// (Upstream also set the AppArmor profile "unconfined".)
func (d *Driver) setPrivileged(container *libcontainer.Config) error {
	container.Capabilities = append([]string(nil), execdriver.AllCapabilities...)
	container.Cgroups.AllowAllDevices = true
	container.Cgroups.AllowedDevices = nil
	nodes, err := devices.GetHostDeviceNodes(d.host)
	if err != nil {
		return err
	}
	container.MountConfig.DeviceNodes = nodes
	container.RestrictSys = false
	return nil
}

// createNetwork adds the networks of c's mode: host shares the machine's
// namespace; otherwise lo always, then a veth (bridge mode) or another
// container's namespace (container mode); none is lo alone.
func (d *Driver) createNetwork(container *libcontainer.Config, c *execdriver.Command) error {
	n := c.Network
	if n == nil {
		n = &execdriver.Network{} // --net=none
	}
	if n.HostNetworking {
		container.Namespaces[libcontainer.NEWNET] = false
		return nil
	}
	container.Networks = []*network.Network{{
		Type: "loopback", Address: "127.0.0.1/0", Gateway: "localhost", Mtu: n.Mtu,
	}}
	if i := n.Interface; i != nil {
		container.Networks = append(container.Networks, &network.Network{
			Type:       "veth",
			Bridge:     i.Bridge,
			VethPrefix: "veth",
			Address:    fmt.Sprintf("%s/%d", i.IPAddress, i.IPPrefixLen),
			Gateway:    i.Gateway,
			Mtu:        n.Mtu,
		})
	}
	if n.ContainerID != "" {
		pid, ok := d.activePid(n.ContainerID)
		if !ok {
			return fmt.Errorf("%s is not active", n.ContainerID)
		}
		container.Networks = append(container.Networks, &network.Network{
			Type: "netns", NsPath: fmt.Sprintf("/proc/%d/ns/net", pid),
		})
	}
	return nil
}

// getEnv is the value of key in env, "" when absent.
func getEnv(key string, env []string) string {
	for _, kv := range env {
		if v, ok := strings.CutPrefix(kv, key+"="); ok {
			return v
		}
	}
	return ""
}
