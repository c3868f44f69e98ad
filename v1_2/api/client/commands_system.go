// version, info, events: the daemon as a whole.
//
// Upstream: api/client/commands.go at v1.2.0 (CmdVersion, CmdInfo,
// CmdEvents).
// Book: ch.2 §2.3; ch.5 for the server side of /version.
package client

import (
	"fmt"
	"net/url"
	"os"
	"runtime"
	"strconv"
	"time"

	"github.com/dockerlab/dockerlab/v1_2/dockerversion"
)

// CmdVersion prints the client's versions, then asks GET /version.
func (cli *DockerCli) CmdVersion(args ...string) error {
	cmd := cli.Subcmd("version", "", "Show the Docker version information.")
	if err := parse(cmd, args); err != nil {
		return done(err)
	}
	if cmd.NArg() > 0 {
		return usage(cmd)
	}
	if dockerversion.VERSION != "" {
		fmt.Fprintf(cli.out, "Client version: %s\n", dockerversion.VERSION)
	}
	fmt.Fprintf(cli.out, "Client API version: %s\n", APIVersion)
	fmt.Fprintf(cli.out, "Go version (client): %s\n", runtime.Version())
	if dockerversion.GITCOMMIT != "" {
		fmt.Fprintf(cli.out, "Git commit (client): %s\n", dockerversion.GITCOMMIT)
	}
	fmt.Fprintf(cli.out, "OS/Arch (client): %s/%s\n", runtime.GOOS, runtime.GOARCH)

	remote, err := decodeEnv(cli.call("GET", "/version", nil, false))
	if err != nil {
		return err
	}
	fmt.Fprintf(cli.out, "Server version: %s\n", remote.Get("Version"))
	if apiVersion := remote.Get("ApiVersion"); apiVersion != "" {
		fmt.Fprintf(cli.out, "Server API version: %s\n", apiVersion)
	}
	fmt.Fprintf(cli.out, "Go version (server): %s\n", remote.Get("GoVersion"))
	fmt.Fprintf(cli.out, "Git commit (server): %s\n", remote.Get("GitCommit"))
	return nil
}

// CmdInfo prints GET /info; the debug lines when either side runs -D;
// warnings for what the kernel cannot do.
func (cli *DockerCli) CmdInfo(args ...string) error {
	cmd := cli.Subcmd("info", "", "Display system-wide information")
	if err := parse(cmd, args); err != nil {
		return done(err)
	}
	if cmd.NArg() > 0 {
		return usage(cmd)
	}
	info, err := decodeEnv(cli.call("GET", "/info", nil, false))
	if err != nil {
		return err
	}
	fmt.Fprintf(cli.out, "Containers: %d\n", info.GetInt("Containers"))
	fmt.Fprintf(cli.out, "Images: %d\n", info.GetInt("Images"))
	fmt.Fprintf(cli.out, "Storage Driver: %s\n", info.Get("Driver"))
	var driverStatus [][2]string
	if info.Exists("DriverStatus") {
		if err := info.GetJson("DriverStatus", &driverStatus); err != nil {
			return err
		}
	}
	for _, pair := range driverStatus {
		fmt.Fprintf(cli.out, " %s: %s\n", pair[0], pair[1])
	}
	fmt.Fprintf(cli.out, "Execution Driver: %s\n", info.Get("ExecutionDriver"))
	fmt.Fprintf(cli.out, "Kernel Version: %s\n", info.Get("KernelVersion"))
	fmt.Fprintf(cli.out, "Operating System: %s\n", info.Get("OperatingSystem"))

	if info.GetBool("Debug") || os.Getenv("DEBUG") != "" {
		fmt.Fprintf(cli.out, "Debug mode (server): %v\n", info.GetBool("Debug"))
		fmt.Fprintf(cli.out, "Debug mode (client): %v\n", os.Getenv("DEBUG") != "")
		fmt.Fprintf(cli.out, "Fds: %d\n", info.GetInt("NFd"))
		fmt.Fprintf(cli.out, "Goroutines: %d\n", info.GetInt("NGoroutines"))
		fmt.Fprintf(cli.out, "EventsListeners: %d\n", info.GetInt("NEventsListener"))
		if initSha1 := info.Get("InitSha1"); initSha1 != "" {
			fmt.Fprintf(cli.out, "Init SHA1: %s\n", initSha1)
		}
		if initPath := info.Get("InitPath"); initPath != "" {
			fmt.Fprintf(cli.out, "Init Path: %s\n", initPath)
		}
	}
	// Left out: upstream also printed the index's user from ~/.dockercfg
	// here (Username, Registry).
	if !info.GetBool("MemoryLimit") {
		fmt.Fprintf(cli.err, "WARNING: No memory limit support\n")
	}
	if !info.GetBool("SwapLimit") {
		fmt.Fprintf(cli.err, "WARNING: No swap limit support\n")
	}
	if !info.GetBool("IPv4Forwarding") {
		fmt.Fprintf(cli.err, "WARNING: IPv4 forwarding is disabled.\n")
	}
	return nil
}

// CmdEvents streams GET /events. --since/--until take a Unix time or an
// RFC 3339 date (in the local zone when it has none).
func (cli *DockerCli) CmdEvents(args ...string) error {
	cmd := cli.Subcmd("events", "[OPTIONS]", "Get real time events from the server")
	sinceFlag := stringFlag(cmd, []string{"#since", "-since"}, "", "Show all events created since timestamp")
	until := stringFlag(cmd, []string{"-until"}, "", "Stream events until this timestamp")
	if err := parse(cmd, args); err != nil {
		return done(err)
	}
	if cmd.NArg() != 0 {
		return usage(cmd)
	}
	v := url.Values{}
	loc := time.FixedZone(time.Now().Zone())
	setTime := func(key, value string) {
		format := time.RFC3339Nano
		if len(value) < len(format) {
			format = format[:len(value)]
		}
		if t, err := time.ParseInLocation(format, value, loc); err == nil {
			v.Set(key, strconv.FormatInt(t.Unix(), 10))
		} else {
			v.Set(key, value)
		}
	}
	if *sinceFlag != "" {
		setTime("since", *sinceFlag)
	}
	if *until != "" {
		setTime("until", *until)
	}
	return cli.stream("GET", "/events?"+v.Encode(), nil, cli.out, nil)
}
