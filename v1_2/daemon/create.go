// The "create" job: a container made from an image, on disk and
// registered, not yet started. `docker run` is create then start.
//
// Upstream: daemon/create.go at v1.2.0 (ContainerCreate, Create),
// daemon/daemon.go at v1.2.0 (mergeAndVerifyConfig, generateIdAndName,
// reserveName, generateNewName, generateHostname, getEntrypointAndArgs,
// newContainer, createRootfs). See docs/upstream/v1.2.0.md §2.4 ("create").
// Book: ch.12 §12.2 (创建容器: the job) and §12.3 (创建容器对象: the steps below, in
// order).
// Notes: 001 容器的创建.
//
// Create's steps, each traced with --trace as "12.3 <step>":
//
//	LookupImage → CheckDepth → mergeAndVerifyConfig → newContainer
//	(id, name in graphdb, hostname, entrypoint) → createRootfs (the
//	<id>-init layer, then <id> on it) → ToDisk → Register
package daemon

import (
	"encoding/json"
	"fmt"
	"os"
	"regexp"
	"strings"
	"time"

	"github.com/dockerlab/dockerlab/v1_2/engine"
	"github.com/dockerlab/dockerlab/v1_2/graph"
	"github.com/dockerlab/dockerlab/v1_2/image"
	"github.com/dockerlab/dockerlab/v1_2/pkg/graphdb"
	"github.com/dockerlab/dockerlab/v1_2/runconfig"
)

var (
	validContainerNameChars   = `[a-zA-Z0-9_.-]`
	validContainerNamePattern = regexp.MustCompile(`^/?` + validContainerNameChars + `+$`)
)

// ContainerCreate is the "create" job: `create [name]`, the env a
// runconfig.Config. It prints the new id; warnings go to stderr and the
// job still succeeds.
//
// Divergence: a "HostConfig" key in the env (what clients newer than
// 1.2 send in the create body) is kept as the container's
// hostconfig.json; start's HostConfig, when given, still replaces it.
func (daemon *Daemon) ContainerCreate(job *engine.Job) engine.Status {
	var name string
	if len(job.Args) == 1 {
		name = job.Args[0]
	} else if len(job.Args) > 1 {
		return job.Errorf("Usage: %s", job.Name)
	}
	config := runconfig.ContainerConfigFromJob(job)
	if config.Memory != 0 && config.Memory < 524288 {
		return job.Errorf("Minimum memory limit allowed is 512k")
	}
	if config.Memory > 0 && !daemon.sysInfo.MemoryLimit {
		job.Errorf("Your kernel does not support memory limit capabilities. Limitation discarded.\n")
		config.Memory = 0
	}
	if config.Memory > 0 && !daemon.sysInfo.SwapLimit {
		job.Errorf("Your kernel does not support swap limit capabilities. Limitation discarded.\n")
		config.MemorySwap = -1
	}
	var hostConfig *runconfig.HostConfig
	autoRemove := false
	if job.EnvExists("HostConfig") {
		hostConfig = hostConfigFromSubEnv(job)
		if sub := job.GetenvSubEnv("HostConfig"); sub != nil {
			autoRemove = sub.GetBool("AutoRemove")
		}
	}
	container, warnings, err := daemon.CreateWithHostConfig(config, hostConfig, name)
	if err != nil {
		if daemon.graph.IsNotExist(err) {
			_, tag := graph.ParseRepositoryTag(config.Image)
			if tag == "" {
				tag = graph.DEFAULTTAG
			}
			return job.Errorf("No such image: %s (tag: %s)", config.Image, tag)
		}
		return job.Error(err)
	}
	if autoRemove {
		container.AutoRemove = true
		if err := container.ToDisk(); err != nil {
			return job.Error(err)
		}
	}
	if !container.Config.NetworkDisabled && daemon.sysInfo.IPv4ForwardingDisabled {
		job.Errorf("IPv4 forwarding is disabled.\n")
	}
	container.LogEvent("create")
	job.Printf("%s\n", container.ID)
	for _, w := range warnings {
		job.Errorf("%s\n", w)
	}
	return engine.StatusOK
}

// hostConfigFromSubEnv reads the env key "HostConfig" (a JSON object) with
// runconfig's job reader, so create and start read a HostConfig alike.
func hostConfigFromSubEnv(job *engine.Job) *runconfig.HostConfig {
	sub := job.GetenvSubEnv("HostConfig")
	tmp := job.Eng.Job("hostconfig")
	if sub != nil {
		tmp.Env().Init(sub)
	}
	return runconfig.ContainerHostConfigFromJob(tmp)
}

// Create makes a container of config named name ("" for a generated
// name). The second result holds warnings for the user.
func (daemon *Daemon) Create(config *runconfig.Config, name string) (*Container, []string, error) {
	return daemon.CreateWithHostConfig(config, nil, name)
}

// CreateWithHostConfig is Create keeping hostConfig (may be nil) as the
// container's hostconfig.json.
func (daemon *Daemon) CreateWithHostConfig(config *runconfig.Config, hostConfig *runconfig.HostConfig, name string) (*Container, []string, error) {
	trace := daemon.config.tracef
	if config.Image == "" {
		return nil, nil, fmt.Errorf("No image given: create needs an image (the Image field)")
	}
	img, err := daemon.repositories.LookupImage(config.Image)
	if err != nil {
		return nil, nil, err
	}
	trace("12.3", "LookupImage %s: %s", config.Image, TruncateID(img.ID))
	if err := img.CheckDepth(); err != nil {
		return nil, nil, err
	}
	trace("12.3", "CheckDepth: ok")
	warnings, err := daemon.mergeAndVerifyConfig(config, img)
	if err != nil {
		return nil, nil, err
	}
	trace("12.3", "mergeAndVerifyConfig: Cmd %q Entrypoint %q Env %q", config.Cmd, config.Entrypoint, config.Env)
	container, err := daemon.newContainer(name, config, img)
	if err != nil {
		return nil, nil, err
	}
	trace("12.3", "newContainer: id %s, name %s, hostname %s, path %s args %q",
		container.ID, container.Name, config.Hostname, container.Path, container.Args)
	// From here a failure must give the name back, or it stays taken.
	fail := func(err error) (*Container, []string, error) {
		daemon.containerGraph.Delete(container.Name)
		daemon.driver.Remove(container.ID)
		daemon.driver.Remove(container.ID + "-init")
		os.RemoveAll(container.root)
		return nil, nil, err
	}
	if err := daemon.createRootfs(container, img); err != nil {
		return fail(err)
	}
	trace("12.3", "createRootfs: layers %s-init (on the image) and %s (driver %s)", TruncateID(container.ID), TruncateID(container.ID), daemon.driver)
	if err := container.ToDisk(); err != nil {
		return fail(err)
	}
	trace("12.3", "ToDisk: %s", container.jsonPath())
	if err := daemon.Register(container); err != nil {
		return fail(err)
	}
	trace("12.3", "Register: truncindex and the containers store know %s", TruncateID(container.ID))
	if hostConfig != nil {
		// What start does with its HostConfig (bind sources, links in
		// graphdb, hostconfig.json), done now for one sent with create.
		if err := daemon.setHostConfig(container, hostConfig); err != nil {
			if derr := daemon.Destroy(container); derr != nil {
				daemon.logf("removing %s after a bad HostConfig: %s", container.ID, derr)
			}
			return nil, nil, err
		}
		trace("12.3", "HostConfig (sent with create): kept in %s", container.hostConfigPath())
	}
	return container, warnings, nil
}

// checkDeprecatedExpose: "host:port:port" in EXPOSE published ports
// before -p existed.
func checkDeprecatedExpose(config *runconfig.Config) bool {
	if config == nil {
		return false
	}
	for _, p := range config.PortSpecs {
		if strings.Contains(p, ":") {
			return true
		}
	}
	return false
}

// imageConfig decodes the image's config (kept raw in image.Image).
func imageConfig(img *image.Image) (*runconfig.Config, error) {
	if len(img.Config) == 0 || string(img.Config) == "null" {
		return nil, nil
	}
	c := &runconfig.Config{}
	if err := json.Unmarshal(img.Config, c); err != nil {
		return nil, fmt.Errorf("image %s has an unreadable config: %w", TruncateID(img.ID), err)
	}
	return c, nil
}

// mergeAndVerifyConfig fills the user's config from the image's (Cmd,
// Env, ExposedPorts …) and insists on something to run.
func (daemon *Daemon) mergeAndVerifyConfig(config *runconfig.Config, img *image.Image) ([]string, error) {
	imgConfig, err := imageConfig(img)
	if err != nil {
		return nil, err
	}
	var warnings []string
	if checkDeprecatedExpose(imgConfig) || checkDeprecatedExpose(config) {
		warnings = append(warnings, "The mapping to public ports on your host via Dockerfile EXPOSE (host:port:port) has been deprecated. Use -p to publish the ports.")
	}
	if imgConfig != nil {
		if err := runconfig.Merge(config, imgConfig); err != nil {
			return nil, err
		}
	}
	if len(config.Entrypoint) == 0 && len(config.Cmd) == 0 {
		return nil, fmt.Errorf("No command specified")
	}
	return warnings, nil
}

// generateIdAndName draws a fresh id and reserves the name (or a
// generated one) for it in graphdb.
func (daemon *Daemon) generateIdAndName(name string) (string, string, error) {
	id := GenerateRandomID()
	var err error
	if name == "" {
		name, err = daemon.generateNewName(id)
	} else {
		name, err = daemon.reserveName(id, name)
	}
	if err != nil {
		return "", "", err
	}
	return id, name, nil
}

// reserveName sets "/name" → id in graphdb. A name held by a container
// that no longer exists (left by a crash) is taken over.
func (daemon *Daemon) reserveName(id, name string) (string, error) {
	if !validContainerNamePattern.MatchString(name) {
		return "", fmt.Errorf("Invalid container name (%s), only %s are allowed", name, validContainerNameChars)
	}
	if name[0] != '/' {
		name = "/" + name
	}
	if _, err := daemon.containerGraph.Set(name, id); err != nil {
		if !graphdb.IsNonUniqueNameError(err) {
			return "", err
		}
		conflicting, err := daemon.GetByName(name)
		if err != nil {
			if strings.Contains(err.Error(), "Could not find entity") {
				return "", err
			}
			// The name points at a container the daemon does not know.
			if err := daemon.containerGraph.Delete(name); err != nil {
				return "", err
			}
			if _, err := daemon.containerGraph.Set(name, id); err != nil {
				return "", err
			}
			return name, nil
		}
		short := strings.TrimPrefix(name, "/")
		return "", fmt.Errorf("Conflict, The name %s is already assigned to %s. You have to delete (or rename) that container to be able to assign %s to a container again.",
			short, TruncateID(conflicting.ID), short)
	}
	return name, nil
}

// generateNewName tries six generated names, then the short id.
func (daemon *Daemon) generateNewName(id string) (string, error) {
	for i := 0; i < 6; i++ {
		name := "/" + GetRandomName(i)
		if _, err := daemon.containerGraph.Set(name, id); err != nil {
			if !graphdb.IsNonUniqueNameError(err) {
				return "", err
			}
			continue
		}
		return name, nil
	}
	name := "/" + TruncateID(id)
	if _, err := daemon.containerGraph.Set(name, id); err != nil {
		return "", err
	}
	return name, nil
}

// generateHostname: the short id, unless -h gave one.
func (daemon *Daemon) generateHostname(id string, config *runconfig.Config) {
	if config.Hostname == "" {
		config.Hostname = id[:12]
	}
}

// getEntrypointAndArgs: the entrypoint runs with Cmd as its arguments;
// without one, Cmd[0] runs.
func (daemon *Daemon) getEntrypointAndArgs(config *runconfig.Config) (string, []string) {
	if len(config.Entrypoint) != 0 {
		args := append(append([]string{}, config.Entrypoint[1:]...), config.Cmd...)
		return config.Entrypoint[0], args
	}
	return config.Cmd[0], append([]string{}, config.Cmd[1:]...)
}

// newContainer fills the Container struct (book §12.3).
func (daemon *Daemon) newContainer(name string, config *runconfig.Config, img *image.Image) (*Container, error) {
	id, name, err := daemon.generateIdAndName(name)
	if err != nil {
		return nil, err
	}
	daemon.generateHostname(id, config)
	entrypoint, args := daemon.getEntrypointAndArgs(config)
	container := &Container{
		ID:              id,
		Created:         time.Now().UTC(),
		Path:            entrypoint,
		Args:            args,
		Config:          config,
		hostConfig:      &runconfig.HostConfig{},
		Image:           img.ID,
		NetworkSettings: &NetworkSettings{},
		Name:            name,
		Driver:          daemon.driver.String(),
		ExecDriver:      daemon.execDriver.Name(),
		State:           NewState(),
	}
	container.root = daemon.containerRoot(id)
	return container, nil
}

// createRootfs: the container's directory (its Mkdir is the barrier
// against two creates of one id), the init layer on the image with the
// files every container needs (/etc/hosts, /.dockerinit …), and the
// container's own layer on top.
//
//lab:exercise ch12.create-rootfs
func (daemon *Daemon) createRootfs(container *Container, img *image.Image) error {
	if err := os.Mkdir(container.root, 0o700); err != nil {
		return err
	}
	initID := container.ID + "-init"
	if err := daemon.driver.Create(initID, img.ID); err != nil {
		return err
	}
	initPath, err := daemon.driver.Get(initID, "")
	if err != nil {
		return err
	}
	err = graph.SetupInitLayer(initPath)
	daemon.driver.Put(initID)
	if err != nil {
		return err
	}
	return daemon.driver.Create(container.ID, initID)
}
