// Commands that run a container: run, create, start, attach.
//
// Upstream: api/client/commands.go at v1.2.0 (CmdRun, CmdStart, CmdAttach);
// CmdCreate is Docker 1.3's (api/client/commands.go at v1.3.0), added so
// that create, like run, can be typed by hand.
// Book: ch.2 §2.3 and ch.7 §7.3 (CmdRun: runconfig.ParseSubcommand, POST
// /containers/create, attach, POST /containers/ID/start, wait).
//
// run's order matters: the attach connection is made before the start, so
// the first bytes the container writes are not lost.
//
// When create answers 404 (no such image), run pulls the image and tries
// again, as upstream; if the pull fails, its error is run's error.
package client

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"net/url"
	"os"
	"strconv"
	"time"

	"github.com/dockerlab/dockerlab/v1_2/runconfig"
)

// parseRunFlags parses run's (and create's) flags with runconfig's parser
// on a Subcmd flag set. The flag package prints the usage for a bad flag
// itself; that case becomes errUsage, anything else runconfig found is
// its own message.
func (cli *DockerCli) parseRunFlags(name, description string, args []string) (*runconfig.Config, *runconfig.HostConfig, *flag.FlagSet, error) {
	cmd := cli.Subcmd(name, "[OPTIONS] IMAGE [COMMAND] [ARG...]", description)
	usageShown := false
	showUsage := cmd.Usage
	cmd.Usage = func() { usageShown = true; showUsage() }
	config, hostConfig, cmd, err := runconfig.ParseSubcommand(cmd, args, nil)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) || usageShown {
			return nil, nil, cmd, parseErr(err)
		}
		return nil, nil, cmd, err
	}
	if config.Image == "" {
		return nil, nil, cmd, usage(cmd)
	}
	return config, hostConfig, cmd, nil
}

// createContainer posts /containers/create?name=… and prints the
// daemon's warnings. body is the Config (1.2) or Config+HostConfig (1.3).
func (cli *DockerCli) createContainer(image, name string, body any) (string, error) {
	v := url.Values{}
	if name != "" {
		v.Set("name", name)
	}
	stream, statusCode, err := cli.call("POST", "/containers/create?"+v.Encode(), body, false)
	if statusCode == 404 {
		// No such image: pull it, then try once more.
		fmt.Fprintf(cli.err, "Unable to find image '%s' locally\n", image)
		if err := cli.pullImage(image); err != nil {
			return "", err
		}
		stream, statusCode, err = cli.call("POST", "/containers/create?"+v.Encode(), body, false)
	}
	result, err := decodeEnv(stream, statusCode, err)
	if err != nil {
		return "", err
	}
	for _, warning := range result.GetList("Warnings") {
		fmt.Fprintf(cli.err, "WARNING: %s\n", warning)
	}
	return result.Get("Id"), nil
}

// cidFile is --cidfile: made before create (refusing an existing file),
// written after, removed again if nothing was written.
type cidFile struct {
	path string
	f    *os.File
	n    int
}

func openCidFile(path string) (*cidFile, error) {
	if path == "" {
		return nil, nil
	}
	if _, err := os.Stat(path); err == nil {
		return nil, fmt.Errorf("Container ID file found, make sure the other container isn't running or delete %s", path)
	}
	f, err := os.Create(path)
	if err != nil {
		return nil, fmt.Errorf("Failed to create the container ID file: %s", err)
	}
	return &cidFile{path: path, f: f}, nil
}

func (c *cidFile) write(id string) error {
	if c == nil {
		return nil
	}
	n, err := c.f.Write([]byte(id))
	c.n += n
	if err != nil {
		return fmt.Errorf("Failed to write the container ID to the file: %s", err)
	}
	return nil
}

func (c *cidFile) close() {
	if c == nil {
		return
	}
	c.f.Close()
	if c.n == 0 {
		os.Remove(c.path)
	}
}

// CmdCreate creates a container and prints its id (Docker 1.3). The
// HostConfig goes with the create request, as 1.3 sent it.
func (cli *DockerCli) CmdCreate(args ...string) error {
	config, hostConfig, cmd, err := cli.parseRunFlags("create", "Create a new container", args)
	if err != nil {
		return done(err)
	}
	cid, err := openCidFile(hostConfig.ContainerIDFile)
	if err != nil {
		return err
	}
	defer cid.close()
	body := struct {
		*runconfig.Config
		HostConfig *runconfig.HostConfig
	}{config, hostConfig}
	id, err := cli.createContainer(config.Image, cmd.Lookup("name").Value.String(), body)
	if err != nil {
		return err
	}
	if err := cid.write(id); err != nil {
		return err
	}
	fmt.Fprintf(cli.out, "%s\n", id)
	return nil
}

// CmdRun is create, attach, start and wait.
func (cli *DockerCli) CmdRun(args ...string) error {
	config, hostConfig, cmd, err := cli.parseRunFlags("run", "Run a command in a new container", args)
	if err != nil {
		return done(err)
	}
	autoRemove, _ := strconv.ParseBool(cmd.Lookup("rm").Value.String())
	sigProxy, _ := strconv.ParseBool(cmd.Lookup("sig-proxy").Value.String())
	if config.Tty {
		sigProxy = false // the tty passes ^C on itself
	}

	cid, err := openCidFile(hostConfig.ContainerIDFile)
	if err != nil {
		return err
	}
	defer cid.close()

	// 1. create: the Config alone, as 1.2 sent it.
	id, err := cli.createContainer(config.Image, cmd.Lookup("name").Value.String(), config)
	if err != nil {
		return err
	}
	if err := cid.write(id); err != nil {
		return err
	}
	if sigProxy {
		defer cli.forwardAllSignals(id)()
	}
	attached := config.AttachStdin || config.AttachStdout || config.AttachStderr
	if !config.AttachStdout && !config.AttachStderr {
		// Detached (-d) or stdin only: the id is the output.
		fmt.Fprintf(cli.out, "%s\n", id)
	}

	// 2. attach, before the start.
	var errCh chan error
	if attached {
		var (
			out, stderr io.Writer
			in          io.ReadCloser
			v           = url.Values{}
		)
		v.Set("stream", "1")
		if config.AttachStdin {
			v.Set("stdin", "1")
			in = cli.in
		}
		if config.AttachStdout {
			v.Set("stdout", "1")
			out = cli.out
		}
		if config.AttachStderr {
			v.Set("stderr", "1")
			if config.Tty {
				stderr = cli.out
			} else {
				stderr = cli.err
			}
		}
		hijacked := make(chan io.Closer)
		errCh = make(chan error, 1)
		go func() {
			errCh <- cli.hijack("POST", "/containers/"+id+"/attach?"+v.Encode(), config.Tty, in, out, stderr, hijacked)
		}()
		// Wait until the daemon has taken the connection (or failed).
		if closer, ok := <-hijacked; ok {
			defer closer.Close()
		} else if err := <-errCh; err != nil {
			return err
		}
	}

	// 3. start, with the HostConfig (ports, binds, links) as 1.2 sent it.
	if _, _, err := readBody(cli.call("POST", "/containers/"+id+"/start", hostConfig, false)); err != nil {
		return err
	}
	if attached && config.Tty && cli.isTerminal {
		defer cli.monitorTtySize(id)()
	}
	if errCh != nil {
		if err := <-errCh; err != nil {
			return err
		}
	}
	if !config.AttachStdout && !config.AttachStderr {
		return nil // detached: done once started
	}

	// 4. wait for the exit status (and remove with --rm).
	var status int
	switch {
	case autoRemove:
		if _, _, err := readBody(cli.call("POST", "/containers/"+id+"/wait", nil, false)); err != nil {
			return err
		}
		if _, status, err = getExitCode(cli, id); err != nil {
			return err
		}
		if _, _, err := readBody(cli.call("DELETE", "/containers/"+id+"?v=1", nil, false)); err != nil {
			return err
		}
	case !config.Tty:
		if status, err = waitForExit(cli, id); err != nil {
			return err
		}
	default:
		// With a tty the attach also ends when the user detaches (the
		// container runs on), so upstream did not wait: it read the exit
		// code at once, and sometimes read it before the daemon had
		// recorded the exit. Here a container still marked running gets
		// a moment to finish before it counts as detached.
		if status, err = exitCodeAfterAttach(cli, id); err != nil {
			return err
		}
	}
	if status != 0 {
		return &StatusError{StatusCode: status}
	}
	return nil
}

// exitCodeAfterAttach is the exit code of a tty container whose attach
// has ended: 0 if it still runs after detachGrace (the user detached).
func exitCodeAfterAttach(cli *DockerCli, id string) (int, error) {
	deadline := time.Now().Add(detachGrace)
	for {
		running, status, err := getExitCode(cli, id)
		if err != nil || !running || time.Now().After(deadline) {
			return status, err
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// detachGrace bounds how long run -t waits for a finished container's
// state to say so (a variable so that a test on a loaded machine can
// give it longer).
var detachGrace = time.Second

// CmdStart starts each container; -a/-i attach to the (single) one first.
func (cli *DockerCli) CmdStart(args ...string) error {
	cmd := cli.Subcmd("start", "CONTAINER [CONTAINER...]", "Restart a stopped container")
	attach := boolFlag(cmd, []string{"a", "-attach"}, false, "Attach container's STDOUT and STDERR and forward all signals to the process")
	openStdin := boolFlag(cmd, []string{"i", "-interactive"}, false, "Attach container's STDIN")
	if err := parse(cmd, args); err != nil {
		return done(err)
	}
	if cmd.NArg() < 1 {
		return usage(cmd)
	}
	var (
		cErr chan error
		tty  bool
	)
	if *attach || *openStdin {
		if cmd.NArg() > 1 {
			return fmt.Errorf("You cannot start and attach multiple containers at once.")
		}
		env, err := decodeEnv(cli.call("GET", "/containers/"+cmd.Arg(0)+"/json", nil, false))
		if err != nil {
			return err
		}
		config := env.GetSubEnv("Config")
		tty = config.GetBool("Tty")
		if !tty {
			defer cli.forwardAllSignals(cmd.Arg(0))()
		}
		var in io.ReadCloser
		v := url.Values{}
		v.Set("stream", "1")
		if *openStdin && config.GetBool("OpenStdin") {
			v.Set("stdin", "1")
			in = cli.in
		}
		v.Set("stdout", "1")
		v.Set("stderr", "1")
		hijacked := make(chan io.Closer)
		cErr = make(chan error, 1)
		go func() {
			cErr <- cli.hijack("POST", "/containers/"+cmd.Arg(0)+"/attach?"+v.Encode(), tty, in, cli.out, cli.err, hijacked)
		}()
		// Not in 1.2 (which started without waiting): wait for the
		// attach, so a short-lived container's output is not missed.
		if closer, ok := <-hijacked; ok {
			defer closer.Close()
		} else if err := <-cErr; err != nil {
			return err
		}
	}
	var encounteredError error
	for _, name := range cmd.Args() {
		if err := cli.post("/containers/" + name + "/start"); err != nil {
			if !*attach || !*openStdin {
				fmt.Fprintf(cli.err, "%s\n", err)
			}
			encounteredError = fmt.Errorf("Error: failed to start one or more containers")
		} else if !*attach || !*openStdin {
			fmt.Fprintf(cli.out, "%s\n", name)
		}
	}
	if encounteredError != nil {
		return encounteredError
	}
	if *openStdin || *attach {
		if tty && cli.isTerminal {
			defer cli.monitorTtySize(cmd.Arg(0))()
		}
		return <-cErr
	}
	return nil
}

// CmdAttach joins a running container's streams; its exit code becomes
// the client's.
func (cli *DockerCli) CmdAttach(args ...string) error {
	cmd := cli.Subcmd("attach", "[OPTIONS] CONTAINER", "Attach to a running container")
	noStdin := boolFlag(cmd, []string{"#nostdin", "-no-stdin"}, false, "Do not attach STDIN")
	proxy := boolFlag(cmd, []string{"#sig-proxy", "-sig-proxy"}, true, "Proxy all received signals to the process (even in non-TTY mode). SIGCHLD, SIGKILL, and SIGSTOP are not proxied.")
	if err := parse(cmd, args); err != nil {
		return done(err)
	}
	if cmd.NArg() != 1 {
		return usage(cmd)
	}
	name := cmd.Arg(0)
	env, err := decodeEnv(cli.call("GET", "/containers/"+name+"/json", nil, false))
	if err != nil {
		return err
	}
	if !env.GetSubEnv("State").GetBool("Running") {
		return fmt.Errorf("You cannot attach to a stopped container, start it first")
	}
	config := env.GetSubEnv("Config")
	tty := config.GetBool("Tty")
	if tty && cli.isTerminal {
		defer cli.monitorTtySize(name)()
	}
	var in io.ReadCloser
	v := url.Values{}
	v.Set("stream", "1")
	if !*noStdin && config.GetBool("OpenStdin") {
		v.Set("stdin", "1")
		in = cli.in
	}
	v.Set("stdout", "1")
	v.Set("stderr", "1")
	if *proxy && !tty {
		defer cli.forwardAllSignals(name)()
	}
	if err := cli.hijack("POST", "/containers/"+name+"/attach?"+v.Encode(), tty, in, cli.out, cli.err, nil); err != nil {
		return err
	}
	_, status, err := getExitCode(cli, name)
	if err != nil {
		return err
	}
	if status != 0 {
		return &StatusError{StatusCode: status}
	}
	return nil
}
