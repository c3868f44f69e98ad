// How a step becomes an image: a container is created from the current
// image with the current config, RUN starts it and waits, and the
// container is committed; before any of that, the cache is asked whether
// an image made from this image with this very config already exists.
// Also: stopping a build whose client went away.
//
// Upstream: daemon/build.go at v1.2.0 (probeCache, create, run, commit),
// daemon/daemon.go at v1.2.0 (ImageGetCached).
// Book: ch.11 §11.4.1 FROM命令 and §11.4.2 RUN命令 (the container created,
// run and committed per step).
//
// The cache key is the config: a step's container config holds the
// command it ran (RUN's, or "/bin/sh -c #(nop) ENV …" for the steps that
// only change metadata, or ADD's with the content's sum). A child of the
// current image whose container_config equals it (runconfig.Compare) is
// that step already done: " ---> Using cache".
package daemon

import (
	"encoding/json"
	"errors"
	"fmt"
	"sync"

	"github.com/dockerlab/dockerlab/v1_2/image"
	"github.com/dockerlab/dockerlab/v1_2/runconfig"
)

// probeCache looks for (b.image, b.config) in the cache; on a hit the
// build moves on to the cached image.
//
// Divergence: 1.2 asked ImageGetCached, which read every image of the
// graph, at every step. A build reads the graph once (cacheIndex) and
// adds what it commits itself; an image another client makes meanwhile
// is not found (that step is built again), one removed meanwhile is
// checked for before it is used.
func (b *buildFile) probeCache() (bool, error) {
	if !b.utilizeCache {
		return false, nil
	}
	if b.children == nil {
		images, err := b.daemon.Graph().Map()
		if err != nil {
			return false, err
		}
		b.children = map[string][]*image.Image{}
		for _, img := range images {
			b.children[img.Parent] = append(b.children[img.Parent], img)
		}
	}
	cache := newestMatch(b.children[b.image], b.config)
	if cache == nil || !b.daemon.Graph().Exists(cache.ID) {
		return false, nil
	}
	fmt.Fprintf(b.outStream, " ---> Using cache\n")
	b.image = cache.ID
	return true, nil
}

// ImageGetCached is the newest child of imgID whose container config
// equals config, or nil.
func (daemon *Daemon) ImageGetCached(imgID string, config *runconfig.Config) (*image.Image, error) {
	images, err := daemon.Graph().Map()
	if err != nil {
		return nil, err
	}
	var children []*image.Image
	for _, img := range images {
		if img.Parent == imgID {
			children = append(children, img)
		}
	}
	return newestMatch(children, config), nil
}

// newestMatch is the newest of images whose container config equals
// config (runconfig.Compare), or nil.
func newestMatch(images []*image.Image, config *runconfig.Config) *image.Image {
	var match *image.Image
	for _, img := range images {
		var cc runconfig.Config
		if len(img.ContainerConfig) == 0 || json.Unmarshal(img.ContainerConfig, &cc) != nil {
			continue
		}
		if runconfig.Compare(&cc, config) && (match == nil || match.Created.Before(img.Created)) {
			match = img
		}
	}
	return match
}

// create makes the container of a RUN step. Its process is the step's
// command itself: an ENTRYPOINT of the image does not wrap RUN.
func (b *buildFile) create() (*Container, error) {
	if b.image == "" {
		return nil, fmt.Errorf("Please provide a source image with `from` prior to run")
	}
	b.config.Image = b.image
	c, _, err := b.daemon.Create(cloneConfig(b.config), "")
	if err != nil {
		return nil, err
	}
	b.addTmp(c.ID)
	fmt.Fprintf(b.outStream, " ---> Running in %s\n", TruncateID(c.ID))
	c.Path = b.config.Cmd[0]
	c.Args = b.config.Cmd[1:]
	return c, nil
}

// run starts the container, shows what it prints (unless q) and waits
// for it. A non-zero exit fails the step with 1.2's message.
func (b *buildFile) run(c *Container) error {
	var errCh chan error
	if b.verbose {
		errCh = b.daemon.Attach(c, nil, nil, b.outStream, b.errStream)
	}
	if err := b.startCancellable(c); err != nil {
		return err
	}
	if errCh != nil {
		if err := <-errCh; err != nil {
			return err
		}
	}
	ret, _ := c.State.WaitStop(-1)
	b.setRunning(nil)
	if err := b.cancelled(); err != nil {
		return err
	}
	if ret != 0 {
		return &buildError{
			Message: fmt.Sprintf("The command %v returned a non-zero code: %d", b.config.Cmd, ret),
			Code:    ret,
		}
	}
	return nil
}

// buildError is 1.2's utils.JSONError: a message and a code. (The code
// did not reach the client: the job's error travels as text, so a
// failed build ends every client with status 1.)
type buildError struct {
	Message string
	Code    int
}

func (e *buildError) Error() string { return e.Message }

// commit commits container id as the step's image, with autoCmd as the
// image's command. A step with no container of its own (id "", the
// metadata instructions) first probes the cache with the "#(nop)"
// command that names it, then creates a container that never runs, so
// that every step is a container and an image alike.
func (b *buildFile) commit(id string, autoCmd []string, comment string) error {
	if b.image == "" {
		return fmt.Errorf("Please provide a source image with `from` prior to commit")
	}
	b.config.Image = b.image
	if id == "" {
		cmd := b.config.Cmd
		b.config.Cmd = []string{"/bin/sh", "-c", "#(nop) " + comment}
		defer func(cmd []string) { b.config.Cmd = cmd }(cmd)

		hit, err := b.probeCache()
		if err != nil {
			return err
		}
		if hit {
			return nil
		}
		container, warnings, err := b.daemon.Create(cloneConfig(b.config), "")
		if err != nil {
			return err
		}
		for _, warning := range warnings {
			fmt.Fprintf(b.outStream, " ---> [Warning] %s\n", warning)
		}
		b.addTmp(container.ID)
		fmt.Fprintf(b.outStream, " ---> Running in %s\n", TruncateID(container.ID))
		id = container.ID
		if err := container.Mount(); err != nil {
			return err
		}
		defer container.Unmount()
	}
	container := b.daemon.Get(id)
	if container == nil {
		return fmt.Errorf("An error occured while creating the container")
	}
	// A client that went away gets no new image: the step ends here,
	// before anything is registered.
	if err := b.cancelled(); err != nil {
		return err
	}
	autoConfig := *cloneConfig(b.config)
	autoConfig.Cmd = autoCmd
	img, err := b.daemon.Commit(container, "", "", "", b.maintainer, true, &autoConfig)
	if err != nil {
		return err
	}
	b.tmpImages[img.ID] = struct{}{}
	if b.children != nil {
		b.children[img.Parent] = append(b.children[img.Parent], img)
	}
	b.image = img.ID
	return nil
}

// cloneConfig is a deep copy. Not upstream: 1.2 handed the build's own
// config to Create, so every intermediate container shared it and saw
// the later steps' changes (and Create wrote the first container's
// hostname into every image the build made).
func cloneConfig(c *runconfig.Config) *runconfig.Config {
	data, err := json.Marshal(c)
	if err != nil {
		panic(err) // a Config is plain data: it always encodes
	}
	var out runconfig.Config
	if err := json.Unmarshal(data, &out); err != nil {
		panic(err)
	}
	return &out
}

// errBuildCancelled: the client went away.
var errBuildCancelled = errors.New("The build was stopped: the client went away")

// cancel is what a build needs to stop when its client goes away (not
// upstream; engine.Job.Done says when): the running container is
// killed, the step fails with errBuildCancelled, nothing more is
// committed, and Build removes the step's container.
type cancel struct {
	done <-chan struct{} // the job's Done: closed when the client is gone

	mu      sync.Mutex
	stopped bool                // done has fired
	running *Container          // the container a RUN step is waiting for
	step    map[string]struct{} // containers the current step made
}

// watchCancel starts watching done; the returned func stops watching.
func (c *cancel) watchCancel() func() {
	finished := make(chan struct{})
	go func() {
		select {
		case <-c.done:
		case <-finished:
			return
		}
		c.mu.Lock()
		c.stopped = true
		running := c.running
		c.mu.Unlock()
		if running != nil {
			running.Kill()
		}
	}()
	return func() { close(finished) }
}

// cancelled is errBuildCancelled once the client is gone.
func (c *cancel) cancelled() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.stopped {
		return errBuildCancelled
	}
	return nil
}

// startCancellable starts c unless the build is already cancelled, and
// marks it as the one to kill if the client goes.
func (c *cancel) startCancellable(ctr *Container) error {
	if err := c.setRunning(ctr); err != nil {
		return err
	}
	if err := ctr.Start(); err != nil {
		c.setRunning(nil)
		return err
	}
	// The client may have gone between setRunning and the start, when
	// there was nothing to kill yet.
	if c.cancelled() != nil {
		ctr.Kill()
	}
	return nil
}

// setRunning records the running container (nil: none); it fails when
// the build is already cancelled.
func (c *cancel) setRunning(ctr *Container) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if ctr != nil && c.stopped {
		return errBuildCancelled
	}
	c.running = ctr
	return nil
}

// addTmp records an intermediate container of the current step.
func (b *buildFile) addTmp(id string) {
	b.tmpContainers[id] = struct{}{}
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.step == nil {
		b.step = map[string]struct{}{}
	}
	b.step[id] = struct{}{}
}

// stepDone: the step succeeded, its containers are ordinary
// intermediates now.
func (c *cancel) stepDone() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.step = nil
}

// stepContainers are the containers the failed step made.
func (c *cancel) stepContainers() map[string]struct{} {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := c.step
	c.step = nil
	return out
}
