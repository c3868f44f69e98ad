// mainDaemon: start the engine, the builtins, NewDaemon and the API
// server, then run until a signal.
//
// Upstream: docker/daemon.go at v1.2.0 (mainDaemon). See
// docs/upstream/v1.2.0.md §2.2.
// Book: ch.3 §3.3.2-3.3.8 (flag检查, 创建engine, 信号捕获, 加载builtins,
// goroutine加载daemon, 打印版本/驱动, serveapi).
package docker

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/dockerlab/dockerlab/backend"
	"github.com/dockerlab/dockerlab/v1_2/builtins"
	"github.com/dockerlab/dockerlab/v1_2/daemon"
	"github.com/dockerlab/dockerlab/v1_2/dockerversion"
	"github.com/dockerlab/dockerlab/v1_2/engine"
	"github.com/dockerlab/dockerlab/v1_2/registry"
)

// Streams are where the daemon writes: the trace on Stdout, the engine's
// job log and warnings on Stderr.
type Streams struct {
	Stdout io.Writer
	Stderr io.Writer
}

// MainDaemon runs the daemon on h until ctx ends or SIGINT/SIGTERM
// arrives, then runs the shutdown hooks and returns. args are the
// positional arguments, which the daemon refuses as upstream did.
func MainDaemon(ctx context.Context, h backend.Host, f *DaemonFlags, args []string, out Streams) error {
	// 3.3.2 flag检查.
	if len(args) != 0 {
		return fmt.Errorf("the daemon takes no arguments (got %q): see `dockerlab v1.2 daemon --help`", strings.Join(args, " "))
	}
	var hosts []string
	if len(f.Hosts) == 0 {
		// Upstream: in daemon mode DOCKER_HOST is ignored.
		f.Hosts = []string{""}
	}
	for _, v := range f.Hosts {
		hv, err := ValidateHost(v)
		if err != nil {
			return err
		}
		hosts = append(hosts, hv)
	}
	if err := f.Config.Validate(); err != nil {
		return err
	}
	if f.Debug {
		os.Setenv("DEBUG", "1")
	}
	trace := func(section, format string, args ...any) {}
	if f.Trace {
		t := daemon.PrintTracer(out.Stdout)
		f.Config.Trace = t
		trace = func(section, format string, args ...any) { t(section, fmt.Sprintf(format, args...)) }
	}
	f.Config.Host = h

	trace("3.3.2", "flags: no arguments; -H %s", strings.Join(hosts, ", "))

	// 3.3.3 创建engine.
	eng := engine.New()
	eng.Stdout, eng.Stderr = out.Stdout, out.Stderr
	trace("3.3.3", "engine: engine.New() %s, handlers: commands", eng)

	// 3.3.4 设置信号捕获.
	stop := make(chan os.Signal, 1)
	untrap := trap(stop, f.Debug)
	defer untrap()
	trace("3.3.4", "signal trap: INT/TERM → eng.Shutdown() (third one: exit at once)%s", quitNote(f.Debug))

	// 3.3.5 加载builtins.
	if err := builtins.Register(eng); err != nil {
		return err
	}
	registry.SetDefaultIndex(f.DefaultRegistry)
	trace("3.3.5", "builtins: %s (auth and search talk to %s)", strings.Join(builtins.Names, ", "), registry.IndexServerAddress())

	// 3.3.6 使用goroutine加载daemon对象: NewDaemon runs while the API
	// server below already listens.
	daemonErr := make(chan error, 1)
	daemonDone := make(chan struct{})
	go func() {
		defer close(daemonDone)
		d, err := daemon.NewDaemon(&f.Config, eng)
		if err != nil {
			daemonErr <- err
			return
		}
		if err := d.Install(eng); err != nil {
			daemonErr <- err
			return
		}
		if err := eng.Job("acceptconnections").Run(); err != nil {
			daemonErr <- err
			return
		}
		trace("3.3.6", "d.Install(eng): %s; job acceptconnections: the API answers from now on", strings.Join(daemon.Installed, ", "))
	}()
	trace("3.3.6", "goroutine: daemon.NewDaemon, d.Install(eng), job acceptconnections")

	// 3.3.7 打印Docker版本及驱动信息. Upstream printed the flag values,
	// not the drivers NewDaemon goes on to choose (it says TODO there).
	fmt.Fprintf(out.Stderr, "docker daemon: %s %s; execdriver: %s; graphdriver: %s\n",
		dockerversion.VERSION, dockerversion.GITCOMMIT, f.Config.ExecDriver, f.Config.GraphDriver)
	trace("3.3.7", "version line: docker daemon: %s %s; execdriver: %s; graphdriver: %s (the flag values)",
		dockerversion.VERSION, dockerversion.GITCOMMIT, f.Config.ExecDriver, f.Config.GraphDriver)

	// 3.3.8 serveapi.
	job := eng.Job("serveapi", hosts...)
	job.SetenvBool("Logging", true)
	job.SetenvBool("EnableCors", false)
	job.Setenv("Version", dockerversion.VERSION)
	job.Setenv("SocketGroup", f.Group)
	job.SetenvBool("Tls", f.TLS.TLS)
	job.SetenvBool("TlsVerify", f.TLS.TLSVerify)
	job.Setenv("TlsCa", f.TLS.CACert)
	job.Setenv("TlsCert", f.TLS.Cert)
	job.Setenv("TlsKey", f.TLS.Key)
	job.SetenvBool("BufferRequests", true)
	trace("3.3.8", "job serveapi(%s): listening; requests wait for acceptconnections", strings.Join(hosts, ", "))
	serveErr := make(chan error, 1)
	go func() { serveErr <- job.Run() }()

	var err error
	select {
	case err = <-daemonErr:
	case err = <-serveErr:
		if err == nil {
			err = fmt.Errorf("serveapi stopped")
		}
	case sig := <-stop:
		trace("4.13", "signal %v: eng.Shutdown()", sig)
	case <-ctx.Done():
		trace("4.13", "stop requested: eng.Shutdown()")
	}
	// Not upstream: a stop that arrives while NewDaemon still runs waits
	// for it (briefly), so the hooks it adds — the pid file's — run too.
	select {
	case <-daemonDone:
	case <-time.After(newDaemonGrace):
	}
	eng.Shutdown()
	if err == nil {
		// The servers close in a shutdown hook; wait for serveapi to end.
		<-serveErr
	}
	return err
}

// newDaemonGrace bounds how long a stop waits for NewDaemon to finish.
const newDaemonGrace = 10 * time.Second

func quitNote(debug bool) string {
	if debug {
		return "; SIGQUIT not trapped (-D)"
	}
	return "; QUIT → exit at once"
}
