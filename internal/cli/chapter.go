// `dockerlab chapter N`: the runnable demo of a chapter of 《Docker源码分析》
// (docs/design.md "Users": a student runs a chapter demo on the fake or the
// real kernel). Each demo lives next to its README in chapters/.
package cli

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"syscall"

	"github.com/spf13/cobra"

	"github.com/dockerlab/dockerlab/backend"
	"github.com/dockerlab/dockerlab/backend/fake"
	"github.com/dockerlab/dockerlab/backend/linux"
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
			h, done, err := openChapterMachine(cmd, n)
			if err != nil {
				return err
			}
			ctx, stop := interruptible(cmd.Context(), cmd.ErrOrStderr())
			defer stop()
			err = demo.run(ctx, h, cmd.OutOrStdout())
			if derr := done(); err == nil {
				err = derr
			}
			return err
		},
	}
}

// openChapterMachine gives a demo a machine of its own, so that what ran
// before — a v1.2 daemon's DOCKER chain, which Docker 0.1.0 cannot take
// over; a student's containers — never gets in its way, and nothing the
// demo makes outlives it: on the fake a fresh in-memory machine; on linux
// a fresh sandbox namespace "chapterN-PID" with its own run directory and
// cgroup parent (its own network namespace only with --sandbox=false),
// all removed by done. Naming a sandbox with --sandbox-name runs the demo
// in that one instead, as any command, and leaves it.
func openChapterMachine(cmd *cobra.Command, n int) (h backend.Host, done func() error, err error) {
	out := cmd.ErrOrStderr()
	if hostflags.Backend != "linux" {
		fmt.Fprintf(out, "dockerlab: chapter %s runs on a fresh fake machine of its own (not the one in --fake-state)\n", chapterName(n))
		k := fake.New()
		return k, k.Close, nil
	}
	if hostflags.Sandbox && cmd.Flags().Changed("sandbox-name") {
		h, err := hostflags.Open()
		if err != nil {
			return nil, nil, err
		}
		return h, h.Close, nil
	}
	name := fmt.Sprintf("chapter%d-%d", n, os.Getpid())
	opts := linux.DefaultOptions()
	opts.HostNetwork = !hostflags.Sandbox
	opts.SandboxName = name
	opts.RunDir = filepath.Join(linux.DefaultRunDir, name)
	opts.CgroupParent = linux.SandboxCgroupParent(name)
	lh, err := hostflags.OpenLinuxWith(opts)
	if err != nil {
		return nil, nil, err
	}
	where := "a fresh sandbox namespace " + name
	if opts.HostNetwork {
		where = "the host's own network (--sandbox=false)"
	}
	fmt.Fprintf(out, "dockerlab: chapter %s runs in %s, with cgroups under %s; all of it is removed at the end\n", chapterName(n), where, opts.CgroupParent)
	return lh, func() error {
		// Processes, mounts, named namespaces and the cgroups under the
		// demo's parent, then the sandbox itself and its run directory.
		err := lh.Destroy()
		if !opts.HostNetwork {
			if derr := linux.DeleteSandbox(name, opts.RunDir); err == nil {
				err = derr
			}
		}
		os.Remove(filepath.Join(opts.RunDir, "procs"))
		os.Remove(opts.RunDir)
		if err != nil {
			return fmt.Errorf("removing what chapter %s made: %w (`dockerlab --backend linux --sandbox-name %s sandbox reset` tries again)", chapterName(n), err, name)
		}
		return nil
	}, nil
}

func chapterName(n int) string {
	if n == 0 {
		return "v0.1"
	}
	return strconv.Itoa(n)
}

// interruptible is ctx cancelled by the first SIGINT or SIGTERM, so that
// a demo interrupted by ^C still puts the machine back; a second signal
// ends the process at once.
func interruptible(ctx context.Context, stderr io.Writer) (context.Context, func()) {
	ctx, cancel := context.WithCancel(ctx)
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, syscall.SIGINT, syscall.SIGTERM)
	go func() {
		select {
		case <-sigs:
			fmt.Fprintln(stderr, "dockerlab: interrupted: cleaning up (interrupt again to stop at once)")
			cancel()
			signal.Stop(sigs)
		case <-ctx.Done():
		}
	}()
	return ctx, func() { signal.Stop(sigs); cancel() }
}
