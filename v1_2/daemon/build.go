// The "build" job: docker build on the daemon's side. The client sends a
// context (a tar with a Dockerfile at its root); the daemon unpacks it,
// runs the Dockerfile one instruction at a time, each instruction a
// container committed as a new image on top of the last one, and tags
// the final image.
//
// Upstream: daemon/build.go at v1.2.0 (CmdBuild, buildFile,
// NewBuildFile, Build, clearTmp, ErrDockerfileEmpty).
// Book: ch.11 §11.2.3 Docker Daemon与docker build (the job, the
// buildFile, the loop over the Dockerfile's lines).
//
// Docker 1.2 had no builder package: this one 1,000-line file held the
// job, the parser, every instruction and the cache, and dispatched the
// instructions by reflection. dockerlab splits it so each part reads in
// one sitting:
//
//	build.go              the job, the buildFile, the loop (§11.2.3)
//	build_context.go      where the context comes from, and its unpacking (§11.2.3)
//	build_parser.go       comments, continuation lines, dispatch (§11.3)
//	build_instructions.go FROM, RUN, ENV and the others (§11.4)
//	build_add.go          ADD and COPY: files of the context (§11.4)
//	build_commit.go       create, run, commit, the cache (§11.4.1, §11.4.2)
package daemon

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"

	"github.com/dockerlab/dockerlab/v1_2/engine"
	"github.com/dockerlab/dockerlab/v1_2/graph"
	"github.com/dockerlab/dockerlab/v1_2/image"
	"github.com/dockerlab/dockerlab/v1_2/pkg/tarsum"
	"github.com/dockerlab/dockerlab/v1_2/registry"
	"github.com/dockerlab/dockerlab/v1_2/runconfig"
	"github.com/dockerlab/dockerlab/v1_2/utils"
)

// CmdBuild is the "build" job. Env: remote (a URL or git repository to
// fetch the context from; empty: the context is the job's stdin), t
// (NAME[:TAG] for the result), q (do not show what containers print),
// nocache, rm (remove each intermediate container once its step
// succeeded), forcerm (remove them even after a failure), authConfig and
// configFile (credentials for FROM's pull), json (messages as JSON).
func (daemon *Daemon) CmdBuild(job *engine.Job) engine.Status {
	if len(job.Args) != 0 {
		return job.Errorf("Usage: %s\n", job.Name)
	}
	var (
		remoteURL      = job.Getenv("remote")
		repoName       = job.Getenv("t")
		suppressOutput = job.GetenvBool("q")
		noCache        = job.GetenvBool("nocache")
		rm             = job.GetenvBool("rm")
		forceRm        = job.GetenvBool("forcerm")
		authConfig     = &registry.AuthConfig{}
		configFile     = &registry.ConfigFile{}
		tag            string
	)
	// As upstream, credentials that do not decode are no credentials.
	job.GetenvJson("authConfig", authConfig)
	job.GetenvJson("configFile", configFile)
	repoName, tag = graph.ParseRepositoryTag(repoName)

	context, err := openContext(remoteURL, job)
	if err != nil {
		return job.Error(err)
	}
	defer context.Close()

	sf := utils.NewStreamFormatter(job.GetenvBool("json"))
	b := NewBuildFile(daemon, daemon.eng,
		&utils.StdoutFormater{Writer: job.Stdout, StreamFormatter: sf},
		&utils.StderrFormater{Writer: job.Stdout, StreamFormatter: sf},
		!suppressOutput, !noCache, rm, forceRm, job.Stdout, sf, authConfig, configFile)
	b.done = job.Done()
	id, err := b.Build(context)
	if err != nil {
		return job.Error(err)
	}
	if repoName != "" {
		// Upstream ignored this error: a bad name left the image untagged
		// and the build "successful".
		if err := daemon.Repositories().Set(repoName, tag, id, false); err != nil {
			return job.Error(err)
		}
	}
	return engine.StatusOK
}

// ErrDockerfileEmpty is the answer to a Dockerfile of zero bytes.
var ErrDockerfileEmpty = errors.New("Dockerfile cannot be empty")

// BuildFile is what upstream exported of the builder.
type BuildFile interface {
	Build(io.Reader) (string, error)
	CmdFrom(string) error
	CmdRun(string) error
}

// buildFile is one build in progress: the image the next step starts
// from and the config it carries (the "state" of the Dockerfile so far),
// the unpacked context, the options, and the containers and images made.
type buildFile struct {
	daemon *Daemon
	eng    *engine.Engine

	image      string            // the image the next step builds on
	maintainer string            // MAINTAINER, the author of each commit
	config     *runconfig.Config // what FROM, ENV, CMD … have set so far

	contextPath string         // the context, unpacked
	context     *tarsum.TarSum // the context as it was read: its member sums

	verbose      bool // show what RUN's containers print (not q)
	utilizeCache bool // not nocache
	rm           bool
	forceRm      bool

	authConfig *registry.AuthConfig // X-Registry-Auth (clients before API 1.9)
	configFile *registry.ConfigFile // X-Registry-Config: the client's whole .dockercfg

	tmpContainers map[string]struct{}       // intermediate containers not yet removed
	tmpImages     map[string]struct{}       // every image committed
	children      map[string][]*image.Image // the graph by parent, read once (probeCache)

	outStream io.Writer // {"stream": …} messages
	errStream io.Writer // the same, in red (the terminal's escape codes)

	// outOld is the job's stdout itself: FROM's pull writes its own
	// progress messages there (upstream called it deprecated already).
	outOld io.Writer
	sf     *utils.StreamFormatter

	cmdSet bool // a CMD came earlier in this Dockerfile (ENTRYPOINT asks)

	cancel // build_commit.go: a client that went away stops the build
}

// NewBuildFile sets up a build; Build runs it.
func NewBuildFile(d *Daemon, eng *engine.Engine, outStream, errStream io.Writer, verbose, utilizeCache, rm, forceRm bool, outOld io.Writer, sf *utils.StreamFormatter, auth *registry.AuthConfig, authConfigFile *registry.ConfigFile) *buildFile {
	return &buildFile{
		daemon:        d,
		eng:           eng,
		config:        &runconfig.Config{},
		outStream:     outStream,
		errStream:     errStream,
		tmpContainers: make(map[string]struct{}),
		tmpImages:     make(map[string]struct{}),
		verbose:       verbose,
		utilizeCache:  utilizeCache,
		rm:            rm,
		forceRm:       forceRm,
		sf:            sf,
		authConfig:    auth,
		configFile:    authConfigFile,
		outOld:        outOld,
	}
}

// Build unpacks the context, reads its Dockerfile and runs it, step by
// step; the id of the last image is the result.
func (b *buildFile) Build(context io.Reader) (string, error) {
	// Upstream removed the directory only once the context was unpacked:
	// a context that failed to unpack left it behind.
	tmpdirPath, err := os.MkdirTemp("", "docker-build")
	if err != nil {
		return "", err
	}
	defer os.RemoveAll(tmpdirPath)
	if b.context, err = unpackContext(context, tmpdirPath); err != nil {
		return "", err
	}
	b.contextPath = tmpdirPath

	dockerfile, err := readDockerfile(tmpdirPath)
	if err != nil {
		return "", err
	}
	lines, err := dockerfileLines(dockerfile)
	if err != nil {
		return "", err
	}

	stop := b.watchCancel()
	defer stop()
	for stepN, line := range lines {
		err := b.cancelled()
		if err == nil {
			err = b.BuildStep(strconv.Itoa(stepN), line)
		}
		if err != nil {
			b.afterFailure(err)
			return "", err
		}
		b.stepDone()
		if b.rm {
			b.clearTmp(b.tmpContainers)
		}
	}
	if b.image != "" {
		fmt.Fprintf(b.outStream, "Successfully built %s\n", TruncateID(b.image))
		return b.image, nil
	}
	return "", fmt.Errorf("No image was generated. This may be because the Dockerfile does not, like, do anything.")
}

// afterFailure removes what a failed step leaves: with forcerm every
// intermediate container; after a cancelled build the step's own
// container always (and with rm the others too), so nothing is left
// running or half made.
func (b *buildFile) afterFailure(err error) {
	if b.forceRm || (errors.Is(err, errBuildCancelled) && b.rm) {
		b.clearTmp(b.tmpContainers)
		return
	}
	if errors.Is(err, errBuildCancelled) {
		b.clearTmp(b.stepContainers())
	}
}

// clearTmp destroys the given containers, saying so for each.
func (b *buildFile) clearTmp(containers map[string]struct{}) {
	for c := range containers {
		tmp := b.daemon.Get(c)
		if tmp == nil {
			delete(b.tmpContainers, c)
			continue
		}
		if err := b.daemon.Destroy(tmp); err != nil {
			fmt.Fprintf(b.outStream, "Error removing intermediate container %s: %s\n", TruncateID(c), err.Error())
		} else {
			delete(b.tmpContainers, c)
			fmt.Fprintf(b.outStream, "Removing intermediate container %s\n", TruncateID(c))
		}
	}
}

// readDockerfile reads <context>/Dockerfile: it must be there, be a
// regular file inside the context (a symlink may point within it), be
// no larger than MaxDockerfileSize and not be empty.
func readDockerfile(contextPath string) ([]byte, error) {
	filename := filepath.Join(contextPath, "Dockerfile")
	if _, err := os.Lstat(filename); os.IsNotExist(err) {
		return nil, fmt.Errorf("Can't build a directory with no Dockerfile")
	}
	// Not upstream: 1.2 read the file wherever a symlink led, so a context
	// holding "Dockerfile -> /etc/shadow" had the daemon print the host's
	// file back as Step lines.
	resolved, err := resolveInContext(contextPath, "Dockerfile")
	if err != nil {
		return nil, err
	}
	fi, err := os.Stat(resolved)
	if err != nil {
		return nil, err
	}
	if !fi.Mode().IsRegular() {
		return nil, fmt.Errorf("The Dockerfile of the context is not a regular file")
	}
	if fi.Size() > MaxDockerfileSize {
		return nil, fmt.Errorf("The Dockerfile is %d bytes, more than the limit of %d bytes", fi.Size(), MaxDockerfileSize)
	}
	data, err := os.ReadFile(resolved)
	if err != nil {
		return nil, err
	}
	if len(data) == 0 {
		return nil, ErrDockerfileEmpty
	}
	return data, nil
}
