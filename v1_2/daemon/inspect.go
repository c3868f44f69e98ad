// The "container_inspect" job (docker inspect CONTAINER): everything the
// daemon knows about one container, as one JSON object.
//
// Upstream: daemon/inspect.go at v1.2.0 (ContainerInspect). See
// docs/upstream/v1.2.0.md §6.2 (GET /containers/{name}/json).
// Book: ch.12 §12.3 (the fields are the Container struct newContainer
// filled).
//
// The keys are upstream's: Id, Created, Path, Args, Config, State, Image,
// NetworkSettings, ResolvConfPath, HostnamePath, HostsPath, Name, Driver,
// ExecDriver, MountLabel, ProcessLabel, Volumes, VolumesRW, HostConfig.
// HostConfig.Links is not stored with the container: it is rebuilt from
// graphdb, so it shows the links that exist now ("/db:/web/db").
//
// With env raw=1 the job writes upstream's other form instead: the
// Container struct as config.json holds it, plus HostConfig.
package daemon

import (
	"encoding/json"
	"fmt"
	"sort"

	"github.com/dockerlab/dockerlab/v1_2/engine"
	"github.com/dockerlab/dockerlab/v1_2/runconfig"
)

// ContainerInspect is the "container_inspect" job.
func (daemon *Daemon) ContainerInspect(job *engine.Job) engine.Status {
	if len(job.Args) != 1 {
		return job.Errorf("usage: %s NAME", job.Name)
	}
	name := job.Args[0]
	container := daemon.Get(name)
	if container == nil {
		return job.Errorf("No such container: %s", name)
	}
	container.Lock()
	defer container.Unlock()

	hostConfig := container.hostConfig
	if hostConfig == nil {
		hostConfig = &runconfig.HostConfig{}
	}

	if job.GetenvBool("raw") {
		b, err := json.Marshal(&struct {
			*Container
			HostConfig *runconfig.HostConfig
		}{container, hostConfig})
		if err != nil {
			return job.Error(err)
		}
		job.Stdout.Write(b)
		return engine.StatusOK
	}

	out := &engine.Env{}
	out.Set("Id", container.ID)
	out.SetAuto("Created", container.Created)
	out.Set("Path", container.Path)
	out.SetList("Args", container.Args)
	out.SetJson("Config", container.Config)
	out.SetJson("State", container.State)
	out.Set("Image", container.Image)
	out.SetJson("NetworkSettings", container.NetworkSettings)
	out.Set("ResolvConfPath", container.ResolvConfPath)
	out.Set("HostnamePath", container.HostnamePath)
	out.Set("HostsPath", container.HostsPath)
	out.Set("Name", container.Name)
	out.Set("Driver", container.Driver)
	out.Set("ExecDriver", container.ExecDriver)
	out.Set("MountLabel", container.MountLabel)
	out.Set("ProcessLabel", container.ProcessLabel)
	out.SetJson("Volumes", container.Volumes)
	out.SetJson("VolumesRW", container.VolumesRW)

	// A copy with the links filled in; upstream appended to the stored
	// HostConfig and emptied its Links again afterwards.
	shown := *hostConfig
	shown.Links = nil
	if children, err := daemon.Children(container.Name); err == nil {
		for alias, child := range children {
			shown.Links = append(shown.Links, fmt.Sprintf("%s:%s", child.Name, alias))
		}
		sort.Strings(shown.Links) // map order is random; the answer should not be
	}
	out.SetJson("HostConfig", &shown)

	if _, err := out.WriteTo(job.Stdout); err != nil {
		return job.Error(err)
	}
	return engine.StatusOK
}
