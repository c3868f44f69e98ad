// Config: what a container is created with.
//
// This file will reproduce container.go of Docker v0.1.0 (commit 57e2126);
// for now it holds only Config, because every image's json embeds the
// config of the container it was committed from ("container_config").
// Containers themselves (Create, Start, lxc-start, monitor) arrive with the
// next part of issue 3. Reader's notes 002, section "run" (ParseRun 生成Config).
// Reference: shared/reference/upstream-v0_1.md §6, §7 (the image json).
package docker

// Config is 0.1.0's container configuration. Its fields have no json
// tags, so an image's json shows them with these exact names
// ("Hostname", "Cmd", …), as in 2013.
type Config struct {
	Hostname   string
	User       string
	Memory     int64 // bytes
	MemorySwap int64
	Detach     bool
	Ports      []int
	Tty        bool // attach a pseudo-terminal
	OpenStdin  bool // keep stdin open even when nothing is attached
	Env        []string
	Cmd        []string
	Image      string // the name the user gave, before lookup
}

// Container is, for now, only what Graph.Create reads from a container
// when committing it: its id, the image it was made from, its config.
// container.go grows the rest with the next part of issue 3.
type Container struct {
	Id     string
	Image  string // the image id
	Config *Config
}
