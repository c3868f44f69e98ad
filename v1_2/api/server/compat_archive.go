// GET and HEAD /containers/{name}/archive?path=P: how `docker cp` of
// later clients copies out of a container (API 1.20).
//
// Not upstream: Docker 1.2 had only POST /containers/{name}/copy
// (docs/divergences.md).
// Book: ch.5 §5.4.
//
// The tar is the same — the container_copy job's — and the header later
// clients require, X-Docker-Container-Path-Stat (base64 of
// {name,size,mode,mtime,linkTarget}), is read from the tar's first entry.
package server

import (
	"archive/tar"
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"path"
	"strings"
	"time"

	"github.com/dockerlab/dockerlab/v1_2/engine"
	"github.com/dockerlab/dockerlab/v1_2/pkg/version"
)

// pathStat is the JSON of X-Docker-Container-Path-Stat.
type pathStat struct {
	Name       string    `json:"name"`
	Size       int64     `json:"size"`
	Mode       uint32    `json:"mode"` // Go's os.FileMode bits
	Mtime      time.Time `json:"mtime"`
	LinkTarget string    `json:"linkTarget"`
}

func getContainersArchive(eng *engine.Engine, version version.Version, w http.ResponseWriter, r *http.Request, vars map[string]string) error {
	if err := parseForm(r); err != nil {
		return err
	}
	p := r.Form.Get("path")
	if p == "" {
		return fmt.Errorf("Bad parameter: path is required")
	}
	job := eng.Job("container_copy", vars["name"], strings.TrimPrefix(p, "/"))
	pr, pw := io.Pipe()
	job.Stdout.Add(pw)
	jobErr := make(chan error, 1)
	go func() {
		err := job.Run()
		pw.CloseWithError(err)
		jobErr <- err
	}()
	// Read the first entry through a tee, so its bytes can still be sent.
	var head bytes.Buffer
	hdr, err := tar.NewReader(io.TeeReader(pr, &head)).Next()
	if err != nil {
		pr.CloseWithError(err)
		if jerr := <-jobErr; jerr != nil {
			if strings.Contains(jerr.Error(), "no such file or directory") || strings.Contains(jerr.Error(), "file does not exist") {
				return fmt.Errorf("No such container:path: %s:%s", vars["name"], p)
			}
			return jerr
		}
		return fmt.Errorf("container_copy %s %s: %v", vars["name"], p, err)
	}
	st := pathStat{
		Name:       path.Base(strings.TrimSuffix(hdr.Name, "/")),
		Size:       hdr.Size,
		Mode:       uint32(hdr.FileInfo().Mode()),
		Mtime:      hdr.ModTime,
		LinkTarget: hdr.Linkname,
	}
	b, _ := json.Marshal(st)
	w.Header().Set("X-Docker-Container-Path-Stat", base64.StdEncoding.EncodeToString(b))
	w.Header().Set("Content-Type", "application/x-tar")
	if r.Method == http.MethodHead {
		pr.CloseWithError(io.ErrClosedPipe) // the job's next write fails: it ends
		<-jobErr
		w.WriteHeader(http.StatusOK)
		return nil
	}
	out := newWriteFlusher(w)
	out.Write(head.Bytes())
	io.Copy(out, pr)
	<-jobErr
	return nil
}
