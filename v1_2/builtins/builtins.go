// Package builtins registers the jobs every v1.2 daemon has before
// NewDaemon runs: the network driver's init, the API server, events and
// version.
//
// Upstream: builtins/builtins.go at v1.2.0 (Register, daemon, remote,
// dockerVersion). See docs/upstream/v1.2.0.md §2.2 step 3 and §2.4.
// Book: ch.3 §3.3.5 加载builtins.
// Notes: 004 (Engine, Job: a handler per name).
//
// The registry's "auth" and "search" are registered as upstream did
// (v1_2/registry/service.go); they talk to the registry a name names, or
// to the daemon's --default-registry.
package builtins

import (
	"runtime"

	"github.com/dockerlab/dockerlab/v1_2/api/server"
	"github.com/dockerlab/dockerlab/v1_2/daemon/networkdriver/bridge"
	"github.com/dockerlab/dockerlab/v1_2/dockerversion"
	"github.com/dockerlab/dockerlab/v1_2/engine"
	"github.com/dockerlab/dockerlab/v1_2/events"
	"github.com/dockerlab/dockerlab/v1_2/registry"
)

// Names lists the jobs Register adds, in upstream's order.
var Names = []string{
	"init_networkdriver",
	"serveapi", "acceptconnections",
	"events", "log", "subscribers_count",
	"version",
	"auth", "search",
}

// Register adds the builtin jobs to eng.
func Register(eng *engine.Engine) error {
	if err := daemon(eng); err != nil {
		return err
	}
	if err := remote(eng); err != nil {
		return err
	}
	if err := events.New().Install(eng); err != nil {
		return err
	}
	if err := eng.Register("version", dockerVersion); err != nil {
		return err
	}
	// Upstream ignored the error of the registry's Install; so do we.
	registry.KernelVersion = KernelVersion
	_ = registry.NewService().Install(eng)
	return nil
}

// daemon: the network driver's entry point, run by NewDaemon.
func daemon(eng *engine.Engine) error {
	return eng.Register("init_networkdriver", bridge.InitDriver)
}

// remote: the API server.
func remote(eng *engine.Engine) error {
	if err := eng.Register("serveapi", server.ServeApi); err != nil {
		return err
	}
	return eng.Register("acceptconnections", server.AcceptConnections)
}

// dockerVersion is the "version" job: one env, what `docker version`
// prints for the server.
func dockerVersion(job *engine.Job) engine.Status {
	v := &engine.Env{}
	v.SetJson("Version", dockerversion.VERSION)
	v.SetJson("ApiVersion", dockerversion.APIVERSION)
	v.Set("GitCommit", dockerversion.GITCOMMIT)
	v.Set("GoVersion", runtime.Version())
	v.Set("Os", runtime.GOOS)
	v.Set("Arch", runtime.GOARCH)
	if kv := KernelVersion(); kv != "" {
		v.Set("KernelVersion", kv)
	}
	if _, err := v.WriteTo(job.Stdout); err != nil {
		return job.Error(err)
	}
	return engine.StatusOK
}
