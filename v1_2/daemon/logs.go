// The "logs" job (docker logs): print what a container wrote, from its
// json-file log, then optionally keep printing while it runs.
//
// Upstream: daemon/logs.go at v1.2.0 (ContainerLogs), daemon/container.go at
// v1.2.0 (ReadLog, StdoutLogPipe, StderrLogPipe). See docs/upstream/v1.2.0.md
// §2.4 (logs: env stdout, stderr, tail, follow, timestamps) and §6.2 (GET
// /containers/{name}/logs).
// Book: ch.12 §12.4 (the log file is written from the moment the container
// starts).
//
// The log is <root>/containers/<id>/<id>-json.log, one jsonlog.JSONLog per
// line. Reading it back is three steps:
//  1. --tail N: keep only the file's last N lines (pkg/tailfile);
//  2. decode each line and send its "log" to the job's Stdout or Stderr,
//     by its "stream", with the time in front for --timestamps;
//  3. --follow: hang a new line reader on the container's broadcast
//     writers and copy what arrives until the container stops.
//
// With --follow, step 3's readers are hung on BEFORE the file is read,
// and the file is read only up to the size it had at that moment (the
// "cut"): the file is written inside the broadcast (LogToDisk adds the
// file itself as a reader), so every line before the cut is in the file
// and every line after it reaches our readers. Upstream read the file
// first and joined the broadcast after, so a line written in between was
// lost (`docker logs -f` right after start, as docker-py's run does,
// missed the container's only line).
package daemon

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"time"

	"github.com/dockerlab/dockerlab/v1_2/engine"
	"github.com/dockerlab/dockerlab/v1_2/pkg/broadcastwriter"
	"github.com/dockerlab/dockerlab/v1_2/pkg/jsonlog"
	"github.com/dockerlab/dockerlab/v1_2/pkg/tailfile"
)

// ContainerLogs is the "logs" job: logs CONTAINER with env stdout, stderr
// (at least one), tail ("all" or a number), follow, timestamps.
func (daemon *Daemon) ContainerLogs(job *engine.Job) engine.Status {
	if len(job.Args) != 1 {
		return job.Errorf("Usage: %s CONTAINER\n", job.Name)
	}
	var (
		name   = job.Args[0]
		stdout = job.GetenvBool("stdout")
		stderr = job.GetenvBool("stderr")
		follow = job.GetenvBool("follow")
		times  = job.GetenvBool("timestamps")
		format string // "" prints the bare line
	)
	if !stdout && !stderr {
		return job.Errorf("You must choose at least one stream")
	}
	if times {
		format = time.RFC3339Nano
	}
	container := daemon.Get(name)
	if container == nil {
		return job.Errorf("No such container: %s", name)
	}

	var pipes []logPipe
	cut := int64(-1) // -1: read the whole file
	if follow {
		pipes, cut = container.subscribeLog(job, stdout, stderr)
	}
	if lines := parseTail(job); lines != 0 {
		if err := container.copyLog(job.Stdout, job.Stderr, stdout, stderr, lines, format, cut); err != nil {
			for _, p := range pipes {
				p.r.Close()
			}
			return job.Error(err)
		}
	}
	if follow {
		followLog(job, pipes, format)
	}
	return engine.StatusOK
}

// parseTail reads the job's "tail": -1 for all lines (also for a value
// that is not a number, which upstream only logged), else the count.
func parseTail(job *engine.Job) int {
	tail := job.Getenv("tail")
	if tail == "" || tail == "all" {
		return -1
	}
	n, err := strconv.Atoi(tail)
	if err != nil || n < 0 {
		job.Logf("Failed to parse tail %s, error: %v, show all logs", tail, err)
		return -1
	}
	return n
}

// copyLog sends the stored log, or its last `lines` lines (-1: all), to
// stdout and stderr; only the file's first `cut` bytes when cut >= 0. A
// container that never started has no log file yet: that is an empty
// log, not an error.
func (container *Container) copyLog(stdout, stderr io.Writer, wantOut, wantErr bool, lines int, format string, cut int64) error {
	f, err := os.Open(container.LogPath())
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("Error reading logs (json): %w", err)
	}
	defer f.Close()

	var file io.ReadSeeker = f
	if cut >= 0 {
		file = io.NewSectionReader(f, 0, cut)
	}
	var src io.Reader = file
	if lines > 0 {
		last, err := tailfile.TailFile(file, lines)
		if err != nil {
			return err
		}
		src = bytes.NewReader(append(bytes.Join(last, []byte{'\n'}), '\n'))
	}

	dec := json.NewDecoder(src)
	l := &jsonlog.JSONLog{}
	for {
		l.Reset()
		if err := dec.Decode(l); err == io.EOF {
			return nil
		} else if err != nil {
			// A torn last line (the daemon was killed mid-write) ends the
			// listing; what came before it was printed.
			return nil
		}
		line := l.Log
		if format != "" {
			// The stored part: "<time> <line>", without brackets.
			line = l.Created.Format(format) + " " + line
		}
		switch {
		case l.Stream == "stdout" && wantOut:
			io.WriteString(stdout, line)
		case l.Stream == "stderr" && wantErr:
			io.WriteString(stderr, line)
		}
	}
}

// logPipe is one followed stream: what the broadcast writer fills, and
// the client's side it is copied to.
type logPipe struct {
	r   io.ReadCloser
	dst io.Writer
}

// subscribeLog hangs a line reader on each wanted stream and returns them
// with the log file's size at that moment (see the file's header). When
// both streams are wanted, the stderr reader is added while the stdout
// writer is still held, so the one cut is right for both.
func (container *Container) subscribeLog(job *engine.Job, wantOut, wantErr bool) ([]logPipe, int64) {
	cut := int64(0)
	mark := func() {
		if fi, err := os.Stat(container.LogPath()); err == nil {
			cut = fi.Size()
		}
	}
	var pipes []logPipe
	var out, errp *broadcastwriter.BufferedPipe
	if wantOut {
		out = broadcastwriter.NewBufferedPipe()
		pipes = append(pipes, logPipe{out.Reader(), job.Stdout})
	}
	if wantErr {
		errp = broadcastwriter.NewBufferedPipe()
		pipes = append(pipes, logPipe{errp.Reader(), job.Stderr})
	}
	switch {
	case wantOut && wantErr:
		container.stdout.AddWriterAt(out, "stdout", func() {
			container.stderr.AddWriterAt(errp, "stderr", mark)
		})
	case wantOut:
		container.stdout.AddWriterAt(out, "stdout", mark)
	default:
		container.stderr.AddWriterAt(errp, "stderr", mark)
	}
	// The monitor marks the container stopped before it cleans the
	// writers; so a writer added after that Clean is seen here as stopped.
	if !container.State.IsRunning() {
		for _, p := range []*broadcastwriter.BufferedPipe{out, errp} {
			if p != nil {
				p.Close()
			}
		}
	}
	return pipes, cut
}

// followLog copies the new lines until the container stops (the monitor's
// Clean of the broadcast writers ends our pipes) or the client goes.
//
// Divergence (docs/divergences.md): upstream followed a stopped container
// too, and then waited for ever; here a stopped container ends at once.
// Upstream's follow part printed timestamps through jsonlog.Format, i.e.
// "[<time>] <line>" with brackets, unlike the stored part: kept as it was.
func followLog(job *engine.Job, pipes []logPipe, format string) {
	// Both copies end together: at the container's stop both pipes reach
	// EOF; when the client goes away (a write fails) the other copy is
	// ended too, instead of waiting for the container's next line. A
	// client that leaves while the container is silent hangs the job up:
	// closing the pipes ends both copies at once (1.2 kept the connection
	// until the container's next line).
	finished := make(chan struct{})
	defer close(finished)
	go func() {
		select {
		case <-job.HungUp():
			for _, p := range pipes {
				p.r.Close()
			}
		case <-finished:
		}
	}()
	errs := make(chan error, len(pipes))
	for _, p := range pipes {
		go func() {
			err := jsonlog.WriteLog(p.r, p.dst, format)
			p.r.Close() // the broadcast writer drops us at its next write
			errs <- err
		}()
	}
	for range pipes {
		if err := <-errs; err != nil {
			if !errors.Is(err, io.ErrClosedPipe) {
				job.Logf("%s", err)
			}
			for _, p := range pipes {
				p.r.Close()
			}
		}
	}
}

// StdoutPipe and StderrPipe give an attached client the raw output from
// now on (no JSON: stream ""), until the container stops. The pipes
// buffer, so a slow client never holds the container's output up.
func (container *Container) StdoutPipe() (io.ReadCloser, error) {
	return addPipe(container.stdout, ""), nil
}

func (container *Container) StderrPipe() (io.ReadCloser, error) {
	return addPipe(container.stderr, ""), nil
}

// StdoutLogPipe and StderrLogPipe give the output as JSON log lines.
func (container *Container) StdoutLogPipe() io.ReadCloser {
	return addPipe(container.stdout, "stdout")
}

func (container *Container) StderrLogPipe() io.ReadCloser {
	return addPipe(container.stderr, "stderr")
}

func addPipe(w *broadcastwriter.BroadcastWriter, stream string) io.ReadCloser {
	p := broadcastwriter.NewBufferedPipe()
	w.AddWriter(p, stream)
	return p.Reader()
}
