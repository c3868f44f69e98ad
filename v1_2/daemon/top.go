// The "top" job (docker top CONTAINER [ps options]): the processes running
// in a container.
//
// Upstream: daemon/top.go at v1.2.0 (ContainerTop). See
// docs/upstream/v1.2.0.md §2.4 and §6.2 (GET /containers/{name}/top answers
// {"Titles": [...], "Processes": [[...], ...]}).
// Book: ch.14 §14.3 (the cgroup knows which processes are the container's).
//
// Upstream ran the host's `ps <ps_args>` and kept the rows whose PID the
// execdriver named (GetPidsForContainer: the pids in the container's
// cgroup). dockerlab's v1.2 daemon never runs a host binary (docs/design.md:
// all machine access goes through backend.Host), so the rows come from
// the backend's process table (Host.Procs) instead, with fixed columns:
//
//	PID    the pid on the machine (the host pid on linux)
//	STATE  running, stopped, frozen (docker pause)
//	STIME  when it started, HH:MM as ps prints it
//	CMD    its argv
//
// A pid in the cgroup that the backend did not start itself (a child
// forked inside the container, on the real kernel) is listed with "?"
// for what the table cannot say. See docs/divergences.md.
package daemon

import (
	"strconv"
	"strings"

	"github.com/dockerlab/dockerlab/backend"
	"github.com/dockerlab/dockerlab/v1_2/engine"
)

// topTitles are the columns of every top answer.
var topTitles = []string{"PID", "STATE", "STIME", "CMD"}

// topPsArgs are the ps options accepted (they all mean "every process,
// full command line"); other options would promise columns we cannot fill.
var topPsArgs = map[string]bool{"": true, "-ef": true, "-e": true, "ef": true, "aux": true, "-aux": true, "-A": true}

// ContainerTop is the "top" job: top CONTAINER [PS_ARGS].
func (daemon *Daemon) ContainerTop(job *engine.Job) engine.Status {
	if len(job.Args) != 1 && len(job.Args) != 2 {
		return job.Errorf("Not enough arguments. Usage: %s CONTAINER [PS_ARGS]\n", job.Name)
	}
	name := job.Args[0]
	psArgs := ""
	if len(job.Args) == 2 {
		psArgs = strings.TrimSpace(job.Args[1])
	}
	if !topPsArgs[psArgs] {
		return job.Errorf("ps options %q are not supported: dockerlab reads the backend's process table instead of running ps, and shows %s (accepted: -ef, aux)",
			psArgs, strings.Join(topTitles, ", "))
	}
	container := daemon.Get(name)
	if container == nil {
		return job.Errorf("No such container: %s", name)
	}
	if !container.State.IsRunning() {
		return job.Errorf("Container %s is not running", name)
	}
	pids, err := daemon.ExecutionDriver().GetPidsForContainer(container.ID)
	if err != nil {
		return job.Error(err)
	}
	procs, err := daemon.config.Host.Procs()
	if err != nil {
		return job.Errorf("Error reading the process table: %s", err)
	}

	out := &engine.Env{}
	out.SetList("Titles", topTitles)
	out.SetJson("Processes", topRows(pids, procs))
	if _, err := out.WriteTo(job.Stdout); err != nil {
		return job.Error(err)
	}
	return engine.StatusOK
}

// topRows is one row per pid, in the cgroup's order.
func topRows(pids []int, procs []backend.ProcInfo) [][]string {
	byPid := make(map[int]backend.ProcInfo, len(procs))
	for _, p := range procs {
		if p.State != "exited" {
			byPid[p.Pid] = p
		}
	}
	rows := [][]string{}
	for _, pid := range pids {
		p, ok := byPid[pid]
		if !ok {
			rows = append(rows, []string{strconv.Itoa(pid), "?", "?", "?"})
			continue
		}
		rows = append(rows, []string{
			strconv.Itoa(pid),
			p.State,
			p.StartedAt.Local().Format("15:04"),
			strings.Join(p.Args, " "),
		})
	}
	return rows
}
