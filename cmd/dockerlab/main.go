// Command dockerlab: Docker 0.1.0 and 1.2.0 rebuilt as small Go for readers
// of 《Docker源码分析》 (docs/design.md). The commands live in internal/cli; main
// only gives the re-exec registry its chance first, because this same
// binary is re-executed as a container's init (book ch.13 dockerinit启动).
package main

import (
	"os"

	"github.com/dockerlab/dockerlab/internal/cli"
	"github.com/dockerlab/dockerlab/internal/reexec"
)

func main() {
	if reexec.Init() {
		return
	}
	os.Exit(cli.Execute())
}
