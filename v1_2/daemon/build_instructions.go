// The Dockerfile instructions of Docker 1.2, one method each, found by
// BuildStep by name. Most of them only change the config the build
// carries and commit it ("#(nop)"); RUN runs a container; ADD and COPY
// (build_add.go) copy files of the context.
//
// Upstream: daemon/build.go at v1.2.0 (CmdFrom, CmdOnbuild,
// CmdMaintainer, CmdRun, CmdEnv, CmdCmd, CmdEntrypoint, CmdExpose,
// CmdUser, CmdInsert, CmdCopy, CmdWorkdir, CmdVolume, CmdAdd).
// Book: ch.11 §11.4 Dockerfile命令分析: §11.4.1 FROM命令, §11.4.2 RUN命令,
// §11.4.3 ENV命令.
package daemon

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/dockerlab/dockerlab/v1_2/engine"
	"github.com/dockerlab/dockerlab/v1_2/graph"
	"github.com/dockerlab/dockerlab/v1_2/image"
	"github.com/dockerlab/dockerlab/v1_2/nat"
	"github.com/dockerlab/dockerlab/v1_2/registry"
	"github.com/dockerlab/dockerlab/v1_2/runconfig"
)

// CmdFrom (§11.4.1): the image to build on, pulled if it is not here.
// Its config becomes the build's (with a PATH if it has no Env), and its
// ONBUILD triggers run now, as steps "onbuild-N". FROM commits nothing.
func (b *buildFile) CmdFrom(name string) error {
	img, err := b.daemon.Repositories().LookupImage(name)
	if err != nil {
		if !b.daemon.Graph().IsNotExist(err) {
			return err
		}
		if img, err = b.pullForFrom(name); err != nil {
			return err
		}
	}
	config, err := imageConfig(img)
	if err != nil {
		return err
	}
	if config == nil {
		config = &runconfig.Config{}
	}
	b.image = img.ID
	b.config = config
	if len(b.config.Env) == 0 {
		b.config.Env = append(b.config.Env, "PATH="+DefaultPathEnv)
	}

	// The triggers are taken out of the config: the images this build
	// commits must not carry them on to their own children.
	onBuildTriggers := b.config.OnBuild
	b.config.OnBuild = []string{}
	if n := len(onBuildTriggers); n != 0 {
		fmt.Fprintf(b.errStream, "# Executing %d build triggers\n", n)
	}
	for n, step := range onBuildTriggers {
		stepInstruction := strings.ToUpper(strings.Trim(strings.Split(step, " ")[0], " "))
		switch stepInstruction {
		case "ONBUILD":
			return fmt.Errorf("Source image contains forbidden chained `ONBUILD ONBUILD` trigger: %s", step)
		case "MAINTAINER", "FROM":
			return fmt.Errorf("Source image contains forbidden %s trigger: %s", stepInstruction, step)
		}
		if err := b.BuildStep(fmt.Sprintf("onbuild-%d", n), step); err != nil {
			return err
		}
	}
	return nil
}

// pullForFrom runs the "pull" job for an image that is not here, as 1.2
// did, its progress going straight to the client. The job is looked up
// when FROM needs it: the registry's (v1_2/graph pull.go) on a whole
// daemon; on an engine without one, 1.2's answer for a missing image.
func (b *buildFile) pullForFrom(name string) (*image.Image, error) {
	remote, tag := graph.ParseRepositoryTag(name)
	pullRegistryAuth := b.authConfig
	if len(b.configFile.Configs) > 0 {
		// The request carried the client's whole .dockercfg: the account
		// of the registry the name names.
		endpoint, _, err := registry.ResolveRepositoryName(remote)
		if err != nil {
			return nil, err
		}
		resolvedAuth := b.configFile.ResolveAuthConfig(endpoint)
		pullRegistryAuth = &resolvedAuth
	}
	job := b.eng.Job("pull", remote, tag)
	job.SetenvBool("json", b.sf.Json())
	job.SetenvBool("parallel", true)
	job.SetenvJson("authConfig", pullRegistryAuth)
	job.Stdout.Add(b.outOld)
	if err := job.Run(); err != nil {
		if job.StatusCode() == int(engine.StatusNotFound) {
			if tag == "" {
				tag = graph.DEFAULTTAG
			}
			return nil, fmt.Errorf("No such image: %s (tag: %s)", remote, tag)
		}
		return nil, err
	}
	return b.daemon.Repositories().LookupImage(name)
}

// CmdOnbuild stores a trigger for the builds FROM this image.
func (b *buildFile) CmdOnbuild(trigger string) error {
	triggerInstruction := strings.ToUpper(strings.Trim(strings.Split(trigger, " ")[0], " "))
	switch triggerInstruction {
	case "ONBUILD":
		return fmt.Errorf("Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed")
	case "MAINTAINER", "FROM":
		return fmt.Errorf("%s isn't allowed as an ONBUILD trigger", triggerInstruction)
	}
	b.config.OnBuild = append(b.config.OnBuild, trigger)
	return b.commit("", b.config.Cmd, fmt.Sprintf("ONBUILD %s", trigger))
}

// CmdMaintainer sets the author of the images committed from now on.
func (b *buildFile) CmdMaintainer(name string) error {
	b.maintainer = name
	return b.commit("", b.config.Cmd, fmt.Sprintf("MAINTAINER %s", name))
}

// CmdRun (§11.4.2): the command runs in a container made from the current
// image with the current config, and that container is committed. The
// command is parsed as `docker run IMAGE COMMAND` would be, and only for
// this step: the image's CMD stays what it was.
func (b *buildFile) CmdRun(args string) error {
	if b.image == "" {
		return fmt.Errorf("Please provide a source image with `from` prior to run")
	}
	cmdArgs, err := b.buildCmdFromJson("RUN", args)
	if err != nil {
		return err
	}
	config, _, _, err := runconfig.Parse(append([]string{b.image}, cmdArgs...), nil)
	if err != nil {
		return err
	}

	cmd := b.config.Cmd
	b.config.Cmd = config.Cmd
	if err := runconfig.Merge(b.config, config); err != nil {
		return err
	}
	defer func(cmd []string) { b.config.Cmd = cmd }(cmd)

	hit, err := b.probeCache()
	if err != nil {
		return err
	}
	if hit {
		return nil
	}

	c, err := b.create()
	if err != nil {
		return err
	}
	// Mounted from the run to the commit, so the layer is not unmounted
	// and mounted again in between.
	if err := c.Mount(); err != nil {
		return err
	}
	defer c.Unmount()

	if err := b.run(c); err != nil {
		return err
	}
	return b.commit(c.ID, cmd, "run")
}

// CmdEnv (§11.4.3): ENV NAME value — one variable, the name and the value
// separated by the first space; $NAME and ${NAME} in the value are
// replaced from the Env so far.
func (b *buildFile) CmdEnv(args string) error {
	tmp := strings.SplitN(args, " ", 2)
	if len(tmp) != 2 {
		return fmt.Errorf("Invalid ENV format: ENV %s has no value; write ENV NAME value (the name, a space, the value; ENV NAME=value came in Docker 1.4)", args)
	}
	key := strings.Trim(tmp[0], " \t")
	value := strings.Trim(tmp[1], " \t")

	envKey := b.FindEnvKey(key)
	replacedValue, err := b.ReplaceEnvMatches(value)
	if err != nil {
		return err
	}
	replacedVar := fmt.Sprintf("%s=%s", key, replacedValue)

	if envKey >= 0 {
		b.config.Env[envKey] = replacedVar
	} else {
		b.config.Env = append(b.config.Env, replacedVar)
	}
	return b.commit("", b.config.Cmd, fmt.Sprintf("ENV %s", replacedVar))
}

// CmdCmd sets the image's default command.
func (b *buildFile) CmdCmd(args string) error {
	cmd, err := b.buildCmdFromJson("CMD", args)
	if err != nil {
		return err
	}
	b.config.Cmd = cmd
	if err := b.commit("", b.config.Cmd, fmt.Sprintf("CMD %v", cmd)); err != nil {
		return err
	}
	b.cmdSet = true
	return nil
}

// CmdEntrypoint sets the image's entrypoint. A CMD inherited from the
// base image (none earlier in this Dockerfile) is dropped: it was meant
// for the old entrypoint.
func (b *buildFile) CmdEntrypoint(args string) error {
	entrypoint, err := b.buildCmdFromJson("ENTRYPOINT", args)
	if err != nil {
		return err
	}
	b.config.Entrypoint = entrypoint
	if !b.cmdSet {
		b.config.Cmd = nil
	}
	return b.commit("", b.config.Cmd, fmt.Sprintf("ENTRYPOINT %v", entrypoint))
}

// CmdExpose adds ports (separated by single spaces) to ExposedPorts.
func (b *buildFile) CmdExpose(args string) error {
	portsTab := strings.Split(args, " ")
	if b.config.ExposedPorts == nil {
		b.config.ExposedPorts = make(nat.PortSet)
	}
	ports, _, err := nat.ParsePortSpecs(append(portsTab, b.config.PortSpecs...))
	if err != nil {
		return err
	}
	for port := range ports {
		b.config.ExposedPorts[port] = struct{}{}
	}
	b.config.PortSpecs = nil
	return b.commit("", b.config.Cmd, fmt.Sprintf("EXPOSE %v", ports))
}

// CmdUser sets the user the next RUN steps and the image's containers
// run as.
func (b *buildFile) CmdUser(args string) error {
	b.config.User = args
	return b.commit("", b.config.Cmd, fmt.Sprintf("USER %v", args))
}

// CmdInsert: INSERT URL PATH was removed before 1.0.
func (b *buildFile) CmdInsert(args string) error {
	return fmt.Errorf("INSERT has been deprecated. Please use ADD instead")
}

// CmdWorkdir sets the working directory; a relative one is joined to the
// one before.
func (b *buildFile) CmdWorkdir(workdir string) error {
	if strings.HasPrefix(workdir, "/") {
		b.config.WorkingDir = workdir
	} else {
		if b.config.WorkingDir == "" {
			b.config.WorkingDir = "/"
		}
		b.config.WorkingDir = filepath.Join(b.config.WorkingDir, workdir)
	}
	return b.commit("", b.config.Cmd, fmt.Sprintf("WORKDIR %v", workdir))
}

// CmdVolume declares volumes: a JSON array of paths, or else the whole
// argument as one path (so VOLUME /a /b is one volume named "/a /b").
func (b *buildFile) CmdVolume(args string) error {
	if args == "" {
		return fmt.Errorf("Volume cannot be empty")
	}
	var volume []string
	if err := json.Unmarshal([]byte(args), &volume); err != nil {
		volume = []string{args}
	}
	if b.config.Volumes == nil {
		b.config.Volumes = map[string]struct{}{}
	}
	for _, v := range volume {
		b.config.Volumes[v] = struct{}{}
	}
	return b.commit("", b.config.Cmd, fmt.Sprintf("VOLUME %s", args))
}

// CmdAdd copies a file, directory, URL or (unpacked) local archive.
func (b *buildFile) CmdAdd(args string) error {
	return b.runContextCommand(args, true, true, "ADD")
}

// CmdCopy copies a file or directory of the context, nothing else.
func (b *buildFile) CmdCopy(args string) error {
	return b.runContextCommand(args, false, false, "COPY")
}
