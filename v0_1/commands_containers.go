// The container commands of Docker 0.1.0: run, ps, start, stop, restart,
// kill, wait, rm, attach, logs, port, diff, commit, export (inspect, which
// also shows images, is in commands.go). Flags, usage lines and output
// formats are 0.1.0's.
//
// Upstream: commands.go at v0.1.0 (CmdRun, CmdPs, CmdStart, CmdStop,
// CmdRestart, CmdKill, CmdWait, CmdRm, CmdAttach, CmdLogs, CmdPort,
// CmdDiff, CmdCommit, CmdExport). See docs/upstream/v0.1.0.md §5, §9.1,
// §9.16.
// Notes: 002 "command" (how a command reaches the server; the note does not
// walk the container commands).
//
// Divergences (docs/divergences.md "v0.1 containers"): `run` with no
// arguments prints the usage (0.1.0 crashed the daemon, §9.1); a command
// naming an unknown container says "No such container: NAME".
package docker

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"sync"
	"text/tabwriter"
	"time"

	"github.com/dockerlab/dockerlab/v0_1/rcli"
)

func noSuchContainer(name string) error { return fmt.Errorf("No such container: %s", name) }

// eachContainer runs fn on every named container, in order; the first
// unknown name ends it with an error.
func (srv *Server) eachContainer(names []string, fn func(*Container) error) error {
	for _, name := range names {
		container := srv.runtime.Get(name)
		if container == nil {
			return noSuchContainer(name)
		}
		if err := fn(container); err != nil {
			return err
		}
	}
	return nil
}

// containerCmd parses a "[OPTIONS] NAME" command and runs fn on each name.
func (srv *Server) containerCmd(stdout io.Writer, name, signature, description string, args []string, fn func(*Container) error) error {
	cmd := rcli.Subcmd(stdout, name, signature, description)
	if err := cmd.Parse(args); err != nil {
		return nil
	}
	if cmd.NArg() < 1 {
		cmd.Usage()
		return nil
	}
	return srv.eachContainer(cmd.Args(), fn)
}

// CmdWait prints each container's exit code once it stops.
func (srv *Server) CmdWait(stdin io.ReadCloser, stdout io.Writer, args ...string) error {
	return srv.containerCmd(stdout, "wait", "[OPTIONS] NAME", "Block until a container stops, then print its exit code.", args, func(c *Container) error {
		fmt.Fprintln(stdout, c.Wait())
		return nil
	})
}

// CmdStop stops each container and prints its id.
func (srv *Server) CmdStop(stdin io.ReadCloser, stdout io.Writer, args ...string) error {
	return srv.containerCmd(stdout, "stop", "[OPTIONS] NAME", "Stop a running container", args, thenPrintID(stdout, (*Container).Stop))
}

// CmdRestart stops and starts each container and prints its id.
func (srv *Server) CmdRestart(stdin io.ReadCloser, stdout io.Writer, args ...string) error {
	return srv.containerCmd(stdout, "restart", "[OPTIONS] NAME", "Restart a running container", args, thenPrintID(stdout, (*Container).Restart))
}

// thenPrintID runs action on a container and, when it succeeds, prints
// the container's id: what stop, restart and start each did in 0.1.0.
func thenPrintID(stdout io.Writer, action func(*Container) error) func(*Container) error {
	return func(c *Container) error {
		if err := action(c); err != nil {
			return err
		}
		fmt.Fprintln(stdout, c.Id)
		return nil
	}
}

// CmdStart starts each container and prints its id.
func (srv *Server) CmdStart(stdin io.ReadCloser, stdout io.Writer, args ...string) error {
	return srv.containerCmd(stdout, "start", "[OPTIONS] NAME", "Start a stopped container", args, thenPrintID(stdout, (*Container).Start))
}

// CmdPort prints the public port NAT-ed to a private one.
func (srv *Server) CmdPort(stdin io.ReadCloser, stdout io.Writer, args ...string) error {
	cmd := rcli.Subcmd(stdout, "port", "[OPTIONS] CONTAINER PRIVATE_PORT", "Lookup the public-facing port which is NAT-ed to PRIVATE_PORT")
	if err := cmd.Parse(args); err != nil {
		return nil
	}
	if cmd.NArg() != 2 {
		cmd.Usage()
		return nil
	}
	name, privatePort := cmd.Arg(0), cmd.Arg(1)
	container := srv.runtime.Get(name)
	if container == nil {
		return noSuchContainer(name)
	}
	container.lock.Lock()
	public, ok := container.NetworkSettings.PortMapping[privatePort]
	container.lock.Unlock()
	if ok {
		fmt.Fprintln(stdout, public)
		return nil
	}
	return fmt.Errorf("No private port '%s' allocated on %s", privatePort, name)
}

// CmdRm destroys each container. A running one is stopped first, as in
// 0.1.0 (Destroy calls Stop).
func (srv *Server) CmdRm(stdin io.ReadCloser, stdout io.Writer, args ...string) error {
	cmd := rcli.Subcmd(stdout, "rm", "[OPTIONS] CONTAINER", "Remove a container")
	if err := cmd.Parse(args); err != nil {
		return nil
	}
	for _, name := range cmd.Args() {
		container := srv.runtime.Get(name)
		if container == nil {
			return noSuchContainer(name)
		}
		if err := srv.runtime.Destroy(container); err != nil {
			fmt.Fprintln(stdout, "Error destroying container "+name+": "+err.Error())
		}
	}
	return nil
}

// CmdKill kills each container; errors are printed, not returned.
func (srv *Server) CmdKill(stdin io.ReadCloser, stdout io.Writer, args ...string) error {
	cmd := rcli.Subcmd(stdout, "kill", "[OPTIONS] CONTAINER [CONTAINER...]", "Kill a running container")
	if err := cmd.Parse(args); err != nil {
		return nil
	}
	for _, name := range cmd.Args() {
		container := srv.runtime.Get(name)
		if container == nil {
			return noSuchContainer(name)
		}
		if err := container.Kill(); err != nil {
			fmt.Fprintln(stdout, "Error killing container "+name+": "+err.Error())
		}
	}
	return nil
}

// CmdPs lists containers, newest first: running ones, or all with -a.
func (srv *Server) CmdPs(stdin io.ReadCloser, stdout io.Writer, args ...string) error {
	cmd := rcli.Subcmd(stdout, "ps", "[OPTIONS]", "List containers")
	quiet := cmd.Bool("q", false, "Only display numeric IDs")
	flAll := cmd.Bool("a", false, "Show all containers. Only running containers are shown by default.")
	flFull := cmd.Bool("notrunc", false, "Don't truncate output")
	if err := cmd.Parse(args); err != nil {
		return nil
	}
	w := tabwriter.NewWriter(stdout, 12, 1, 3, ' ', 0)
	if !*quiet {
		fmt.Fprintf(w, "ID\tIMAGE\tCOMMAND\tCREATED\tSTATUS\tCOMMENT\n")
	}
	for _, container := range srv.runtime.List() {
		container.lock.Lock()
		running, status := container.State.Running, container.State.String()
		container.lock.Unlock()
		if !running && !*flAll {
			continue
		}
		if *quiet {
			fmt.Fprintln(w, container.Id)
			continue
		}
		command := container.commandLine()
		if !*flFull && len(command) > 20 {
			command = command[:20]
		}
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\t%s\n", container.Id,
			srv.runtime.repositories.ImageName(container.Image), command,
			HumanDuration(time.Since(container.Created))+" ago", status, "")
	}
	return w.Flush()
}

// CmdCommit makes an image of a container's changes and prints its id.
func (srv *Server) CmdCommit(stdin io.ReadCloser, stdout io.Writer, args ...string) error {
	cmd := rcli.Subcmd(stdout, "commit", "[OPTIONS] CONTAINER [REPOSITORY [TAG]]", "Create a new image from a container's changes")
	if err := cmd.Parse(args); err != nil {
		return nil
	}
	name, repository, tag := cmd.Arg(0), cmd.Arg(1), cmd.Arg(2)
	if name == "" {
		cmd.Usage()
		return nil
	}
	img, err := srv.runtime.Commit(name, repository, tag)
	if err != nil {
		return err
	}
	fmt.Fprintln(stdout, img.Id)
	return nil
}

// CmdExport streams the container's whole filesystem as a tar archive.
func (srv *Server) CmdExport(stdin io.ReadCloser, stdout io.Writer, args ...string) error {
	cmd := rcli.Subcmd(stdout, "export", "CONTAINER", "Export the contents of a filesystem as a tar archive")
	if err := cmd.Parse(args); err != nil {
		return nil
	}
	name := cmd.Arg(0)
	container := srv.runtime.Get(name)
	if container == nil {
		return noSuchContainer(name)
	}
	data, err := container.Export()
	if err != nil {
		return err
	}
	defer data.Close()
	_, err = io.Copy(stdout, data)
	return err
}

// CmdDiff prints A/C/D lines for what the container changed.
func (srv *Server) CmdDiff(stdin io.ReadCloser, stdout io.Writer, args ...string) error {
	cmd := rcli.Subcmd(stdout, "diff", "CONTAINER [OPTIONS]", "Inspect changes on a container's filesystem")
	if err := cmd.Parse(args); err != nil {
		return nil
	}
	if cmd.NArg() < 1 {
		return errors.New("Not enough arguments")
	}
	container := srv.runtime.Get(cmd.Arg(0))
	if container == nil {
		return errors.New("No such container")
	}
	changes, err := container.Changes()
	if err != nil {
		return err
	}
	for _, change := range changes {
		fmt.Fprintln(stdout, change.String())
	}
	return nil
}

// CmdLogs prints the whole stdout log, then the whole stderr log.
func (srv *Server) CmdLogs(stdin io.ReadCloser, stdout io.Writer, args ...string) error {
	cmd := rcli.Subcmd(stdout, "logs", "[OPTIONS] CONTAINER", "Fetch the logs of a container")
	if err := cmd.Parse(args); err != nil {
		return nil
	}
	if cmd.NArg() != 1 {
		cmd.Usage()
		return nil
	}
	name := cmd.Arg(0)
	container := srv.runtime.Get(name)
	if container == nil {
		return noSuchContainer(name)
	}
	for _, log := range []string{"stdout", "stderr"} {
		if err := copyFile(stdout, container.logPath(log)); err != nil {
			return err
		}
	}
	return nil
}

// CmdAttach connects the client to a running container's stdout and
// stderr (and stdin with -i) until they end.
func (srv *Server) CmdAttach(stdin io.ReadCloser, stdout io.Writer, args ...string) error {
	cmd := rcli.Subcmd(stdout, "attach", "[OPTIONS]", "Attach to a running container")
	flStdin := cmd.Bool("i", false, "Attach to stdin")
	flStdout := cmd.Bool("o", true, "Attach to stdout")
	flStderr := cmd.Bool("e", true, "Attach to stderr")
	if err := cmd.Parse(args); err != nil {
		return nil
	}
	if cmd.NArg() != 1 {
		cmd.Usage()
		return nil
	}
	name := cmd.Arg(0)
	container := srv.runtime.Get(name)
	if container == nil {
		return noSuchContainer(name)
	}
	return srv.attach(container, stdin, stdout, *flStdin, *flStdout, *flStderr)
}

// attach copies the chosen streams and waits for all of them, or until
// the client has gone (see waitOrHangup).
func (srv *Server) attach(container *Container, stdin io.ReadCloser, stdout io.Writer, withStdin, withStdout, withStderr bool) error {
	var wg sync.WaitGroup
	var mu sync.Mutex // stdout and stderr share the client's connection
	out := writerFunc(func(p []byte) (int, error) {
		mu.Lock()
		defer mu.Unlock()
		return stdout.Write(p)
	})
	var readers []io.Closer
	// Output pipes first: once stdin is copied and closed, the process may
	// end at once, and a pipe taken after its output closed would never
	// see EOF (the attach would hang).
	copyFrom := func(pipe func() (io.ReadCloser, error)) {
		r, _ := pipe()
		readers = append(readers, r)
		wg.Add(1)
		go func() {
			defer wg.Done()
			io.Copy(out, r)
		}()
	}
	if withStdout {
		copyFrom(container.StdoutPipe)
	}
	if withStderr {
		copyFrom(container.StderrPipe)
	}
	if withStdin && container.Config.OpenStdin {
		pipe, _ := container.StdinPipe()
		wg.Add(1)
		go func() {
			defer wg.Done()
			io.Copy(pipe, stdin)
			pipe.Close()
		}()
	}
	waitOrHangup(&wg, stdout, readers)
	return nil
}

// waitOrHangup waits for wg, or — not in 0.1.0, which waited for the
// container's next output or its exit — until the client has closed its
// connection (rcli.HangupNotifier): then the output readers are closed,
// which ends their copies, and the command returns, so that the daemon
// closes the connection at once (docs/divergences.md "Streams end when
// the client goes").
func waitOrHangup(wg *sync.WaitGroup, stdout io.Writer, readers []io.Closer) (hungUp bool) {
	done := make(chan struct{})
	go func() {
		wg.Wait()
		close(done)
	}()
	var gone <-chan struct{} // nil, never ready, for an in-process call
	if h, ok := stdout.(rcli.HangupNotifier); ok {
		gone = h.HungUp()
	}
	select {
	case <-done:
		return false
	case <-gone:
		for _, r := range readers {
			r.Close()
		}
		return true
	}
}

type writerFunc func([]byte) (int, error)

func (f writerFunc) Write(p []byte) (int, error) { return f(p) }

// CmdRun creates a container and starts it. Detached it prints the id;
// otherwise it streams stdout and stderr (and stdin with -i) until the
// process ends. The exit code is not sent, as in 0.1.0: use wait.
func (srv *Server) CmdRun(stdin io.ReadCloser, stdout io.Writer, args ...string) error {
	config, err := ParseRun(args, stdout)
	if errors.Is(err, flag.ErrHelp) {
		return nil
	}
	if err != nil {
		return err
	}
	if config.Image == "" {
		return errors.New("Image not specified")
	}
	if len(config.Cmd) == 0 {
		return errors.New("Command not specified")
	}
	container, err := srv.runtime.Create(config)
	if err != nil {
		return errors.New("Error creating container: " + err.Error())
	}
	if config.Detach {
		if err := container.Start(); err != nil {
			return err
		}
		fmt.Fprintln(stdout, container.Id)
		return nil
	}
	// Pipes first, so nothing the process writes is missed.
	var wg sync.WaitGroup
	var mu sync.Mutex
	out := writerFunc(func(p []byte) (int, error) {
		mu.Lock()
		defer mu.Unlock()
		return stdout.Write(p)
	})
	var readers []io.Closer
	for _, pipe := range []func() (io.ReadCloser, error){container.StdoutPipe, container.StderrPipe} {
		r, _ := pipe()
		readers = append(readers, r)
		wg.Add(1)
		go func() {
			defer wg.Done()
			io.Copy(out, r)
		}()
	}
	if config.OpenStdin {
		// This run's pipe, taken now: the monitor makes a new one at exit.
		pipe, _ := container.StdinPipe()
		go func() {
			io.Copy(pipe, stdin)
			pipe.Close()
		}()
	}
	if err := container.Start(); err != nil {
		return err
	}
	if waitOrHangup(&wg, stdout, readers) {
		return nil // the client left; the container runs on, as detached
	}
	container.Wait()
	return nil
}

// copyFile copies a file to w; a missing file (never started) is empty.
func copyFile(w io.Writer, path string) error {
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	defer f.Close()
	_, err = io.Copy(w, f)
	return err
}
