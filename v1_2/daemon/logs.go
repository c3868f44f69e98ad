// The "logs" job (docker logs): print what a container wrote, from its
// json-file log, then optionally keep printing while it runs.
//
// Upstream: daemon/logs.go (ContainerLogs) and the log pipes of
// daemon/container.go (ReadLog, StdoutLogPipe, StderrLogPipe) at v1.2.0.
// Reference upstream-v1_2.md §2.4 (logs: env stdout, stderr, tail, follow,
// timestamps) and §6.2 (GET /containers/{name}/logs). Book ch.12 §12.4
// (the log file is written from the moment the container starts).
//
// The log is <root>/containers/<id>/<id>-json.log, one jsonlog.JSONLog per
// line. Reading it back is three steps:
//  1. --tail N: keep only the file's last N lines (pkg/tailfile);
//  2. decode each line and send its "log" to the job's Stdout or Stderr,
//     by its "stream", with the time in front for --timestamps;
//  3. --follow: hang a new line reader on the container's broadcast
//     writers and copy what arrives until the container stops.
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

	lines := parseTail(job)
	if lines != 0 {
		if err := container.copyLog(job.Stdout, job.Stderr, stdout, stderr, lines, format); err != nil {
			return job.Error(err)
		}
	}
	if follow {
		container.followLog(job, stdout, stderr, format)
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
// stdout and stderr. A container that never started has no log file yet:
// that is an empty log, not an error.
func (container *Container) copyLog(stdout, stderr io.Writer, wantOut, wantErr bool, lines int, format string) error {
	f, err := os.Open(container.LogPath())
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("Error reading logs (json): %w", err)
	}
	defer f.Close()

	var src io.Reader = f
	if lines > 0 {
		last, err := tailfile.TailFile(f, lines)
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

// followLog copies new lines until the container stops (the monitor's
// Clean of the broadcast writers closes our pipes) or the client goes.
//
// Divergence (docs/divergences.md): upstream followed a stopped container
// too, and then waited for ever; here a stopped container ends at once.
// Upstream's follow part printed timestamps through jsonlog.Format, i.e.
// "[<time>] <line>" with brackets, unlike the stored part: kept as it was.
func (container *Container) followLog(job *engine.Job, wantOut, wantErr bool, format string) {
	type pipe struct {
		p   *broadcastwriter.BufferedPipe
		dst io.Writer
	}
	var pipes []pipe
	if wantOut {
		p := broadcastwriter.NewBufferedPipe()
		container.stdout.AddWriter(p, "stdout")
		pipes = append(pipes, pipe{p, job.Stdout})
	}
	if wantErr {
		p := broadcastwriter.NewBufferedPipe()
		container.stderr.AddWriter(p, "stderr")
		pipes = append(pipes, pipe{p, job.Stderr})
	}
	// The monitor marks the container stopped before it cleans the
	// writers; so a writer added after that Clean is seen here as stopped.
	if !container.State.IsRunning() {
		for _, p := range pipes {
			p.p.Close()
		}
	}

	// Both copies end together: at the container's stop both pipes reach
	// EOF; when the client goes away (a write fails) the other copy is
	// ended too, instead of waiting for the container's next line.
	readers := make([]io.ReadCloser, len(pipes))
	for i, p := range pipes {
		readers[i] = p.p.Reader()
	}
	errs := make(chan error, len(pipes))
	for i, p := range pipes {
		go func() {
			err := jsonlog.WriteLog(readers[i], p.dst, format)
			readers[i].Close() // the broadcast writer drops us at its next write
			errs <- err
		}()
	}
	for range pipes {
		if err := <-errs; err != nil {
			if !errors.Is(err, io.ErrClosedPipe) {
				job.Logf("%s", err)
			}
			for _, r := range readers {
				r.Close()
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
