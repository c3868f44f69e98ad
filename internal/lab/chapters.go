package lab

import (
	v01demo "github.com/dockerlab/dockerlab/chapters/00-v0.1"
	chapter01 "github.com/dockerlab/dockerlab/chapters/01-architecture"
	chapter02 "github.com/dockerlab/dockerlab/chapters/02-client"
	chapter03 "github.com/dockerlab/dockerlab/chapters/03-daemon"
	chapter04 "github.com/dockerlab/dockerlab/chapters/04-newdaemon"
	chapter05 "github.com/dockerlab/dockerlab/chapters/05-server"
	chapter06 "github.com/dockerlab/dockerlab/chapters/06-daemon-network"
	chapter07 "github.com/dockerlab/dockerlab/chapters/07-network"
	chapter08 "github.com/dockerlab/dockerlab/chapters/08-images"
	chapter09 "github.com/dockerlab/dockerlab/chapters/09-pull"
	chapter10 "github.com/dockerlab/dockerlab/chapters/10-image-storage"
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
	&chapter01.Lab,
	&chapter02.Lab,
	&chapter03.Lab,
	&chapter04.Lab,
	&chapter05.Lab,
	&chapter06.Lab,
	&chapter07.Lab,
	&chapter08.Lab,
	&chapter09.Lab,
	&chapter10.Lab,
	&chapter11.Lab,
	&chapter12.Lab,
	&chapter13.Lab,
	&chapter14.Lab,
}

// DefaultRegistry is the registry of every chapter manifest.
func DefaultRegistry() (*Registry, error) {
	return NewRegistry(manifests)
}
