// `dockerlab chapter N`: the runnable demo of a chapter of 《Docker源码分析》
// (docs/design.md "Users": a student runs a chapter demo on the fake or the
// real kernel). Each demo lives next to its README in chapters/.
package cli

import (
	"context"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/dockerlab/dockerlab/backend"
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
	"github.com/dockerlab/dockerlab/internal/hostflags"
)

type chapterDemo struct {
	title string
	run   func(ctx context.Context, h backend.Host, out io.Writer) error
}

var chapterDemos = map[int]chapterDemo{
	0:  {"Prologue: Docker 0.1.0 — runtime, lxcbr0, one container's life (also `chapter v0.1`)", v01demo.Run},
	1:  {"Docker架构 — the architecture diagram (§1.2, §1.3) and its two cases (§1.4): docker pull and docker run, each line labelled with its module", chapter01.Run},
	2:  {"Docker Client创建与命令执行 — flags, NewDockerCli, getMethod, each request beside the daemon's jobs", chapter02.Run},
	3:  {"启动Docker Daemon — mainDaemon, engine, builtins, serveapi", chapter03.Run},
	4:  {"NewDaemon实现 — NewDaemon's steps, traced", chapter04.Run},
	5:  {"Docker Server的创建 — serveapi, ListenAndServe, each request through the router to its handler and jobs", chapter05.Run},
	6:  {"Docker Daemon网络 — init_networkdriver before and after", chapter06.Run},
	7:  {"Docker容器网络 — the four network modes seen from inside, -p's DNAT, --link under --icc=false", chapter07.Run},
	8:  {"Docker镜像 — import, images, tag, history, inspect, the union, save, rmi, load through the image jobs", chapter08.Run},
	9:  {"Docker镜像下载 — docker pull from the client (§9.3) through the server (§9.4) to the pull job (§9.5) and a v1 registry; run, push", chapter09.Run},
	10: {"Docker镜像存储 — Register, the driver's paths, json and layersize, on overlay and vfs", chapter10.Run},
	11: {"docker build实现 — the client tars the context, the server runs the build job, the daemon parses the Dockerfile and commits a container per step; the cache", chapter11.Run},
	12: {"Docker容器创建 — the create and start jobs step by step (§12.3, §12.4), stop, wait, the json log, rm", chapter12.Run},
	13: {"dockerinit启动 — the native driver's Run, dockerinit's argv, container.json, state.json, cgroup and veth while the init waits", chapter13.Run},
	14: {"libcontainer介绍 — namespaces, cgroups (v1 as in the book, v2 as today), pause, the four network modes, mounts, capabilities", chapter14.Run},
}

func newChapterCmd() *cobra.Command {
	var list []string
	nums := make([]int, 0, len(chapterDemos))
	for n := range chapterDemos {
		nums = append(nums, n)
	}
	sort.Ints(nums)
	for _, n := range nums {
		list = append(list, fmt.Sprintf("  %d  %s", n, chapterDemos[n].title))
	}
	return &cobra.Command{
		Use:   "chapter N|v0.1",
		Short: "Run the demo of a chapter of 《Docker源码分析》 on the selected backend",
		Long:  "Run the demo of a chapter (chapters/NN-*/README.md explains it). Demos so far:\n" + strings.Join(list, "\n"),
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			name := args[0]
			if name == "v0.1" {
				name = "0" // the prologue has a version, not a chapter number
			}
			n, err := strconv.Atoi(name)
			demo, ok := chapterDemos[n]
			if err != nil || !ok {
				return fmt.Errorf("no demo for chapter %q yet: choose one of %v", args[0], nums)
			}
			h, err := hostflags.Open()
			if err != nil {
				return err
			}
			defer h.Close()
			return demo.run(cmd.Context(), h, cmd.OutOrStdout())
		},
	}
}
