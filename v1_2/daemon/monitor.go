// The monitor: the goroutine that runs a container's process through the
// execdriver, waits for it, and settles the container when it ends —
// or starts it again when its restart policy says so.
//
// Upstream: daemon/monitor.go at v1.2.0 (containerMonitor, Start, callback,
// shouldRestart, waitForNextRestart, resetContainer, Close).
// Book: ch.12 §12.4 (waitForStart: the monitor's start signal) — the book
// reads the 1.2 code where daemon.Run blocks in the driver until the process
// exits.
// Notes: 001 (容器的创建: the process's end).
//
// What one run looks like:
//
//	startLoggingToDisk → LogEvent("start") → daemon.Run (blocks in the
//	driver; the driver's callback marks the container running and wakes
//	waitForStart) → the process exits → State.SetStopped(code) →
//	LogEvent("die") → resetContainer → Close (release the network,
//	unmount, ToDisk)
//
// --restart=always|on-failure[:N] loops back to the start, waiting a
// little longer after each quick failure (100ms doubling; reset after a
// run longer than 10s). stop and kill call ExitOnNext first, so a
// stopped container stays stopped.
package daemon

import (
	"io"
	"sync"
	"time"

	"github.com/dockerlab/dockerlab/v1_2/daemon/execdriver"
	"github.com/dockerlab/dockerlab/v1_2/runconfig"
)

// defaultTimeIncrement is the first wait between restarts, in ms.
const defaultTimeIncrement = 100

// containerMonitor watches one container from its start until it is
// stopped for good.
type containerMonitor struct {
	mux sync.Mutex

	container     *Container
	restartPolicy runconfig.RestartPolicy
	failureCount  int  // failed runs in a row
	shouldStop    bool // stop/kill asked: do not restart
	startSignal   chan struct{}
	done          chan struct{} // closed once the last run is cleaned up (Close)
	stopChan      chan struct{} // closed by ExitOnNext: cut a restart wait short
	timeIncrement int           // ms before the next restart
	lastStartTime time.Time
}

func newContainerMonitor(container *Container, policy runconfig.RestartPolicy) *containerMonitor {
	return &containerMonitor{
		container:     container,
		restartPolicy: policy,
		timeIncrement: defaultTimeIncrement,
		stopChan:      make(chan struct{}),
		startSignal:   make(chan struct{}),
		done:          make(chan struct{}),
	}
}

// ExitOnNext tells the monitor that the next exit is wanted (stop, kill,
// daemon shutdown): no restart.
func (m *containerMonitor) ExitOnNext() {
	m.mux.Lock()
	defer m.mux.Unlock()
	if !m.shouldStop {
		m.shouldStop = true
		close(m.stopChan)
	}
}

// Close releases what the run held and saves the final state.
func (m *containerMonitor) Close() error {
	m.container.cleanup()
	if err := m.container.toDisk(); err != nil {
		m.container.daemon.logf("Error dumping container %s state to disk: %s", m.container.ID, err)
		return err
	}
	return nil
}

// Start runs the container's process until it is stopped for good. An
// error of the very first start is returned (waitForStart reports it);
// later ones are logged and count as failures.
func (m *containerMonitor) Start() error {
	var (
		err        error
		exitStatus int
		// Container.Start holds the container's lock until the process
		// runs; once it has, the lock must be taken to finish.
		underLock = true
	)
	defer func() {
		if !underLock {
			m.container.Lock()
			defer m.container.Unlock()
		}
		m.Close()
		close(m.done)
		if m.container.AutoRemove && !m.container.State.IsRunning() {
			go m.container.autoRemove()
		}
	}()

	// withLock runs f holding the container's lock: on the first run
	// Container.Start holds it already; on a restart nobody does.
	withLock := func(f func()) {
		if !underLock {
			m.container.Lock()
			defer m.container.Unlock()
		}
		f()
	}

	m.container.RestartCount = -1
	for {
		var pipes *execdriver.Pipes
		var logErr error
		withLock(func() {
			m.container.RestartCount++
			if logErr = m.container.startLoggingToDisk(); logErr != nil {
				m.resetContainer()
				return
			}
			pipes = execdriver.NewPipes(m.container.stdin, m.container.stdout, m.container.stderr, m.container.Config.OpenStdin)
		})
		if logErr != nil {
			return logErr
		}
		m.container.LogEvent("start")
		m.lastStartTime = time.Now()

		exitStatus, err = m.container.daemon.Run(m.container, pipes, m.callback)
		if err != nil {
			if !m.hasStarted() {
				m.resetContainer() // Container.Start still holds the lock
				// Not upstream: 1.2 logged "start" and then nothing. A
				// client that waits for the "die" event (today's docker
				// CLI below API 1.30, run --rm) would wait for ever.
				m.container.LogEvent("die")
				return err
			}
			m.container.daemon.logf("Error running container: %s", err)
		}
		underLock = false // Start has returned: the lock is free again

		m.resetMonitor(err == nil && exitStatus == 0)
		if m.shouldRestart(exitStatus) {
			m.container.State.SetRestarting(exitStatus)
			m.container.LogEvent("die")
			withLock(m.resetContainer)
			m.waitForNextRestart()
			if m.isStopping() {
				m.container.State.SetStopped(exitStatus)
				return err
			}
			continue
		}
		m.container.State.SetStopped(exitStatus)
		m.container.LogEvent("die")
		withLock(m.resetContainer)
		return err
	}
}

// hasStarted says whether the first run's process ever ran (the
// callback closed startSignal): only an error before that goes back to
// Container.Start, which is still waiting with the lock held.
func (m *containerMonitor) hasStarted() bool {
	select {
	case <-m.startSignal:
		return true
	default:
		return false
	}
}

func (m *containerMonitor) isStopping() bool {
	m.mux.Lock()
	defer m.mux.Unlock()
	return m.shouldStop
}

// resetMonitor: a run over 10s resets the wait; a quick one doubles it.
func (m *containerMonitor) resetMonitor(successful bool) {
	if time.Since(m.lastStartTime) > 10*time.Second {
		m.timeIncrement = defaultTimeIncrement
	} else {
		m.timeIncrement *= 2
	}
	if successful {
		m.failureCount = 0
	} else {
		m.failureCount++
	}
}

func (m *containerMonitor) waitForNextRestart() {
	t := time.NewTimer(time.Duration(m.timeIncrement) * time.Millisecond)
	defer t.Stop()
	select {
	case <-t.C:
	case <-m.stopChan:
	}
}

// shouldRestart applies the restart policy.
func (m *containerMonitor) shouldRestart(exitStatus int) bool {
	m.mux.Lock()
	defer m.mux.Unlock()
	if m.shouldStop {
		return false
	}
	switch m.restartPolicy.Name {
	case "always":
		return true
	case "on-failure":
		if max := m.restartPolicy.MaximumRetryCount; max != 0 && m.failureCount >= max {
			return false
		}
		return exitStatus != 0
	}
	return false
}

// callback is the driver telling us the process runs: record the pid,
// wake waitForStart, save the running state.
func (m *containerMonitor) callback(command *execdriver.Command) {
	m.container.State.SetRunning(command.Pid())
	select {
	case <-m.startSignal:
	default:
		close(m.startSignal)
	}
	// The first run's state is saved by Container.Start, which holds the
	// lock until it has seen startSignal; a restart saves it here.
	if m.container.RestartCount > 0 {
		if err := m.container.ToDisk(); err != nil {
			m.container.daemon.logf("%s", err)
		}
	}
}

// resetContainer closes this run's streams and makes fresh ones for the
// next run (stdin pipe, terminal).
func (m *containerMonitor) resetContainer() {
	c := m.container
	if c.Config.OpenStdin && c.stdin != nil {
		if err := c.stdin.Close(); err != nil {
			c.daemon.logf("%s: Error close stdin: %s", c.ID, err)
		}
	}
	if err := c.stdout.Clean(); err != nil {
		c.daemon.logf("%s: Error close stdout: %s", c.ID, err)
	}
	if err := c.stderr.Clean(); err != nil {
		c.daemon.logf("%s: Error close stderr: %s", c.ID, err)
	}
	if c.command != nil && c.command.Terminal != nil {
		if err := c.command.Terminal.Close(); err != nil {
			c.daemon.logf("%s: Error closing terminal: %s", c.ID, err)
		}
	}
	if c.Config.OpenStdin {
		c.stdin, c.stdinPipe = io.Pipe()
	}
	if c.command != nil {
		c.command.Process = nil
		c.command.ContainerPid = 0
		c.command.Terminal = nil
	}
}

// waitForPreviousRun returns once the last run's monitor has released
// the network and the mount and saved the state. State.WaitStop returns
// earlier (at SetStopped, as in upstream); a new start or a Destroy must
// not overlap the old run's cleanup, or the cleanup would release what
// the new run just took, or write into a removed directory.
func (container *Container) waitForPreviousRun() {
	container.Lock()
	m := container.monitor
	container.Unlock()
	if m != nil {
		<-m.done
	}
}

// autoRemove is `--rm` done by the daemon (AutoRemove): once the run is
// cleaned up, the container goes as `docker rm` would remove it.
func (container *Container) autoRemove() {
	d := container.daemon
	if d.containers.Get(container.ID) == nil || container.State.IsRunning() {
		return // removed already, or started again meanwhile
	}
	if err := d.Destroy(container); err != nil {
		d.logf("--rm of %s: %s", container.ID, err)
		return
	}
	container.LogEvent("destroy")
}
