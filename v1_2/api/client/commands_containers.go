// Container commands that do not run anything: ps, inspect, top, port,
// diff, logs, export, commit, and the ones that act on a list of names
// and print each name done (stop, restart, kill, pause, unpause, rm, wait).
//
// Upstream: api/client/commands.go at v1.2.0 (CmdPs, CmdInspect, CmdTop,
// CmdPort, CmdDiff, CmdLogs, CmdExport, CmdCommit, CmdStop, CmdRestart,
// CmdKill, CmdPause, CmdUnpause, CmdRm, CmdWait).
// Book: ch.2 §2.3.
package client

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/url"
	"strconv"
	"strings"
	"text/tabwriter"
	"text/template"

	"github.com/dockerlab/dockerlab/v1_2/api"
	"github.com/dockerlab/dockerlab/v1_2/engine"
	"github.com/dockerlab/dockerlab/v1_2/graph"
	"github.com/dockerlab/dockerlab/v1_2/nat"
	"github.com/dockerlab/dockerlab/v1_2/opts"
	"github.com/dockerlab/dockerlab/v1_2/pkg/parsers/filters"
	"github.com/dockerlab/dockerlab/v1_2/pkg/units"
	"github.com/dockerlab/dockerlab/v1_2/runconfig"
)

// CmdPs lists GET /containers/json.
func (cli *DockerCli) CmdPs(args ...string) error {
	cmd := cli.Subcmd("ps", "[OPTIONS]", "List containers")
	quiet := boolFlag(cmd, []string{"q", "-quiet"}, false, "Only display numeric IDs")
	size := boolFlag(cmd, []string{"s", "-size"}, false, "Display sizes")
	all := boolFlag(cmd, []string{"a", "-all"}, false, "Show all containers. Only running containers are shown by default.")
	noTrunc := boolFlag(cmd, []string{"#notrunc", "-no-trunc"}, false, "Don't truncate output")
	nLatest := boolFlag(cmd, []string{"l", "-latest"}, false, "Show only the latest created container, include non-running ones.")
	sinceID := stringFlag(cmd, []string{"#sinceId", "#-since-id", "-since"}, "", "Show only containers created since Id or Name, include non-running ones.")
	before := stringFlag(cmd, []string{"#beforeId", "#-before-id", "-before"}, "", "Show only container created before Id or Name, include non-running ones.")
	last := intFlag(cmd, []string{"n"}, -1, "Show n last created containers, include non-running ones.")
	flFilter := opts.NewListOpts(nil)
	varFlag(cmd, &flFilter, []string{"f", "-filter"}, "Provide filter values. Valid filters:\nexited=<int> - containers with exit code of <int>")
	if err := parse(cmd, args); err != nil {
		return done(err)
	}
	v := url.Values{}
	if *last == -1 && *nLatest {
		*last = 1
	}
	if *all {
		v.Set("all", "1")
	}
	if *last != -1 {
		v.Set("limit", strconv.Itoa(*last))
	}
	if *sinceID != "" {
		v.Set("since", *sinceID)
	}
	if *before != "" {
		v.Set("before", *before)
	}
	if *size {
		v.Set("size", "1")
	}
	psFilterArgs := filters.Args{}
	for _, f := range flFilter.GetAll() {
		var err error
		if psFilterArgs, err = filters.ParseFlag(f, psFilterArgs); err != nil {
			return err
		}
	}
	if len(psFilterArgs) > 0 {
		filterJSON, err := filters.ToParam(psFilterArgs)
		if err != nil {
			return err
		}
		v.Set("filters", filterJSON)
	}

	body, _, err := readBody(cli.call("GET", "/containers/json?"+v.Encode(), nil, false))
	if err != nil {
		return err
	}
	outs := engine.NewTable("Created", 0)
	if _, err := outs.ReadListFrom(body); err != nil {
		return err
	}
	w := tabwriter.NewWriter(cli.out, 20, 1, 3, ' ', 0)
	if !*quiet {
		fmt.Fprint(w, "CONTAINER ID\tIMAGE\tCOMMAND\tCREATED\tSTATUS\tPORTS\tNAMES")
		if *size {
			fmt.Fprintln(w, "\tSIZE")
		} else {
			fmt.Fprint(w, "\n")
		}
	}
	for _, out := range outs.Data {
		outID := out.Get("Id")
		if !*noTrunc {
			outID = truncateID(outID)
		}
		if *quiet {
			fmt.Fprintln(w, outID)
			continue
		}
		// Names come as "/name" (and "/other/alias" for links).
		names := out.GetList("Names")
		for i := range names {
			names[i] = strings.TrimPrefix(names[i], "/")
		}
		command := strconv.Quote(out.Get("Command"))
		if !*noTrunc {
			command = trunc(command, 20)
		}
		ports := engine.NewTable("", 0)
		ports.ReadListFrom([]byte(out.Get("Ports")))
		fmt.Fprintf(w, "%s\t%s\t%s\t%s ago\t%s\t%s\t%s\t", outID, out.Get("Image"), command,
			since(out.GetInt64("Created")), out.Get("Status"), api.DisplayablePorts(ports), strings.Join(names, ","))
		if *size {
			if out.GetInt("SizeRootFs") > 0 {
				fmt.Fprintf(w, "%s (virtual %s)\n", units.HumanSize(out.GetInt64("SizeRw")), units.HumanSize(out.GetInt64("SizeRootFs")))
			} else {
				fmt.Fprintf(w, "%s\n", units.HumanSize(out.GetInt64("SizeRw")))
			}
		} else {
			fmt.Fprint(w, "\n")
		}
	}
	return w.Flush()
}

// funcMap gives inspect's templates {{json .Config}}.
var funcMap = template.FuncMap{
	"json": func(v any) string {
		a, _ := json.Marshal(v)
		return string(a)
	},
}

// CmdInspect prints a container's (or else an image's) JSON, all of them
// in one indented array, or each through the -f template.
func (cli *DockerCli) CmdInspect(args ...string) error {
	cmd := cli.Subcmd("inspect", "CONTAINER|IMAGE [CONTAINER|IMAGE...]", "Return low-level information on a container or image")
	tmplStr := stringFlag(cmd, []string{"f", "#format", "-format"}, "", "Format the output using the given go template.")
	if err := parse(cmd, args); err != nil {
		return done(err)
	}
	if cmd.NArg() < 1 {
		return usage(cmd)
	}
	var tmpl *template.Template
	if *tmplStr != "" {
		var err error
		if tmpl, err = template.New("").Funcs(funcMap).Parse(*tmplStr); err != nil {
			fmt.Fprintf(cli.err, "Template parsing error: %v\n", err)
			return &StatusError{StatusCode: 64, Status: "Template parsing error: " + err.Error()}
		}
	}

	indented := new(bytes.Buffer)
	indented.WriteByte('[')
	status := 0
	for _, name := range cmd.Args() {
		obj, _, err := readBody(cli.call("GET", "/containers/"+name+"/json", nil, false))
		if err != nil {
			obj, _, err = readBody(cli.call("GET", "/images/"+name+"/json", nil, false))
			if err != nil {
				if strings.Contains(err.Error(), "No such") {
					fmt.Fprintf(cli.err, "Error: No such image or container: %s\n", name)
				} else {
					fmt.Fprintf(cli.err, "%s", err)
				}
				status = 1
				continue
			}
		}
		if tmpl == nil {
			if err := json.Indent(indented, obj, "", "    "); err != nil {
				fmt.Fprintf(cli.err, "%s\n", err)
				status = 1
				continue
			}
		} else {
			var value any
			if err := json.Unmarshal(obj, &value); err != nil {
				fmt.Fprintf(cli.err, "%s\n", err)
				status = 1
				continue
			}
			if err := tmpl.Execute(cli.out, value); err != nil {
				return err
			}
			cli.out.Write([]byte{'\n'})
		}
		indented.WriteString(",")
	}
	if indented.Len() > 1 {
		indented.Truncate(indented.Len() - 1) // the last ','
	}
	indented.WriteByte(']')
	if tmpl == nil {
		// Upstream wrote no newline after the array.
		if _, err := io.Copy(cli.out, indented); err != nil {
			return err
		}
	}
	if status != 0 {
		return &StatusError{StatusCode: status}
	}
	return nil
}

// CmdTop prints GET /containers/NAME/top?ps_args=…: ps's own columns.
func (cli *DockerCli) CmdTop(args ...string) error {
	cmd := cli.Subcmd("top", "CONTAINER [ps OPTIONS]", "Display the running processes of a container")
	if err := parse(cmd, args); err != nil {
		return done(err)
	}
	if cmd.NArg() == 0 {
		return usage(cmd)
	}
	val := url.Values{}
	if cmd.NArg() > 1 {
		val.Set("ps_args", strings.Join(cmd.Args()[1:], " "))
	}
	procs, err := decodeEnv(cli.call("GET", "/containers/"+cmd.Arg(0)+"/top?"+val.Encode(), nil, false))
	if err != nil {
		return err
	}
	w := tabwriter.NewWriter(cli.out, 20, 1, 3, ' ', 0)
	fmt.Fprintln(w, strings.Join(procs.GetList("Titles"), "\t"))
	var processes [][]string
	if err := procs.GetJson("Processes", &processes); err != nil {
		return err
	}
	for _, proc := range processes {
		fmt.Fprintln(w, strings.Join(proc, "\t"))
	}
	return w.Flush()
}

// CmdPort reads NetworkSettings.Ports from inspect and prints the host
// side of PRIVATE_PORT[/PROTO] ("0.0.0.0:49153").
func (cli *DockerCli) CmdPort(args ...string) error {
	cmd := cli.Subcmd("port", "CONTAINER PRIVATE_PORT", "Lookup the public-facing port that is NAT-ed to PRIVATE_PORT")
	if err := parse(cmd, args); err != nil {
		return done(err)
	}
	if cmd.NArg() != 2 {
		return usage(cmd)
	}
	port, proto := cmd.Arg(1), "tcp"
	if parts := strings.SplitN(port, "/", 2); len(parts) == 2 && parts[1] != "" {
		port, proto = parts[0], parts[1]
	}
	env, err := decodeEnv(cli.call("GET", "/containers/"+cmd.Arg(0)+"/json", nil, false))
	if err != nil {
		return err
	}
	ports := nat.PortMap{}
	if err := env.GetSubEnv("NetworkSettings").GetJson("Ports", &ports); err != nil {
		return err
	}
	if frontends, exists := ports[nat.Port(port+"/"+proto)]; exists && frontends != nil {
		for _, frontend := range frontends {
			fmt.Fprintf(cli.out, "%s:%s\n", frontend.HostIp, frontend.HostPort)
		}
		return nil
	}
	return fmt.Errorf("Error: No public port '%s' published for %s", cmd.Arg(1), cmd.Arg(0))
}

// CmdDiff prints GET /containers/NAME/changes as "A /path", "C …", "D …".
func (cli *DockerCli) CmdDiff(args ...string) error {
	cmd := cli.Subcmd("diff", "CONTAINER", "Inspect changes on a container's filesystem")
	if err := parse(cmd, args); err != nil {
		return done(err)
	}
	if cmd.NArg() != 1 {
		return usage(cmd)
	}
	body, _, err := readBody(cli.call("GET", "/containers/"+cmd.Arg(0)+"/changes", nil, false))
	if err != nil {
		return err
	}
	outs := engine.NewTable("", 0)
	if _, err := outs.ReadListFrom(body); err != nil {
		return err
	}
	for _, change := range outs.Data {
		// archive.ChangeModify, ChangeAdd, ChangeDelete are 0, 1, 2.
		kind := map[int]string{0: "C", 1: "A", 2: "D"}[change.GetInt("Kind")]
		fmt.Fprintf(cli.out, "%s %s\n", kind, change.Get("Path"))
	}
	return nil
}

// CmdLogs streams GET /containers/NAME/logs; a tty container's log is one
// raw stream, any other is framed stdout/stderr.
func (cli *DockerCli) CmdLogs(args ...string) error {
	cmd := cli.Subcmd("logs", "CONTAINER", "Fetch the logs of a container")
	follow := boolFlag(cmd, []string{"f", "-follow"}, false, "Follow log output")
	times := boolFlag(cmd, []string{"t", "-timestamps"}, false, "Show timestamps")
	tail := stringFlag(cmd, []string{"-tail"}, "all", "Output the specified number of lines at the end of logs (defaults to all logs)")
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
	v := url.Values{}
	v.Set("stdout", "1")
	v.Set("stderr", "1")
	if *times {
		v.Set("timestamps", "1")
	}
	if *follow {
		v.Set("follow", "1")
	}
	v.Set("tail", *tail)
	return cli.streamHelper("GET", "/containers/"+name+"/logs?"+v.Encode(), env.GetSubEnv("Config").GetBool("Tty"), nil, cli.out, cli.err, nil)
}

// CmdExport streams GET /containers/NAME/export (a tar) to stdout.
func (cli *DockerCli) CmdExport(args ...string) error {
	cmd := cli.Subcmd("export", "CONTAINER", "Export the contents of a filesystem as a tar archive to STDOUT")
	if err := parse(cmd, args); err != nil {
		return done(err)
	}
	if cmd.NArg() != 1 {
		return usage(cmd)
	}
	return cli.stream("GET", "/containers/"+cmd.Arg(0)+"/export", nil, cli.out, nil)
}

// CmdCommit posts /commit?container=…&repo=…&tag=… and prints the new id.
func (cli *DockerCli) CmdCommit(args ...string) error {
	cmd := cli.Subcmd("commit", "[OPTIONS] CONTAINER [REPOSITORY[:TAG]]", "Create a new image from a container's changes")
	flPause := boolFlag(cmd, []string{"p", "-pause"}, true, "Pause container during commit")
	flComment := stringFlag(cmd, []string{"m", "-message"}, "", "Commit message")
	flAuthor := stringFlag(cmd, []string{"a", "#author", "-author"}, "", "Author (e.g., \"John Hannibal Smith <hannibal@a-team.com>\")")
	flConfig := stringFlag(cmd, []string{"#run", "#-run"}, "", "This option is deprecated and will be removed in a future version in favor of inline Dockerfile-compatible commands")
	if err := parse(cmd, args); err != nil {
		return done(err)
	}
	name := cmd.Arg(0)
	repository, tag := graph.ParseRepositoryTag(cmd.Arg(1))
	if name == "" || cmd.NArg() > 2 {
		return usage(cmd)
	}
	v := url.Values{}
	v.Set("container", name)
	v.Set("repo", repository)
	v.Set("tag", tag)
	v.Set("comment", *flComment)
	v.Set("author", *flAuthor)
	if !*flPause {
		v.Set("pause", "0")
	}
	var config *runconfig.Config
	if *flConfig != "" {
		config = &runconfig.Config{}
		if err := json.Unmarshal([]byte(*flConfig), config); err != nil {
			return err
		}
	}
	var data any
	if config != nil {
		data = config // a nil *Config would still be sent as "null"
	}
	env, err := decodeEnv(cli.call("POST", "/commit?"+v.Encode(), data, false))
	if err != nil {
		return err
	}
	fmt.Fprintf(cli.out, "%s\n", env.Get("Id"))
	return nil
}

// eachName runs one request per name, printing the name when it worked
// and the daemon's message when not; any failure gives failMsg at the end.
func (cli *DockerCli) eachName(names []string, failMsg string, request func(name string) error) error {
	var encounteredError error
	for _, name := range names {
		if err := request(name); err != nil {
			fmt.Fprintf(cli.err, "%s\n", err)
			encounteredError = fmt.Errorf("%s", strings.ReplaceAll(failMsg, "%s", name))
		} else {
			fmt.Fprintf(cli.out, "%s\n", name)
		}
	}
	return encounteredError
}

// post sends POST path with no body and drops the answer.
func (cli *DockerCli) post(path string) error {
	_, _, err := readBody(cli.call("POST", path, nil, false))
	return err
}

// CmdStop posts /containers/NAME/stop?t=N for each name.
func (cli *DockerCli) CmdStop(args ...string) error {
	cmd := cli.Subcmd("stop", "[OPTIONS] CONTAINER [CONTAINER...]", "Stop a running container by sending SIGTERM and then SIGKILL after a grace period")
	nSeconds := intFlag(cmd, []string{"t", "-time"}, 10, "Number of seconds to wait for the container to stop before killing it. Default is 10 seconds.")
	if err := parse(cmd, args); err != nil {
		return done(err)
	}
	if cmd.NArg() < 1 {
		return usage(cmd)
	}
	return cli.eachName(cmd.Args(), "Error: failed to stop one or more containers", func(name string) error {
		return cli.post("/containers/" + name + "/stop?t=" + strconv.Itoa(*nSeconds))
	})
}

// CmdRestart posts /containers/NAME/restart?t=N for each name.
func (cli *DockerCli) CmdRestart(args ...string) error {
	cmd := cli.Subcmd("restart", "[OPTIONS] CONTAINER [CONTAINER...]", "Restart a running container")
	nSeconds := intFlag(cmd, []string{"t", "-time"}, 10, "Number of seconds to try to stop for before killing the container. Once killed it will then be restarted. Default is 10 seconds.")
	if err := parse(cmd, args); err != nil {
		return done(err)
	}
	if cmd.NArg() < 1 {
		return usage(cmd)
	}
	return cli.eachName(cmd.Args(), "Error: failed to restart one or more containers", func(name string) error {
		return cli.post("/containers/" + name + "/restart?t=" + strconv.Itoa(*nSeconds))
	})
}

// CmdKill posts /containers/NAME/kill?signal=S for each name.
func (cli *DockerCli) CmdKill(args ...string) error {
	cmd := cli.Subcmd("kill", "[OPTIONS] CONTAINER [CONTAINER...]", "Kill a running container using SIGKILL or a specified signal")
	signal := stringFlag(cmd, []string{"s", "-signal"}, "KILL", "Signal to send to the container")
	if err := parse(cmd, args); err != nil {
		return done(err)
	}
	if cmd.NArg() < 1 {
		return usage(cmd)
	}
	return cli.eachName(cmd.Args(), "Error: failed to kill one or more containers", func(name string) error {
		return cli.post(fmt.Sprintf("/containers/%s/kill?signal=%s", name, url.QueryEscape(*signal)))
	})
}

// CmdPause freezes the container's processes (the freezer cgroup).
func (cli *DockerCli) CmdPause(args ...string) error {
	cmd := cli.Subcmd("pause", "CONTAINER", "Pause all processes within a container")
	if err := parse(cmd, args); err != nil {
		return done(err)
	}
	if cmd.NArg() != 1 {
		return usage(cmd)
	}
	return cli.eachName(cmd.Args(), "Error: failed to pause container named %s", func(name string) error {
		return cli.post("/containers/" + name + "/pause")
	})
}

// CmdUnpause thaws them.
func (cli *DockerCli) CmdUnpause(args ...string) error {
	cmd := cli.Subcmd("unpause", "CONTAINER", "Unpause all processes within a container")
	if err := parse(cmd, args); err != nil {
		return done(err)
	}
	if cmd.NArg() != 1 {
		return usage(cmd)
	}
	return cli.eachName(cmd.Args(), "Error: failed to unpause container named %s", func(name string) error {
		return cli.post("/containers/" + name + "/unpause")
	})
}

// CmdRm deletes each container (DELETE /containers/NAME?v=&link=&force=).
func (cli *DockerCli) CmdRm(args ...string) error {
	cmd := cli.Subcmd("rm", "[OPTIONS] CONTAINER [CONTAINER...]", "Remove one or more containers")
	volumes := boolFlag(cmd, []string{"v", "-volumes"}, false, "Remove the volumes associated with the container")
	link := boolFlag(cmd, []string{"l", "#link", "-link"}, false, "Remove the specified link and not the underlying container")
	force := boolFlag(cmd, []string{"f", "-force"}, false, "Force the removal of a running container (uses SIGKILL)")
	if err := parse(cmd, args); err != nil {
		return done(err)
	}
	if cmd.NArg() < 1 {
		return usage(cmd)
	}
	val := url.Values{}
	if *volumes {
		val.Set("v", "1")
	}
	if *link {
		val.Set("link", "1")
	}
	if *force {
		val.Set("force", "1")
	}
	return cli.eachName(cmd.Args(), "Error: failed to remove one or more containers", func(name string) error {
		_, _, err := readBody(cli.call("DELETE", "/containers/"+name+"?"+val.Encode(), nil, false))
		return err
	})
}

// CmdWait blocks on each container and prints its exit code.
func (cli *DockerCli) CmdWait(args ...string) error {
	cmd := cli.Subcmd("wait", "CONTAINER [CONTAINER...]", "Block until a container stops, then print its exit code.")
	if err := parse(cmd, args); err != nil {
		return done(err)
	}
	if cmd.NArg() < 1 {
		return usage(cmd)
	}
	var encounteredError error
	for _, name := range cmd.Args() {
		status, err := waitForExit(cli, name)
		if err != nil {
			fmt.Fprintf(cli.err, "%s\n", err)
			encounteredError = fmt.Errorf("Error: failed to wait one or more containers")
		} else {
			fmt.Fprintf(cli.out, "%d\n", status)
		}
	}
	return encounteredError
}
