// The jobs the daemon itself installs: for now "info" (docker info).
//
// Upstream: daemon/daemon.go Install (L100-139) and daemon/info.go
// (CmdInfo) at v1.2.0. Reference upstream-v1_2.md §2.4. Book ch.3 §3.3.6
// (d.Install(eng) after NewDaemon).
//
// Upstream's Install registered 22 container and image jobs; they arrive
// with the containers and images issues. "info" is here so that
// `docker info` against this daemon shows what the daemon is made of.
package daemon

import (
	"os"
	"runtime"
	"strings"

	"github.com/dockerlab/dockerlab/v1_2/dockerversion"
	"github.com/dockerlab/dockerlab/v1_2/engine"
)

// Installed lists the jobs Install registers.
var Installed = []string{"info"}

// Install registers the daemon's jobs on eng.
func (daemon *Daemon) Install(eng *engine.Engine) error {
	return eng.Register("info", daemon.CmdInfo)
}

// CmdInfo is the "info" job.
func (daemon *Daemon) CmdInfo(job *engine.Job) engine.Status {
	v := &engine.Env{}
	images := 0
	if m, err := daemon.graph.Map(); err == nil {
		images = len(m)
	}
	v.SetInt("Containers", 0) // containers arrive with the containers issue
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
