// A v1.2 daemon inside the benchmark process, on a throwaway linux host
// (host_linux.go), for the rows that time the jobs themselves with no
// HTTP in between: create + start + wait of /bin/true and the
// `containers` job over 1,000 containers (issue #5 item 8).
//
// It is built the way mainDaemon builds one (v1_2/docker/daemon.go; book
// ch.3 §3.3.3-3.3.6): engine.New, builtins.Register, daemon.NewDaemon,
// d.Install, then the busybox image through the `import` job. The daemon's
// dockerinit is a copy of this binary, which is why main calls
// reexec.Init first (book ch.13).
package main

import (
	"bytes"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"github.com/dockerlab/dockerlab/backend"
	"github.com/dockerlab/dockerlab/v1_2/builtins"
	"github.com/dockerlab/dockerlab/v1_2/daemon"
	"github.com/dockerlab/dockerlab/v1_2/engine"
)

// jobsDaemon is the in-process daemon and what the rows need of it.
type jobsDaemon struct {
	mu       sync.Mutex // guards created: setup creates from several goroutines
	eng      *engine.Engine
	created  []string // ids of the containers the rows made, oldest first
	stop     func()   // ends the daemon and throws its host away, once
	stopOnce sync.Once

	importOnce sync.Once // importBusybox, once per daemon
	importErr  error
}

// close stops the daemon (after its last row, or at exit).
func (d *jobsDaemon) close() { d.stopOnce.Do(d.stop) }

var (
	jobsOnce sync.Once
	jobsD    *jobsDaemon
	jobsErr  error
)

// sharedJobsDaemon starts the in-process daemon on first use; it is
// stopped after the last row (onExit).
func sharedJobsDaemon(cfg config) (*jobsDaemon, error) {
	jobsOnce.Do(func() { jobsD, jobsErr = startJobsDaemon(cfg) })
	return jobsD, jobsErr
}

// jobsSkip is the skip reason of a row that needs the in-process daemon
// with the given jobs: not root, no image, the daemon would not start, or
// a job is not there yet.
func jobsSkip(cfg config, jobs ...string) string {
	if why := needRootLinux(); why != "" {
		return why
	}
	if _, err := os.Stat(cfg.Image); err != nil {
		return fmt.Sprintf("no busybox image at %s: make images", cfg.Image)
	}
	d, err := sharedJobsDaemon(cfg)
	if err != nil {
		return "the in-process v1.2 daemon did not start: " + err.Error()
	}
	have, err := d.commands()
	if err != nil {
		return "job commands: " + err.Error()
	}
	var missing []string
	for _, j := range jobs {
		if !have[j] {
			missing = append(missing, j)
		}
	}
	if len(missing) > 0 {
		return "the v1.2 daemon has no job " + strings.Join(missing, ", ") + " yet (issue #5)"
	}
	if err := d.importBusybox(cfg.Image); err != nil {
		return "import of the busybox image: " + err.Error()
	}
	return ""
}

func startJobsDaemon(cfg config) (*jobsDaemon, error) {
	h, destroyHost, err := throwawayLinuxHost()
	if err != nil {
		return nil, err
	}
	return newInProcessDaemon(h, destroyHost)
}

// newInProcessDaemon builds a daemon on h in a temporary root;
// destroyHost runs after the daemon stopped. close stops it.
func newInProcessDaemon(h backend.Host, destroyHost func()) (*jobsDaemon, error) {
	dir, err := os.MkdirTemp(benchTmp, "dockerlab-bench-jobs-")
	if err != nil {
		destroyHost()
		return nil, err
	}
	eng := engine.New()
	eng.Logging = false // no "+job" lines in the table
	oldTmp := os.Getenv("TMPDIR")
	stop := func() {
		eng.Shutdown()
		destroyHost()
		unmountUnder(dir)
		os.RemoveAll(dir)
		// NewDaemon pointed TMPDIR into its root, as upstream did.
		os.Setenv("TMPDIR", oldTmp)
	}
	if err := builtins.Register(eng); err != nil {
		stop()
		return nil, err
	}
	conf := &daemon.Config{
		Root:                        filepath.Join(dir, "root"),
		AutoRestart:                 true,
		EnableIptables:              true,
		EnableIpForward:             true,
		DefaultIp:                   net.ParseIP("0.0.0.0"),
		InterContainerCommunication: true,
		ExecDriver:                  "native",
		Mtu:                         1500,
		Host:                        h,
	}
	dmn, err := daemon.NewDaemon(conf, eng)
	if err != nil {
		stop()
		return nil, fmt.Errorf("NewDaemon: %w", err)
	}
	if err := dmn.Install(eng); err != nil {
		stop()
		return nil, fmt.Errorf("Install: %w", err)
	}
	d := &jobsDaemon{eng: eng, stop: stop}
	onExit(d.close)
	return d, nil
}

// commands is the set of job names the engine knows (the "commands" job).
func (d *jobsDaemon) commands() (map[string]bool, error) {
	var out bytes.Buffer
	job := d.eng.Job("commands")
	job.Stdout.Add(&out)
	if err := job.Run(); err != nil {
		return nil, err
	}
	have := map[string]bool{}
	for _, line := range strings.Split(out.String(), "\n") {
		if f := strings.Fields(line); len(f) > 0 {
			have[f[0]] = true
		}
	}
	return have, nil
}

// importBusybox runs `import - busybox latest` with the image tar as the
// job's stdin (docker import of a rootfs tar; book ch.8), once.
func (d *jobsDaemon) importBusybox(image string) error {
	d.importOnce.Do(func() {
		f, err := os.Open(image)
		if err != nil {
			d.importErr = err
			return
		}
		defer f.Close()
		job := d.eng.Job("import", "-", "busybox", "latest")
		job.Stdin.Add(f)
		d.importErr = job.Run()
	})
	return d.importErr
}

// create runs the create job for busybox with cmd and returns the id.
func (d *jobsDaemon) create(cmd ...string) (string, error) {
	var out bytes.Buffer
	job := d.eng.Job("create")
	job.Setenv("Image", "busybox")
	job.SetenvList("Cmd", cmd)
	job.Stdout.Add(&out)
	if err := job.Run(); err != nil {
		return "", fmt.Errorf("create: %w", err)
	}
	id := strings.TrimSpace(out.String())
	if id == "" {
		return "", fmt.Errorf("create printed no id")
	}
	d.mu.Lock()
	d.created = append(d.created, id)
	d.mu.Unlock()
	return id, nil
}

// runTrue is one create + start + wait of /bin/true through the jobs.
func (d *jobsDaemon) runTrue() error {
	id, err := d.create("/bin/true")
	if err != nil {
		return err
	}
	if err := d.eng.Job("start", id).Run(); err != nil {
		return fmt.Errorf("start: %w", err)
	}
	var out bytes.Buffer
	wait := d.eng.Job("wait", id)
	wait.Stdout.Add(&out)
	if err := wait.Run(); err != nil {
		return fmt.Errorf("wait: %w", err)
	}
	if code := strings.TrimSpace(out.String()); code != "0" {
		return fmt.Errorf("/bin/true exited %q", code)
	}
	return nil
}

// ensureCreated creates containers (never started) until the daemon holds
// at least n.
func (d *jobsDaemon) ensureCreated(n int) error {
	d.mu.Lock()
	have := len(d.created)
	d.mu.Unlock()
	if have >= n {
		return nil
	}
	_, err := makeN(n-have, func() (string, error) { return d.create("/bin/true") })
	return err
}

// list runs `containers` with all=1, as `docker ps -a` asks for it, and
// returns the bytes of the table it wrote.
func (d *jobsDaemon) list() (int, error) {
	var out bytes.Buffer
	job := d.eng.Job("containers")
	job.SetenvBool("all", true)
	job.Stdout.Add(&out)
	if err := job.Run(); err != nil {
		return 0, err
	}
	return out.Len(), nil
}
