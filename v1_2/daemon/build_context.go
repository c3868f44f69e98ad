// The build context: where it comes from (the request body, a URL, a git
// repository), how it is unpacked into a temporary directory, and how a
// path of it is resolved without ever leaving it.
//
// Upstream: daemon/build.go at v1.2.0 (CmdBuild's remote handling, Build's
// DecompressStream + TarSum + archive.Untar, checkPathForAddition).
// Book: ch.11 §11.2.3 Docker Daemon与docker build (the daemon receives the
// context and unpacks it before reading the Dockerfile).
//
// Divergences: every source is bounded (MaxContextSize for the context,
// compressed and unpacked, MaxDockerfileSize for a Dockerfile, a timeout
// for downloads and git), and resolveInContext never looks at a path
// outside the context: 1.2's EvalSymlinks followed a link wherever it led
// before it checked, which told a Dockerfile whether any host path exists.
package daemon

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/dockerlab/dockerlab/v1_2/archive"
	"github.com/dockerlab/dockerlab/v1_2/engine"
	"github.com/dockerlab/dockerlab/v1_2/pkg/tarsum"
	"github.com/dockerlab/dockerlab/v1_2/utils"
)

// The bounds of what a build reads. Not upstream (1.2 read anything);
// variables so that tests can make them small.
var (
	// MaxContextSize bounds a context: the bytes received, and again the
	// bytes once decompressed (a small gzip can unpack to anything).
	MaxContextSize int64 = 1 << 30
	// MaxDockerfileSize bounds the Dockerfile (and one fetched by URL).
	MaxDockerfileSize int64 = 1 << 20
	// MaxDockerfileLine bounds one instruction, continuation lines joined.
	MaxDockerfileLine = 64 << 10
	// GitCloneTimeout bounds `git clone` of a remote context.
	GitCloneTimeout = 10 * time.Minute
)

// openContext returns the context stream: the job's stdin (the request
// body) when remote is empty, else what remote names.
func openContext(remoteURL string, job *engine.Job) (io.ReadCloser, error) {
	switch {
	case remoteURL == "":
		return io.NopCloser(job.Stdin), nil
	case utils.IsGIT(remoteURL):
		return gitContext(remoteURL, job.Done())
	case utils.IsURL(remoteURL):
		return urlContext(remoteURL)
	}
	// Upstream went on with no context at all and crashed the daemon on
	// the nil stream.
	return nil, fmt.Errorf("remote %q is neither an http(s) URL nor a git repository (git://…, github.com/…, git@github.com:… or an http(s) URL ending in .git)", remoteURL)
}

// gitContext clones the repository (with its submodules) into a temporary
// directory and streams that as the context; closing the stream removes
// the clone.
func gitContext(remoteURL string, done <-chan struct{}) (io.ReadCloser, error) {
	// Upstream put "https://" in front of anything not git://, so an
	// http(s) URL ending in .git became "https://http://…".
	if !strings.HasPrefix(remoteURL, "git://") && !strings.HasPrefix(remoteURL, "git@") && !utils.IsURL(remoteURL) {
		remoteURL = "https://" + remoteURL
	}
	root, err := os.MkdirTemp("", "docker-build-git")
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(context.Background(), GitCloneTimeout)
	defer cancel()
	go func() {
		select {
		case <-done:
			cancel()
		case <-ctx.Done():
		}
	}()
	cmd := exec.CommandContext(ctx, "git", "clone", "--recursive", "--", remoteURL, root)
	// Never ask for a password on a terminal the daemon does not have.
	cmd.Env = append(os.Environ(), "GIT_TERMINAL_PROMPT=0")
	if output, err := cmd.CombinedOutput(); err != nil {
		os.RemoveAll(root)
		if len(output) > 4096 {
			output = output[len(output)-4096:]
		}
		// One line: a job's error is the last line it wrote.
		return nil, fmt.Errorf("Error trying to use git: %s (%s)", err, strings.Join(strings.Fields(string(output)), " "))
	}
	c, err := archive.Tar(root, archive.Uncompressed)
	if err != nil {
		os.RemoveAll(root)
		return nil, err
	}
	return onClose(c, func() { os.RemoveAll(root) }), nil
}

// urlContext downloads remoteURL. 1.2 took whatever came as the
// Dockerfile of a one-file context; dockerlab, as Docker 1.8 did later,
// takes an archive (by its first bytes) as the whole context.
func urlContext(remoteURL string) (io.ReadCloser, error) {
	resp, err := utils.Download(remoteURL)
	if err != nil {
		return nil, err
	}
	body := bufio.NewReaderSize(resp.Body, 1024)
	head, _ := body.Peek(512) // one tar block; a shorter answer is no tar
	if archive.IsArchive(head) {
		return struct {
			io.Reader
			io.Closer
		}{body, resp.Body}, nil
	}
	defer resp.Body.Close()
	dockerFile, err := utils.ReadAllLimited(body, MaxDockerfileSize, "the Dockerfile at "+remoteURL)
	if err != nil {
		return nil, err
	}
	return archive.Generate("Dockerfile", string(dockerFile))
}

// unpackContext unpacks the context (plain, gzip, bzip2 or xz tar) into
// dir through the one extractor, reading it through a TarSum so that
// ADD and COPY find each file's sum for the cache.
func unpackContext(context io.Reader, dir string) (*tarsum.TarSum, error) {
	raw := &boundedReader{r: context, left: MaxContextSize, what: "The build context"}
	decompressed, err := archive.DecompressStream(raw)
	if err != nil {
		return nil, err
	}
	defer decompressed.Close()
	ts := &tarsum.TarSum{
		Reader:             &boundedReader{r: decompressed, left: MaxContextSize, what: "The unpacked build context"},
		DisableCompression: true,
	}
	if err := archive.Untar(ts, dir); err != nil {
		return nil, err
	}
	// Read on to the end of the request body (a tar's padding, the last
	// chunk): the HTTP server watches for a client that goes away only
	// once the body has been read to its end.
	io.Copy(io.Discard, raw)
	return ts, nil
}

// boundedReader fails once more than left bytes have come, naming what
// was too large and what to do about it.
type boundedReader struct {
	r    io.Reader
	left int64
	what string
}

func (b *boundedReader) Read(p []byte) (int, error) {
	if b.left <= 0 {
		// One byte more tells a stream that is exactly at the limit
		// from one that goes on.
		var one [1]byte
		if n, err := b.r.Read(one[:]); n == 0 {
			if err == nil {
				err = io.EOF
			}
			return 0, err
		}
		return 0, fmt.Errorf("%s is larger than the limit of %d bytes: leave what the build does not need out of the context (.dockerignore)", b.what, MaxContextSize)
	}
	if int64(len(p)) > b.left {
		p = p[:b.left]
	}
	n, err := b.r.Read(p)
	b.left -= int64(n)
	return n, err
}

// resolveInContext is the real path of orig, a path of the context
// (absolute paths start at the context's root, as in 1.2), its symlinks
// followed. Whatever would lead out — "..", a link to an absolute path,
// a link climbing above the root — is 1.2's "Forbidden path outside the
// build context". Nothing outside the context is ever looked at.
func resolveInContext(contextPath, orig string) (string, error) {
	forbidden := func(where string) error {
		return fmt.Errorf("Forbidden path outside the build context: %s (%s)", orig, where)
	}
	rel, err := filepath.Rel(contextPath, filepath.Join(contextPath, orig))
	if err != nil || rel == ".." || strings.HasPrefix(rel, "../") {
		return "", forbidden(filepath.Join(contextPath, orig))
	}
	todo := strings.Split(rel, "/")
	var done []string // resolved parts, under the context
	for hops := 0; len(todo) > 0; {
		part := todo[0]
		todo = todo[1:]
		switch part {
		case "", ".":
			continue
		case "..":
			if len(done) == 0 {
				return "", forbidden(filepath.Join(append([]string{contextPath, ".."}, todo...)...))
			}
			done = done[:len(done)-1]
			continue
		}
		candidate := filepath.Join(contextPath, filepath.Join(append(done, part)...))
		fi, err := os.Lstat(candidate)
		if err != nil {
			if os.IsNotExist(err) || strings.Contains(err.Error(), "not a directory") {
				return "", fmt.Errorf("%s: no such file or directory", orig)
			}
			return "", err
		}
		if fi.Mode()&os.ModeSymlink == 0 {
			done = append(done, part)
			continue
		}
		if hops++; hops > 255 {
			return "", fmt.Errorf("%s: too many levels of symbolic links", orig)
		}
		target, err := os.Readlink(candidate)
		if err != nil {
			return "", err
		}
		if filepath.IsAbs(target) {
			return "", forbidden(target)
		}
		todo = append(strings.Split(filepath.Clean(target), "/"), todo...)
	}
	return filepath.Join(contextPath, filepath.Join(done...)), nil
}
