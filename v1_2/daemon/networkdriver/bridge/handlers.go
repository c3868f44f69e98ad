// The four jobs InitDriver registers: allocate_interface,
// release_interface, allocate_port and link.
//
// Upstream: daemon/networkdriver/bridge/driver.go at v1.2.0 (Allocate,
// Release, AllocatePort, LinkContainers). See docs/upstream/v1.2.0.md §3.1
// "Handlers".
// Book: ch.6 §6.5 (注册Handler: the four jobs InitDriver registers) and
// ch.7 §7.4 (container start: 为Docker container分配一个专属网卡, port
// publishing, links).
// Notes: 000 "注册Handler至Engine".
//
// Divergences (see docs/divergences.md): a missing container id, an
// unknown id in allocate_port, or a malformed "port/proto" made upstream
// panic; here each is a job error. release_interface forgets the container
// after releasing it, so a second release cannot free an address that has
// since gone to another container (upstream kept the stale entry).
package bridge

import (
	"errors"
	"net"
	"strings"

	"github.com/dockerlab/dockerlab/v1_2/daemon/networkdriver/ipallocator"
	"github.com/dockerlab/dockerlab/v1_2/daemon/networkdriver/portallocator"
	"github.com/dockerlab/dockerlab/v1_2/daemon/networkdriver/portmapper"
	"github.com/dockerlab/dockerlab/v1_2/engine"
	"github.com/dockerlab/dockerlab/v1_2/pkg/iptables"
)

// containerID is job.Args[0], or a usage error.
func containerID(job *engine.Job) (string, bool) {
	if len(job.Args) < 1 || job.Args[0] == "" {
		job.Errorf("Usage: %s CONTAINER_ID", job.Name)
		return "", false
	}
	return job.Args[0], true
}

// Allocate is "allocate_interface ID": an address on the bridge network,
// RequestedIP if the env names one. It prints an env with IP, Mask (hex,
// e.g. ffff0000), Gateway, Bridge and IPPrefixLen.
func Allocate(job *engine.Job) engine.Status {
	id, ok := containerID(job)
	if !ok {
		return engine.StatusErr
	}
	if bridgeNetwork == nil {
		return job.Errorf("network driver not initialised: run init_networkdriver first")
	}
	var (
		ip  *net.IP
		err error
	)
	if requested := job.Getenv("RequestedIP"); requested != "" {
		requestedIP := net.ParseIP(requested)
		if requestedIP == nil {
			return job.Errorf("invalid RequestedIP %q: not an IP address", requested)
		}
		ip, err = ipallocator.RequestIP(bridgeNetwork, &requestedIP)
	} else {
		ip, err = ipallocator.RequestIP(bridgeNetwork, nil)
	}
	if err != nil {
		return job.Error(err)
	}

	out := engine.Env{}
	out.Set("IP", ip.String())
	out.Set("Mask", bridgeNetwork.Mask.String())
	out.Set("Gateway", bridgeNetwork.IP.String())
	out.Set("Bridge", bridgeIface)
	size, _ := bridgeNetwork.Mask.Size()
	out.SetInt("IPPrefixLen", size)

	currentInterfaces.Set(id, &networkInterface{IP: *ip})

	if _, err := out.WriteTo(job.Stdout); err != nil {
		return job.Error(err)
	}
	return engine.StatusOK
}

// Release is "release_interface ID": unpublish its ports, free its
// address, forget it.
func Release(job *engine.Job) engine.Status {
	id, ok := containerID(job)
	if !ok {
		return engine.StatusErr
	}
	containerInterface := currentInterfaces.Get(id)
	if containerInterface == nil {
		return job.Errorf("No network information to release for %s", id)
	}
	currentInterfaces.Lock()
	mappings := containerInterface.PortMappings
	containerInterface.PortMappings = nil
	currentInterfaces.Unlock()
	for _, nat := range mappings {
		if err := portmapper.Unmap(nat); err != nil {
			job.Logf("Unable to unmap port %s: %s", nat, err)
		}
	}
	if err := ipallocator.ReleaseIP(bridgeNetwork, &containerInterface.IP); err != nil {
		job.Logf("Unable to release ip %s", err)
	}
	currentInterfaces.Delete(id)
	return engine.StatusOK
}

// AllocatePort is "allocate_port ID": publish ContainerPort/Proto of the
// container on HostIP:HostPort (HostPort 0: any free port; up to
// MaxAllocatedPortAttempts tries). It prints an env with HostIP and
// HostPort.
func AllocatePort(job *engine.Job) engine.Status {
	id, ok := containerID(job)
	if !ok {
		return engine.StatusErr
	}
	var (
		err           error
		ip            = defaultBindingIP
		hostIP        = job.Getenv("HostIP")
		hostPort      = job.GetenvInt("HostPort")
		containerPort = job.GetenvInt("ContainerPort")
		proto         = job.Getenv("Proto")
		network       = currentInterfaces.Get(id)
	)
	if network == nil {
		return job.Errorf("No network information for %s: allocate_interface first", id)
	}
	if hostIP != "" {
		ip = net.ParseIP(hostIP)
		if ip == nil {
			return job.Errorf("invalid HostIP %q: not an IP address", hostIP)
		}
	}

	var container net.Addr
	switch proto {
	case "tcp":
		container = &net.TCPAddr{IP: network.IP, Port: containerPort}
	case "udp":
		container = &net.UDPAddr{IP: network.IP, Port: containerPort}
	default:
		return job.Errorf("unsupported address type %s", proto)
	}

	// A dynamic port can be taken by someone else between the allocator
	// and the bind: try another one, a few times. An explicit port that
	// is taken will stay taken: stop at once.
	var host net.Addr
	for i := 0; i < MaxAllocatedPortAttempts; i++ {
		if host, err = portmapper.Map(container, ip, hostPort); err == nil {
			break
		}
		var allocerr portallocator.ErrPortAlreadyAllocated
		if errors.As(err, &allocerr) {
			if hostPort != 0 {
				job.Logf("Failed to bind %s for container address %s: %s", allocerr.IPPort(), container.String(), allocerr.Error())
				break
			}
			job.Logf("Failed to bind %s for container address %s. Trying another port.", allocerr.IPPort(), container.String())
		} else {
			job.Logf("Received an unexpected error during port allocation: %s", err.Error())
			break
		}
	}
	if err != nil {
		return job.Error(err)
	}

	currentInterfaces.Lock()
	network.PortMappings = append(network.PortMappings, host)
	currentInterfaces.Unlock()

	out := engine.Env{}
	switch netAddr := host.(type) {
	case *net.TCPAddr:
		out.Set("HostIP", netAddr.IP.String())
		out.SetInt("HostPort", netAddr.Port)
	case *net.UDPAddr:
		out.Set("HostIP", netAddr.IP.String())
		out.SetInt("HostPort", netAddr.Port)
	}
	if _, err := out.WriteTo(job.Stdout); err != nil {
		return job.Error(err)
	}
	return engine.StatusOK
}

// LinkContainers is "link -I|-D": with ParentIP, ChildIP and the child's
// exposed Ports ("80/tcp"), open (or close) the bridge between the two
// for exactly those ports, both directions. IgnoreErrors is set when
// tearing down links that may already be gone.
func LinkContainers(job *engine.Job) engine.Status {
	if len(job.Args) < 1 {
		return job.Errorf("Usage: %s -I|-A|-D", job.Name)
	}
	var (
		action       = job.Args[0]
		childIP      = job.Getenv("ChildIP")
		parentIP     = job.Getenv("ParentIP")
		ignoreErrors = job.GetenvBool("IgnoreErrors")
		ports        = job.GetenvList("Ports")
	)
	switch action {
	case "-I", "-A", string(iptables.Delete):
	default:
		return job.Errorf("link: unknown action %q: want -I, -A or -D", action)
	}
	for _, p := range ports {
		port, proto, ok := strings.Cut(p, "/")
		if !ok || port == "" || proto == "" {
			return job.Errorf("link: bad port %q: want PORT/PROTO, e.g. 80/tcp", p)
		}
		if output, err := iptables.Raw(action, "FORWARD",
			"-i", bridgeIface, "-o", bridgeIface,
			"-p", proto,
			"-s", parentIP,
			"--dport", port,
			"-d", childIP,
			"-j", "ACCEPT"); !ignoreErrors && err != nil {
			return job.Error(err)
		} else if len(output) != 0 {
			return job.Errorf("Error toggle iptables forward: %s", output)
		}

		if output, err := iptables.Raw(action, "FORWARD",
			"-i", bridgeIface, "-o", bridgeIface,
			"-p", proto,
			"-s", childIP,
			"--sport", port,
			"-d", parentIP,
			"-j", "ACCEPT"); !ignoreErrors && err != nil {
			return job.Error(err)
		} else if len(output) != 0 {
			return job.Errorf("Error toggle iptables forward: %s", output)
		}
	}
	return engine.StatusOK
}
