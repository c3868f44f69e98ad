// The "kill" job and Container.Kill/KillSig.
//
// Upstream: daemon/kill.go at v1.2.0 (ContainerKill), daemon/container.go at
// v1.2.0 (KillSig, Kill), pkg/signal at v1.2.0 (the signal names). See
// docs/upstream/v1.2.0.md §2.4 ("kill <id> [sig]").
// Book: ch.12.
// Notes: 001 "容器的创建".
//
// Without a signal (or with KILL) the job kills and waits for the exit;
// with another signal it only sends it.
package daemon

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/dockerlab/dockerlab/backend"
	"github.com/dockerlab/dockerlab/v1_2/daemon/execdriver"
	"github.com/dockerlab/dockerlab/v1_2/engine"
)

// SignalMap names Linux's signals as `docker kill -s` takes them (the
// numbers are Linux's, whatever system the fake backend runs on).
var SignalMap = map[string]int{
	"HUP": 1, "INT": 2, "QUIT": 3, "ILL": 4, "TRAP": 5, "ABRT": 6, "IOT": 6, "BUS": 7,
	"FPE": 8, "KILL": 9, "USR1": 10, "SEGV": 11, "USR2": 12, "PIPE": 13, "ALRM": 14,
	"TERM": 15, "STKFLT": 16, "CHLD": 17, "CLD": 17, "CONT": 18, "STOP": 19, "TSTP": 20,
	"TTIN": 21, "TTOU": 22, "URG": 23, "XCPU": 24, "XFSZ": 25, "VTALRM": 26, "PROF": 27,
	"WINCH": 28, "IO": 29, "POLL": 29, "PWR": 30, "SYS": 31, "UNUSED": 31,
}

// ContainerKill is the "kill" job.
func (daemon *Daemon) ContainerKill(job *engine.Job) engine.Status {
	if n := len(job.Args); n < 1 || n > 2 {
		return job.Errorf("Usage: %s CONTAINER [SIGNAL]", job.Name)
	}
	name := job.Args[0]
	sig := 0
	if len(job.Args) == 2 && job.Args[1] != "" {
		// A number (at most 31), or a name with or without "SIG".
		if n, err := strconv.ParseUint(job.Args[1], 10, 5); err == nil {
			sig = int(n)
		} else {
			sig = SignalMap[strings.TrimPrefix(strings.ToUpper(job.Args[1]), "SIG")]
		}
		if sig == 0 {
			return job.Errorf("Invalid signal: %s", job.Args[1])
		}
	}
	container := daemon.Get(name)
	if container == nil {
		return job.Errorf("No such container: %s", name)
	}
	if sig == 0 || sig == 9 {
		if err := container.Kill(); err != nil {
			return job.Errorf("Cannot kill container %s: %s", name, err)
		}
		container.LogEvent("kill")
		return engine.StatusOK
	}
	if err := container.KillSig(sig); err != nil {
		return job.Errorf("Cannot kill container %s: %s", name, err)
	}
	return engine.StatusOK
}

// KillSig sends sig to the container's process. A paused container is
// refused (a frozen process cannot act on a signal); a stopped one is
// left alone.
func (container *Container) KillSig(sig int) error {
	container.Lock()
	defer container.Unlock()
	if container.State.IsPaused() {
		return fmt.Errorf("Container %s is paused. Unpause the container before stopping", container.ID)
	}
	if !container.State.IsRunning() {
		return nil
	}
	// Whatever the signal does, the restart policy must not undo it.
	if container.monitor != nil {
		container.monitor.ExitOnNext()
	}
	if container.State.IsRestarting() {
		return nil // no process now; the monitor will not start another
	}
	err := container.daemon.Kill(container, sig)
	if errors.Is(err, backend.ErrNotFound) || errors.Is(err, execdriver.ErrNotRunning) {
		// It ended on its own between the check above and the signal:
		// what the caller wanted has happened (upstream: no error).
		return nil
	}
	return err
}

// Kill sends SIGKILL and waits for the end; if the driver could not
// deliver it within 10 seconds, the process is signalled directly.
func (container *Container) Kill() error {
	if !container.State.IsRunning() {
		return nil
	}
	if err := container.KillSig(9); err != nil {
		return err
	}
	if _, err := container.State.WaitStop(10 * time.Second); err != nil {
		if p := container.processOf(); p != nil {
			container.daemon.infof("Container %s failed to exit within 10 seconds of kill - trying direct SIGKILL", TruncateID(container.ID))
			if err := p.Signal(syscall.SIGKILL); err != nil {
				return err
			}
		}
	}
	container.State.WaitStop(-1)
	return nil
}
