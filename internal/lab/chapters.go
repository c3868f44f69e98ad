package lab

import (
	chapter04 "github.com/dockerlab/dockerlab/chapters/04-newdaemon"
	"github.com/dockerlab/dockerlab/lab"
)

// manifests are the chapter manifests compiled into dockerlab. A chapter
// that gets its first exercise adds one line here (docs/teaching.md,
// "Authors' guide").
var manifests = []*lab.Chapter{
	&chapter04.Lab,
}

// DefaultRegistry is the registry of every chapter manifest.
func DefaultRegistry() (*Registry, error) {
	return NewRegistry(manifests)
}
