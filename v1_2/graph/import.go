// `import SRC REPO [TAG]`: a tarball of a whole root file system becomes a
// new base image (docker import, POST /images/create?fromSrc=...).
//
// Upstream: graph/import.go at v1.2.0 (CmdImport).
// Book: ch.8 Docker镜像 (an image without a parent: the base image of every
// stack); the registering itself is ch.10 §10.2 (Graph.Create → Register,
// register.go).
//
// SRC is "-" (the tar arrives on the job's stdin: the API server hands
// over the request body), an http:// or https:// URL, or — dockerlab's
// divergence — a file on the daemon's machine. Upstream took any other
// text as a host name to download from; a classroom daemon has no network
// to download from, and a path is what a reader actually has.
package graph

import (
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"

	"github.com/dockerlab/dockerlab/v1_2/engine"
	"github.com/dockerlab/dockerlab/v1_2/utils"
)

// CmdImport registers the tar as an image commented "Imported from SRC",
// tags it REPO[:TAG] when REPO is not empty, and prints its id (as a
// JSON status line when the env json=true, as the API wants).
func (s *TagStore) CmdImport(job *engine.Job) engine.Status {
	if n := len(job.Args); n != 2 && n != 3 {
		return job.Errorf("Usage: %s SRC REPO [TAG]", job.Name)
	}
	src, repo, tag := job.Args[0], job.Args[1], ""
	if len(job.Args) > 2 {
		tag = job.Args[2]
	}
	sf := utils.NewStreamFormatter(job.GetenvBool("json"))
	// Check the names before reading a possibly large tar.
	if repo != "" {
		if err := validateTagName(orDefault(tag)); err != nil {
			return job.Error(err)
		}
	}

	layer, err := openImportSource(src, job)
	if err != nil {
		return job.Error(err)
	}
	defer layer.Close()
	if strings.HasPrefix(src, "http") {
		job.Stdout.Write(sf.FormatStatus("", "Downloading from %s", src))
	}

	img, err := s.graph.Create(layer, "", "", "Imported from "+src, "", nil, nil)
	if err != nil {
		return job.Error(err)
	}
	if repo != "" {
		if err := s.Set(repo, tag, img.ID, true); err != nil {
			return job.Error(err)
		}
	}
	job.Stdout.Write(sf.FormatStatus("", "%s", img.ID))
	return engine.StatusOK
}

// openImportSource opens what SRC names.
func openImportSource(src string, job *engine.Job) (io.ReadCloser, error) {
	switch {
	case src == "-":
		return io.NopCloser(job.Stdin), nil
	case strings.HasPrefix(src, "http://") || strings.HasPrefix(src, "https://"):
		resp, err := http.Get(src)
		if err != nil {
			return nil, err
		}
		if resp.StatusCode >= 400 {
			resp.Body.Close()
			return nil, fmt.Errorf("Got HTTP status code >= 400: %s", resp.Status)
		}
		return resp.Body, nil
	default:
		f, err := os.Open(src)
		if err != nil {
			return nil, fmt.Errorf("import: SRC must be \"-\" (the tar on stdin), an http(s) URL or a file on the daemon's machine: %w", err)
		}
		return f, nil
	}
}

func orDefault(tag string) string {
	if tag == "" {
		return DEFAULTTAG
	}
	return tag
}
