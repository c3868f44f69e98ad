// Package docker is dockerlab's rebuild of Docker 0.1.0 (March 2013, tag
// v0.1.0, commit 57e2126): one Runtime, the lxcbr0 bridge, IP and port
// allocators that are channels pre-filled with every address and port, an
// iptables DOCKER chain, tags, container state, and the rcli server.
//
// Not upstream: the package's map; each file names its own original.
// Notes: 002 (docker-v0.1.0源码分析, the whole note).
//
// The package is named docker, not v0_1, because Docker 0.1.0's root
// package was package docker (import path github.com/dotcloud/docker) and
// the reader's note 002 calls its functions docker.NewRuntime,
// docker.SysInit and so on. Keeping the name
// lets a reader put this code and the 2013 code side by side; the directory
// is v0_1 so the two rebuilt releases sit next to each other.
//
// Files mirror upstream's: runtime.go (with runtime_containers.go),
// network.go, graph.go, image.go, changes.go, archive.go, tags.go,
// state.go, commands.go (with commands_containers.go), container.go,
// sysinit.go, lxc_template.go, and utils.go's pipes in broadcaster.go;
// rcli/ and auth/ are upstream's sub-packages. Ours: setup_bridge.go makes
// the lxcbr0 bridge that Ubuntu's lxc-net made in 2013, and container_rw.go
// rebuilds a container's own layer on the fake. Nothing here touches the
// kernel except through github.com/dockerlab/dockerlab/backend, so every
// mechanism runs on the real kernel and on the fake one.
package docker
