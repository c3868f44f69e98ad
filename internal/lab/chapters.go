package lab

import (
	v01demo "github.com/dockerlab/dockerlab/chapters/00-v0.1"
	chapter03 "github.com/dockerlab/dockerlab/chapters/03-daemon"
	chapter04 "github.com/dockerlab/dockerlab/chapters/04-newdaemon"
	chapter06 "github.com/dockerlab/dockerlab/chapters/06-daemon-network"
	chapter11 "github.com/dockerlab/dockerlab/chapters/11-build"
	chapter12 "github.com/dockerlab/dockerlab/chapters/12-create"
	chapter13 "github.com/dockerlab/dockerlab/chapters/13-dockerinit"
	chapter14 "github.com/dockerlab/dockerlab/chapters/14-libcontainer"
	"github.com/dockerlab/dockerlab/lab"
)

// manifests are the chapter manifests compiled into dockerlab. A chapter
// that gets its first exercise adds one line here (docs/teaching.md,
// "Authors' guide").
var manifests = []*lab.Chapter{
	&v01demo.Lab,
	&chapter03.Lab,
	&chapter04.Lab,
	&chapter06.Lab,
	&chapter11.Lab,
	&chapter12.Lab,
	&chapter13.Lab,
	&chapter14.Lab,
}

// DefaultRegistry is the registry of every chapter manifest.
func DefaultRegistry() (*Registry, error) {
	return NewRegistry(manifests)
}
