// The "attach" job (docker attach, and the second half of docker run
// without -d): join a container's stdin, stdout and stderr.
//
// Upstream: daemon/attach.go at v1.2.0 (ContainerAttach, Attach),
// utils/utils.go at v1.2.0 (CopyEscapable). See docs/upstream/v1.2.0.md §2.4
// (attach: env logs, stream, stdin, stdout, stderr) and §6.2 (POST
// /containers/{name}/attach hijacks the HTTP connection and gives it to this
// job as Stdin/Stdout/Stderr).
// Book: ch.12 (docker run = create, then attach, then start).
//
// The job keeps stdout and stderr apart: multiplexing them onto one
// connection (the 8-byte stdcopy frames) is the API server's business.
//
// Two phases:
//   - logs: what the container wrote before, from its json-file log;
//   - stream: from now on, each wanted stream is one goroutine copying
//     between the client and the container's pipes. The job ends when all
//     of them end (the container stopped, or the client went away).
package daemon

import (
	"io"

	"github.com/dockerlab/dockerlab/v1_2/engine"
)

// ContainerAttach is the "attach" job: attach CONTAINER.
func (daemon *Daemon) ContainerAttach(job *engine.Job) engine.Status {
	if len(job.Args) != 1 {
		return job.Errorf("Usage: %s CONTAINER\n", job.Name)
	}
	var (
		name   = job.Args[0]
		logs   = job.GetenvBool("logs")
		stream = job.GetenvBool("stream")
		stdin  = job.GetenvBool("stdin")
		stdout = job.GetenvBool("stdout")
		stderr = job.GetenvBool("stderr")
	)
	container := daemon.Get(name)
	if container == nil {
		return job.Errorf("No such container: %s", name)
	}

	if logs {
		if err := container.copyLog(job.Stdout, job.Stderr, stdout, stderr, -1, "", -1); err != nil {
			job.Logf("%s", err)
		}
	}
	if !stream {
		return engine.StatusOK
	}

	var (
		cStdin           io.ReadCloser
		cStdinCloser     io.Closer
		cStdout, cStderr io.Writer
	)
	if stdin {
		// The job's Stdin cannot be closed from outside while a Read
		// waits on it; an io.Pipe in between can, which lets the output
		// side end the stdin copy.
		r, w := io.Pipe()
		go func() {
			defer w.Close()
			io.Copy(w, job.Stdin)
		}()
		cStdin = r
		cStdinCloser = job.Stdin
		// Once the attach is over nobody reads r (always so when the
		// container has no open stdin): closing it ends the copy above
		// at its next write instead of leaving it blocked.
		defer r.Close()
	}
	if stdout {
		cStdout = job.Stdout
	}
	if stderr {
		cStderr = job.Stderr
	}

	<-daemon.attach(container, cStdin, cStdinCloser, cStdout, cStderr, job.HungUp())

	// docker run -i without -t: the client's stdin is the container's
	// only input, and the client waits for the container to exit —
	// unless it has gone.
	if container.Config.StdinOnce && !container.Config.Tty {
		stopped := make(chan struct{})
		go func() {
			container.State.WaitStop(-1)
			close(stopped)
		}()
		select {
		case <-stopped:
		case <-job.HungUp():
		}
	}
	return engine.StatusOK
}

// Attach connects the given streams (nil = not wanted) to container and
// returns a channel that gets the first error, or nil once every copy is
// done. stdinCloser is closed when the output ends, so that the client's
// side of stdin is released too.
func (daemon *Daemon) Attach(container *Container, stdin io.ReadCloser, stdinCloser io.Closer, stdout, stderr io.Writer) chan error {
	return daemon.attach(container, stdin, stdinCloser, stdout, stderr, nil)
}

// attach is Attach that also ends when hangup is closed (the client went
// away while the container was silent: no failed write would tell).
func (daemon *Daemon) attach(container *Container, stdin io.ReadCloser, stdinCloser io.Closer, stdout, stderr io.Writer, hangup <-chan struct{}) chan error {
	var (
		cStdout, cStderr io.ReadCloser
		jobs             int
		errs             = make(chan error, 3)
		config           = container.Config
	)

	// copyOut runs one output stream: the container's pipe to the client.
	// Without a client for it, the pipe is still read, so that its end
	// (the container stopped) releases the client's stdin.
	copyOut := func(pipe io.ReadCloser, dst io.Writer) {
		if dst == nil {
			go func() {
				io.Copy(io.Discard, pipe)
				if stdinCloser != nil {
					stdinCloser.Close()
				}
			}()
			return
		}
		jobs++
		go func() {
			if config.StdinOnce && stdin != nil {
				defer stdin.Close()
			}
			if stdinCloser != nil {
				defer stdinCloser.Close()
			}
			_, err := io.Copy(dst, pipe)
			if err == io.ErrClosedPipe {
				err = nil
			}
			errs <- err
		}()
	}
	// The output pipes first: whatever the container answers to the
	// client's input must find them in place.
	cStdout, _ = container.StdoutPipe()
	cStderr, _ = container.StderrPipe()
	copyOut(cStdout, stdout)
	copyOut(cStderr, stderr)

	if stdin != nil && config.OpenStdin {
		jobs++
		cStdin := container.stdinPipe
		go func() {
			var (
				err      error
				detached bool
			)
			if config.Tty {
				_, detached, err = copyEscapable(cStdin, stdin)
			} else {
				_, err = io.Copy(cStdin, stdin)
			}
			switch {
			case config.StdinOnce && !config.Tty:
				// The client's EOF is the container's EOF.
				cStdin.Close()
			case config.StdinOnce && !detached:
				// docker run -it with its input piped in: the input
				// ended, so type what ends input on a terminal (^D, the
				// pty's EOF) and let the output go on until the
				// container exits. Upstream detached here and lost the
				// output (docs/divergences.md).
				cStdin.Write([]byte{4})
			default:
				// The client detached (EOF or ^P^Q): stop the output
				// copies too, but leave the container's stdin open.
				if cStdout != nil {
					cStdout.Close()
				}
				if cStderr != nil {
					cStderr.Close()
				}
			}
			if err == io.ErrClosedPipe {
				err = nil
			}
			errs <- err
		}()
	}

	done := make(chan error, 1)
	go func() {
		defer cStdout.Close()
		defer cStderr.Close()
		for i := 0; i < jobs; {
			select {
			case err := <-errs:
				if err != nil {
					done <- err // the first failure ends the attach
					return
				}
				i++
			case <-hangup:
				// Closing the container's side ends the output copies
				// (ErrClosedPipe, no error); the client's stdin, if any,
				// is ending on its own (its connection is closed).
				cStdout.Close()
				cStderr.Close()
				hangup = nil
			}
		}
		done <- nil
	}()
	return done
}

// copyEscapable is io.Copy for a terminal's stdin, except that ^P ^Q (two
// reads of one byte each, as a terminal in raw mode sends them) detaches:
// src is closed, the copy ends without an error and detached is true.
func copyEscapable(dst io.Writer, src io.ReadCloser) (written int64, detached bool, err error) {
	const ctrlP, ctrlQ = 16, 17
	buf := make([]byte, 32*1024)
	for {
		nr, er := src.Read(buf)
		if nr == 1 && buf[0] == ctrlP {
			nr, er = src.Read(buf)
			if nr == 1 && buf[0] == ctrlQ {
				return written, true, src.Close()
			}
			// Not the escape: the ^P itself is lost, as upstream lost it.
		}
		if nr > 0 {
			nw, ew := dst.Write(buf[:nr])
			written += int64(nw)
			if ew != nil {
				return written, false, ew
			}
			if nw != nr {
				return written, false, io.ErrShortWrite
			}
		}
		if er == io.EOF {
			return written, false, nil
		}
		if er != nil {
			return written, false, er
		}
	}
}
