// Package chapter12 is the demo of book ch.12 Docker容器创建: `docker run`
// is two jobs, "create" and "start". The demo drives them as the API
// server would, prints each step of Create (§12.3) and Start (§12.4) as
// the daemon takes it (--trace), shows what a container is on disk and on
// the machine, then waits for it, reads its log, removes it and checks
// that nothing is left.
//
// Reproduces upstream daemon/create.go, daemon/start.go, daemon/daemon.go
// (newContainer, createRootfs, Register) and daemon/container.go (Start
// and its steps) at v1.2.0 through v1_2/daemon; see README.md and
// README.zh.md.
package chapter12

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/dockerlab/dockerlab/backend"
	chapter13 "github.com/dockerlab/dockerlab/chapters/13-dockerinit"
	"github.com/dockerlab/dockerlab/chapters/chapterutil"
	"github.com/dockerlab/dockerlab/v1_2/builtins"
	"github.com/dockerlab/dockerlab/v1_2/daemon"
	"github.com/dockerlab/dockerlab/v1_2/engine"
)

// Run runs the demo on h, printing to out.
func Run(ctx context.Context, h backend.Host, out io.Writer) error {
	before, err := chapterutil.Take(h.Root())
	if err != nil {
		return err
	}
	dir, cleanup, err := chapterutil.TempRoot("dockerlab-ch12-")
	if err != nil {
		return err
	}
	defer cleanup()

	err = demo(h, dir, out)
	fmt.Fprintln(out, "\n## the daemon has stopped; docker0 and its rules stay after a daemon, as upstream left them; the demo removes them:")
	if rerr := before.Restore(h.Root(), out); err == nil {
		err = rerr
	}
	return err
}

func demo(h backend.Host, dir string, out io.Writer) error {
	w := &chapterutil.SyncWriter{W: out}
	eng := engine.New()
	eng.Logging = false
	eng.Stdout, eng.Stderr = w, w
	if err := builtins.Register(eng); err != nil {
		return err
	}
	// The default flags; the trace shows only chapter 12's steps.
	config := &daemon.Config{
		Root:                        filepath.Join(dir, "root"),
		EnableIptables:              true,
		EnableIpForward:             true,
		InterContainerCommunication: true,
		DefaultIp:                   net.ParseIP("0.0.0.0"),
		ExecDriver:                  "native",
		Host:                        h,
		Trace: func(section, line string) {
			if strings.HasPrefix(section, "12.") {
				fmt.Fprintf(w, "  [trace] %-5s %s\n", section, line)
			}
		},
	}
	d, err := daemon.NewDaemon(config, eng)
	if err != nil {
		eng.Shutdown()
		return err
	}
	defer eng.Shutdown()
	if err := d.Install(eng); err != nil {
		return err
	}
	s := &session{eng: eng}
	fmt.Fprintf(w, "## ch.12 Docker容器创建 on the %s backend: daemon root %s, storage %s, exec driver %s\n",
		h.Name(), d.Config().Root, d.GraphDriver(), d.ExecutionDriver().Name())

	// An image to create from (chapter 8 shows the image jobs).
	image, err := chapter13.ImageTar(h)
	if err != nil {
		return err
	}
	imgOut, err := s.run(bytes.NewReader(image), "import", []string{"-", "busybox"})
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "## an image: job import - busybox → %s\n", daemon.TruncateID(strings.TrimSpace(imgOut)))

	// §12.2/12.3: the create job. Its env is the request body: a
	// runconfig.Config (docker run -p 8080:80 --name web busybox sh -c …).
	fmt.Fprintln(w, "\n## §12.2 job create web (env: the runconfig.Config of `docker run --name web -e GREETING=hello busybox sh -c …`)")
	cmd := `echo "$GREETING from $(hostname)"; ip -4 addr show eth0; cat /etc/resolv.conf; exec sleep 1000`
	createOut, err := s.run(nil, "create", []string{"web"},
		"Image", "busybox", "Cmd", jsonOf([]string{"sh", "-c", cmd}),
		"Env", jsonOf([]string{"GREETING=hello"}), "ExposedPorts", `{"80/tcp":{}}`)
	if err != nil {
		return err
	}
	id := strings.TrimSpace(createOut)
	fmt.Fprintf(w, "  create printed the id: %s\n", id)
	c := d.Get("web")
	fmt.Fprintf(w, "## §12.3 the container on disk, %s:\n", c.RootPath())
	fmt.Fprintf(w, "  %s\n", listDir(c.RootPath()))
	fmt.Fprintf(w, "  layers: %s-init exists=%v (on the image: /etc/hosts, /.dockerinit … as empty files), %s exists=%v (the container's own)\n",
		daemon.TruncateID(id), d.GraphDriver().Exists(id+"-init"), daemon.TruncateID(id), d.GraphDriver().Exists(id))
	fmt.Fprintf(w, "  name %s, hostname %s, path %s args %q, state %q (never ran)\n",
		c.Name, c.Config.Hostname, c.Path, c.Args, c.State.String())

	// §12.4: the start job. Its env is the HostConfig (-p 8080:80).
	fmt.Fprintln(w, "\n## §12.4 job start web (env: the HostConfig of -p 8080:80)")
	if _, err := s.run(nil, "start", []string{"web"}, "PortBindings", `{"80/tcp":[{"HostIp":"","HostPort":"8080"}]}`); err != nil {
		return err
	}
	fmt.Fprintf(w, "  state %q, pid %d, ip %s via %s, ports %v\n", c.State.String(),
		c.State.GetPid(), c.NetworkSettings.IPAddress, c.NetworkSettings.Gateway, c.NetworkSettings.Ports)
	fmt.Fprintf(w, "  bind-mounted over the image's files: %s, %s, %s\n",
		filepath.Base(c.ResolvConfPath), filepath.Base(c.HostnamePath), filepath.Base(c.HostsPath))

	// The rest of a run: stop, wait, the log, rm.
	fmt.Fprintln(w, "\n## job stop web (env t=1): SIGTERM, 1 second, SIGKILL (sleep as pid 1 has no handler for SIGTERM)")
	if _, err := s.run(nil, "stop", []string{"web"}, "t", "1"); err != nil {
		return err
	}
	fmt.Fprintln(w, "## job wait web: prints the exit code (128+9: killed)")
	code, err := s.run(nil, "wait", []string{"web"})
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "  %s", code)
	fmt.Fprintf(w, "## the json log %s (what `docker logs` reads):\n", filepath.Base(c.LogPath()))
	logData, _ := os.ReadFile(c.LogPath())
	for _, line := range strings.Split(strings.TrimSpace(string(logData)), "\n") {
		var e struct{ Log, Stream string }
		if json.Unmarshal([]byte(line), &e) == nil {
			fmt.Fprintf(w, "  %-6s %s\n", e.Stream, strings.TrimRight(e.Log, "\n"))
		}
	}
	fmt.Fprintf(w, "## state now: %q\n", c.State.String())

	fmt.Fprintln(w, "\n## job delete web (docker rm): names, layers and the directory go; the network went at the exit")
	if _, err := s.run(nil, "delete", []string{"web"}); err != nil {
		return err
	}
	_, statErr := os.Stat(c.RootPath())
	fmt.Fprintf(w, "  Get(web)=nil: %v; directory gone: %v; layers gone: %v; name free: %v\n",
		d.Get("web") == nil, os.IsNotExist(statErr),
		!d.GraphDriver().Exists(id) && !d.GraphDriver().Exists(id+"-init"), !d.ContainerGraph().Exists("/web"))
	return nil
}

type session struct{ eng *engine.Engine }

// run runs a job; env is key, value, key, value ….
func (s *session) run(stdin io.Reader, name string, args []string, env ...string) (string, error) {
	job := s.eng.Job(name, args...)
	for i := 0; i+1 < len(env); i += 2 {
		job.Setenv(env[i], env[i+1])
	}
	if stdin != nil {
		job.Stdin.Add(stdin)
	}
	var buf bytes.Buffer
	job.Stdout.Add(&buf)
	err := job.Run()
	return buf.String(), err
}

func jsonOf(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// listDir is a directory's names, sorted, hidden temp files left out.
func listDir(dir string) string {
	entries, _ := os.ReadDir(dir)
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	sort.Strings(names)
	return strings.Join(names, " ")
}
