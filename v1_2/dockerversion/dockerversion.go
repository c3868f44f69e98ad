// Package dockerversion holds the build facts a Docker 1.2.0 binary
// carried: its version, the commit it was built from, and where its
// dockerinit lives.
//
// Upstream: dockerversion/dockerversion.go at v1.2.0 (GITCOMMIT, VERSION,
// IAMSTATIC, INITSHA1, INITPATH, whose values hack/make.sh filled in with
// -ldflags -X).
// Book: ch.3 §3.3.7 (the version line mainDaemon prints) and §4.9 (dockerinit
// for the execdriver).
//
// Divergence: dockerlab is one binary that rebuilds two Dockers, so these
// are constants of the reproduction rather than link-time values: VERSION
// is the release this package tree reproduces, GITCOMMIT the upstream tag's
// commit (fa7b24f), so that `docker version` against the daemon shows what
// a reader of the book expects.
package dockerversion

// The values the v1.2 daemon reports.
const (
	// VERSION is the Docker release reproduced here.
	VERSION = "1.2.0"
	// GITCOMMIT is the short commit of upstream's tag v1.2.0.
	GITCOMMIT = "fa7b24f"
	// APIVERSION is the Remote API version 1.2.0 served.
	APIVERSION = "1.14"
)

// INITPATH is where a packager could install dockerinit; upstream left it
// empty unless hack/make.sh set it, and so does dockerlab (the daemon
// copies its own binary instead: see daemon.copyDockerinit).
var INITPATH = ""
