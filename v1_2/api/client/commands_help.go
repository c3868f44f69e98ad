// `docker help` and the list of commands.
//
// Upstream: api/client/commands.go at v1.2.0 (CmdHelp). Upstream it is one
// 2,300-line file with every CmdXxx; here it is split by subject so each
// file reads in one sitting: commands_help.go, commands_system.go (version,
// info, events), commands_images.go, commands_containers.go (ps, inspect,
// logs, stop …), commands_run.go (create, run, start, attach).
// Book: ch.2 §2.3.
package client

import "fmt"

// DefaultUnixSocket is shown in the help as -H's default. v1_2/docker
// sets it to dockerlab's socket (never /var/run/docker.sock).
var DefaultUnixSocket = "/var/run/docker.sock"

// commands is `docker help`'s list: Docker 1.2's, plus create, which came
// in Docker 1.3.
var commands = [][2]string{
	{"attach", "Attach to a running container"},
	{"build", "Build a new image from the source code at PATH"},
	{"commit", "Create a new image from a container's changes"},
	{"cp", "Copy files/folders from a container's filesystem to the host path"},
	{"create", "Create a new container (Docker 1.3's; 1.2's run did it inside)"},
	{"diff", "Inspect changes on a container's filesystem"},
	{"events", "Get real time events from the server"},
	{"export", "Stream the contents of a container as a tar archive"},
	{"history", "Show the history of an image"},
	{"images", "List images"},
	{"import", "Create a new filesystem image from the contents of a tarball"},
	{"info", "Display system-wide information"},
	{"inspect", "Return low-level information on a container"},
	{"kill", "Kill a running container"},
	{"load", "Load an image from a tar archive"},
	{"login", "Register or log in to a Docker registry server"},
	{"logout", "Log out from a Docker registry server"},
	{"logs", "Fetch the logs of a container"},
	{"port", "Lookup the public-facing port that is NAT-ed to PRIVATE_PORT"},
	{"pause", "Pause all processes within a container"},
	{"ps", "List containers"},
	{"pull", "Pull an image or a repository from a Docker registry server"},
	{"push", "Push an image or a repository to a Docker registry server"},
	{"restart", "Restart a running container"},
	{"rm", "Remove one or more containers"},
	{"rmi", "Remove one or more images"},
	{"run", "Run a command in a new container"},
	{"save", "Save an image to a tar archive"},
	{"search", "Search for an image on the Docker Hub"},
	{"start", "Start a stopped container"},
	{"stop", "Stop a running container"},
	{"tag", "Tag an image into a repository"},
	{"top", "Lookup the running processes of a container"},
	{"unpause", "Unpause a paused container"},
	{"version", "Show the Docker version information"},
	{"wait", "Block until a container stops, then print its exit code"},
}

// CmdHelp prints the list, or one command's usage (`help ps`).
func (cli *DockerCli) CmdHelp(args ...string) error {
	if len(args) > 0 {
		method, exists := cli.getMethod(args[0])
		if !exists {
			fmt.Fprintf(cli.err, "Error: Command not found: %s\n", args[0])
		} else {
			return done(method("--help"))
		}
	}
	help := fmt.Sprintf("Usage: docker [OPTIONS] COMMAND [arg...]\n -H=[unix://%s]: tcp://host:port to bind/connect to or unix://path/to/socket to use\n\nA self-sufficient runtime for linux containers.\n\nCommands:\n", DefaultUnixSocket)
	for _, command := range commands {
		help += fmt.Sprintf("    %-10.10s%s\n", command[0], command[1])
	}
	fmt.Fprintf(cli.err, "%s\n", help)
	return nil
}
