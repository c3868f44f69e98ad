// The "containers" job (docker ps): one row per container, newest first.
//
// Upstream: daemon/list.go at v1.2.0 (Containers), daemon/container.go at
// v1.2.0 (GetSize). See docs/upstream/v1.2.0.md §2.4 (containers: all, limit,
// since, before, size, filters) and §6.2 (GET /containers/json: the rows'
// keys Id, Names, Image, Command, Created, Status, Ports, SizeRw,
// SizeRootFs).
// Book: ch.12 §12.3 (the fields newContainer fills) and §12.4 (what Start
// changes); the book does not walk list.go.
//
// How the options combine (the daemon walks the containers newest first,
// so "before" and "since" are positions in that walk):
//
//	(none)      running containers only
//	all         every container
//	limit=N     the N newest, running or not (docker ps -n N; -l is -n 1)
//	before=X    only containers created before X (skip until X is passed)
//	since=X     only containers created after X (stop when X is reached)
//	filters     {"exited":["0"]}: stopped ones must have one of these codes
//	size        add SizeRw (the container's own layer) and SizeRootFs
package daemon

import (
	"encoding/json"
	"errors"
	"strconv"
	"strings"

	"github.com/dockerlab/dockerlab/v1_2/archive"
	"github.com/dockerlab/dockerlab/v1_2/daemon/graphdriver"
	"github.com/dockerlab/dockerlab/v1_2/engine"
	"github.com/dockerlab/dockerlab/v1_2/pkg/graphdb"
	"github.com/dockerlab/dockerlab/v1_2/pkg/parsers/filters"
)

// errLastContainer stops the walk early; it is not an error.
var errLastContainer = errors.New("last container")

// Containers is the "containers" job.
func (daemon *Daemon) Containers(job *engine.Job) engine.Status {
	var (
		all    = job.GetenvBool("all")
		since  = job.Getenv("since")
		before = job.Getenv("before")
		n      = job.GetenvInt("limit")
		size   = job.GetenvBool("size")
	)

	psFilters, err := filters.FromParam(job.Getenv("filters"))
	if err != nil {
		return job.Error(err)
	}
	var exitedCodes []int
	for _, value := range psFilters["exited"] {
		code, err := strconv.Atoi(value)
		if err != nil {
			return job.Error(err)
		}
		exitedCodes = append(exitedCodes, code)
	}

	// Every name a container has: its own ("/web") and the ones links
	// gave it ("/app/db").
	names := map[string][]string{}
	daemon.ContainerGraph().Walk("/", func(p string, e *graphdb.Entity) error {
		names[e.ID()] = append(names[e.ID()], p)
		return nil
	}, -1)

	var beforeCont, sinceCont *Container
	if before != "" {
		if beforeCont = daemon.Get(before); beforeCont == nil {
			return job.Errorf("Could not find container with name or id %s", before)
		}
	}
	if since != "" {
		if sinceCont = daemon.Get(since); sinceCont == nil {
			return job.Errorf("Could not find container with name or id %s", since)
		}
	}

	outs := engine.NewTable("Created", 0)
	displayed := 0
	foundBefore := false
	writeCont := func(container *Container) error {
		container.Lock()
		defer container.Unlock()
		running := container.State.IsRunning()
		if !running && !all && n <= 0 && since == "" && before == "" {
			return nil
		}
		if before != "" && !foundBefore {
			foundBefore = container.ID == beforeCont.ID
			return nil // X itself is not listed either
		}
		if n > 0 && displayed == n {
			return errLastContainer
		}
		if since != "" && container.ID == sinceCont.ID {
			return errLastContainer
		}
		if len(exitedCodes) > 0 && !running && !containsInt(exitedCodes, container.State.GetExitCode()) {
			return nil
		}
		displayed++
		out, err := daemon.containerRow(container, names[container.ID], size)
		if err != nil {
			return err
		}
		outs.Add(out)
		return nil
	}

	for _, container := range daemon.List() {
		if err := writeCont(container); err != nil {
			if err != errLastContainer {
				return job.Error(err)
			}
			break
		}
	}
	outs.ReverseSort() // newest first by "Created"
	if _, err := outs.WriteListTo(job.Stdout); err != nil {
		return job.Error(err)
	}
	return engine.StatusOK
}

// containerRow is one row of docker ps. The caller holds container's lock.
func (daemon *Daemon) containerRow(container *Container, names []string, size bool) (*engine.Env, error) {
	out := &engine.Env{}
	out.Set("Id", container.ID)
	out.SetList("Names", names)
	out.Set("Image", daemon.repositories.ImageName(container.Image))
	out.Set("Command", commandColumn(container.Path, container.Args))
	out.SetInt64("Created", container.Created.Unix())
	out.Set("Status", container.State.String())
	ports, err := container.NetworkSettings.PortMappingAPI().ToListString()
	if err != nil {
		return nil, err
	}
	out.SetJson("Ports", json.RawMessage(ports)) // a list, not a string
	if size {
		sizeRw, sizeRootFs := container.GetSize()
		out.SetInt64("SizeRw", sizeRw)
		out.SetInt64("SizeRootFs", sizeRootFs)
	}
	return out, nil
}

// commandColumn is the COMMAND column: path and arguments, an argument
// with a space in single quotes (sh -c 'echo hi'). Upstream wrapped it in
// double quotes, which its engine.Env encoder then took for a JSON string
// and removed on the way out; the clients add their own quotes
// (strconv.Quote). dockerlab's Env keeps strings as they are set, so the
// column is built without them and the API answers the same text.
func commandColumn(path string, args []string) string {
	if len(args) == 0 {
		return path
	}
	quoted := make([]string, len(args))
	for i, arg := range args {
		if strings.Contains(arg, " ") {
			arg = "'" + arg + "'"
		}
		quoted[i] = arg
	}
	return path + " " + strings.Join(quoted, " ")
}

func containsInt(list []int, v int) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

// GetSize returns the size of the container's own changes (SizeRw) and of
// its whole filesystem, image included (SizeRootFs); -1 where it could
// not be measured. The layer is mounted for the measurement.
//
// Upstream 1.2 measured SizeRootFs only when os.Stat of the mount FAILED
// (an inverted test), so it always reported 0; here it is measured
// (docs/divergences.md).
func (container *Container) GetSize() (sizeRw, sizeRootFs int64) {
	daemon := container.daemon
	if err := container.Mount(); err != nil {
		daemon.logf("Warning: failed to compute size of container rootfs %s: %s", container.ID, err)
		return -1, -1
	}
	defer container.Unmount()

	if differ, ok := daemon.driver.(graphdriver.Differ); ok {
		var err error
		if sizeRw, err = differ.DiffSize(container.ID); err != nil {
			sizeRw = -1
		}
	} else if changes, err := daemon.Changes(container); err == nil {
		sizeRw = archive.ChangesSize(container.basefs, changes)
	} else {
		sizeRw = -1
	}

	var err error
	if sizeRootFs, err = archive.TreeSize(container.basefs); err != nil {
		sizeRootFs = -1
	}
	return sizeRw, sizeRootFs
}
