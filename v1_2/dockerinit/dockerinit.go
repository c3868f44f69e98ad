// Package dockerinit is what Docker 1.2's separate dockerinit binary was:
// a main that does nothing but hand over to reexec, so that the program
// registered under argv[0] runs — "native" for the native driver's
// containers, "/.dockerinit" for lxc's.
//
// Upstream: dockerinit/dockerinit.go at v1.2.0 (main; it imported the lxc and
// native drivers only for the names their init() functions register). See
// docs/upstream/v1.2.0.md §5.4.
// Book: ch.13 §13.2 (dockerinit与Daemon) and §13.4 (reexec.Init(), 执行流程).
//
// In dockerlab there is one binary: cmd/dockerlab's main calls
// reexec.Init() first, and the backend registers its init there
// (backend/linux: "dockerlab-init", and "native" — the argv[0] the native
// driver starts it under, as upstream). The daemon's copy of itself under
// <root>/init/dockerinit-1.2.0 (v1_2/daemon/dockerinit.go) is the
// sysInitPath the native driver names in its argv (see
// v1_2/daemon/execdriver/native/init.go and docs/divergences.md).
package dockerinit

import (
	"github.com/dockerlab/dockerlab/internal/reexec"

	// The linux backend registers "dockerlab-init", the container's
	// first program, as upstream's drivers registered "native".
	_ "github.com/dockerlab/dockerlab/backend/linux"
)

// Main is dockerinit's main: it reports whether argv[0] named a
// registered init (which then ran; it normally execs and never returns).
func Main() bool {
	return reexec.Init()
}
