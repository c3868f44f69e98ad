// `docker cp CONTAINER:PATH HOSTPATH`: the daemon tars PATH out of the
// container (POST /containers/NAME/copy {"Resource": PATH}) and the client
// unpacks it under HOSTPATH.
//
// Upstream: api/client/commands.go at v1.2.0 (CmdCp).
// Book: ch.2 §2.3.
//
// Upstream unpacked with NoLchown (the files become the user's); here
// v1_2/archive.Untar keeps the owners only when the client runs as root.
package client

import (
	"fmt"
	"strings"

	"github.com/dockerlab/dockerlab/v1_2/archive"
	"github.com/dockerlab/dockerlab/v1_2/engine"
)

// CmdCp copies a file or directory out of a container.
func (cli *DockerCli) CmdCp(args ...string) error {
	cmd := cli.Subcmd("cp", "CONTAINER:PATH HOSTPATH", "Copy files/folders from the PATH to the HOSTPATH")
	if err := parse(cmd, args); err != nil {
		return done(err)
	}
	if cmd.NArg() != 2 {
		return usage(cmd)
	}
	info := strings.Split(cmd.Arg(0), ":")
	if len(info) != 2 {
		return fmt.Errorf("Error: Path not specified")
	}
	var copyData engine.Env
	copyData.Set("Resource", info[1])
	copyData.Set("HostPath", cmd.Arg(1))

	stream, statusCode, err := cli.call("POST", "/containers/"+info[0]+"/copy", copyData, false)
	if stream != nil {
		defer stream.Close()
	}
	if statusCode == 404 {
		return fmt.Errorf("No such container: %v", info[0])
	}
	if err != nil {
		return err
	}
	if statusCode == 200 {
		return archive.Untar(stream, copyData.Get("HostPath"))
	}
	return nil
}
