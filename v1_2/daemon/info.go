// The jobs the daemon itself installs (upstream's Install table) and the
// "info" job (docker info).
//
// Upstream: daemon/daemon.go at v1.2.0 (Install), daemon/info.go at v1.2.0
// (CmdInfo). See docs/upstream/v1.2.0.md §2.4.
// Book: ch.3 §3.3.6 (d.Install(eng) after NewDaemon).
//
// Upstream's Install registered 22 container and image jobs; the table
// below lists them, each with its file.
package daemon

import (
	"os"
	"runtime"
	"strings"

	"github.com/dockerlab/dockerlab/v1_2/dockerversion"
	"github.com/dockerlab/dockerlab/v1_2/engine"
)

// daemonJobs is upstream's job table (daemon.go Install, L100-139), one
// line per job in upstream's order; a job joins when its file exists.
func (daemon *Daemon) daemonJobs() []struct {
	name    string
	handler engine.Handler
} {
	return []struct {
		name    string
		handler engine.Handler
	}{
		{"attach", daemon.ContainerAttach},             // attach.go
		{"build", daemon.CmdBuild},                     // build.go
		{"commit", daemon.ContainerCommit},             // commit.go
		{"container_changes", daemon.ContainerChanges}, // changes.go
		{"container_copy", daemon.ContainerCopy},       // copy.go
		{"container_inspect", daemon.ContainerInspect}, // inspect.go
		{"containers", daemon.Containers},              // list.go
		{"create", daemon.ContainerCreate},             // create.go
		{"delete", daemon.ContainerDestroy},            // delete.go
		{"export", daemon.ContainerExport},             // export.go
		{"info", daemon.CmdInfo},                       // info.go
		{"kill", daemon.ContainerKill},                 // kill.go
		{"logs", daemon.ContainerLogs},                 // logs.go
		{"pause", daemon.ContainerPause},               // pause.go
		{"resize", daemon.ContainerResize},             // resize.go
		{"restart", daemon.ContainerRestart},           // restart.go
		{"start", daemon.ContainerStart},               // start.go
		{"stop", daemon.ContainerStop},                 // stop.go
		{"top", daemon.ContainerTop},                   // top.go
		{"unpause", daemon.ContainerUnpause},           // pause.go
		{"wait", daemon.ContainerWait},                 // wait.go
		{"image_delete", daemon.ImageDelete},           // image_delete.go
	}
}

// Installed lists the jobs Install registers (the TagStore's own jobs,
// graph.Jobs, follow them).
var Installed = func() []string {
	var names []string
	for _, j := range (&Daemon{}).daemonJobs() {
		names = append(names, j.name)
	}
	return names
}()

// Install registers the daemon's jobs on eng, then, as upstream, the
// TagStore's image jobs (v1_2/graph/service.go).
func (daemon *Daemon) Install(eng *engine.Engine) error {
	for _, j := range daemon.daemonJobs() {
		if err := eng.Register(j.name, j.handler); err != nil {
			return err
		}
	}
	if err := daemon.Repositories().Install(eng); err != nil {
		return err
	}
	// As upstream: the API server finds the daemon through the engine.
	eng.Hack_SetGlobalVar("httpapi.daemon", daemon)
	return nil
}

// CmdInfo is the "info" job.
func (daemon *Daemon) CmdInfo(job *engine.Job) engine.Status {
	v := &engine.Env{}
	images := 0
	if m, err := daemon.graph.Map(); err == nil {
		images = len(m)
	}
	v.SetInt("Containers", len(daemon.List()))
	v.SetInt("Images", images)
	v.Set("Driver", daemon.driver.String())
	v.SetJson("DriverStatus", daemon.driver.Status())
	v.SetBool("MemoryLimit", daemon.sysInfo.MemoryLimit)
	v.SetBool("SwapLimit", daemon.sysInfo.SwapLimit)
	v.SetBool("IPv4Forwarding", !daemon.sysInfo.IPv4ForwardingDisabled)
	v.SetBool("Debug", os.Getenv("DEBUG") != "")
	v.SetInt("NFd", countFds())
	v.SetInt("NGoroutines", runtime.NumGoroutine())
	v.Set("ExecutionDriver", daemon.execDriver.Name())
	v.SetInt("NEventsListener", daemon.subscribers(job.Eng))
	v.Set("KernelVersion", kernelRelease())
	v.Set("OperatingSystem", operatingSystem(daemon.config.Host.Name()))
	v.Set("IndexServerAddress", "https://index.docker.io/v1/")
	v.Set("InitSha1", "")
	v.Set("InitPath", daemon.sysInitPath)
	if _, err := v.WriteTo(job.Stdout); err != nil {
		return job.Error(err)
	}
	return engine.StatusOK
}

func (daemon *Daemon) subscribers(eng *engine.Engine) int {
	job := eng.Job("subscribers_count")
	env, err := job.Stdout.AddEnv()
	if err != nil {
		return 0
	}
	if err := job.Run(); err != nil {
		return 0
	}
	return env.GetInt("count")
}

func countFds() int {
	entries, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		return -1
	}
	return len(entries)
}

// operatingSystem is /etc/os-release's PRETTY_NAME, with the backend named
// when it is not the real kernel.
func operatingSystem(backendName string) string {
	name := "<unknown>"
	if data, err := os.ReadFile("/etc/os-release"); err == nil {
		for _, line := range strings.Split(string(data), "\n") {
			if v, ok := strings.CutPrefix(line, "PRETTY_NAME="); ok {
				name = strings.Trim(v, `"`)
			}
		}
	}
	if backendName != "linux" {
		name += " (dockerlab " + backendName + " backend, Docker " + dockerversion.VERSION + " reproduction)"
	}
	return name
}
