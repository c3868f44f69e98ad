// The container commands of Docker v0.1.0's commands.go (commit 57e2126):
// run, ps, start, stop, restart, kill, wait, rm, attach, logs, port, diff,
// commit, export (inspect, which also shows images, is in commands.go). Reference:
// shared/reference/upstream-v0_1.md §5. Containers (container.go,
// sysinit.go, lxc_template.go) arrive with the next part of issue 3; until
// then each of these says so instead of pretending to work.
package docker

import (
	"fmt"
	"io"
)

func errContainersLater(cmd string) error {
	return fmt.Errorf("%s: containers arrive with the next part of issue 3", cmd)
}

func (srv *Server) CmdRun(stdin io.ReadCloser, stdout io.Writer, args ...string) error {
	return errContainersLater("run")
}

func (srv *Server) CmdPs(stdin io.ReadCloser, stdout io.Writer, args ...string) error {
	return errContainersLater("ps")
}

func (srv *Server) CmdStart(stdin io.ReadCloser, stdout io.Writer, args ...string) error {
	return errContainersLater("start")
}

func (srv *Server) CmdStop(stdin io.ReadCloser, stdout io.Writer, args ...string) error {
	return errContainersLater("stop")
}

func (srv *Server) CmdRestart(stdin io.ReadCloser, stdout io.Writer, args ...string) error {
	return errContainersLater("restart")
}

func (srv *Server) CmdKill(stdin io.ReadCloser, stdout io.Writer, args ...string) error {
	return errContainersLater("kill")
}

func (srv *Server) CmdWait(stdin io.ReadCloser, stdout io.Writer, args ...string) error {
	return errContainersLater("wait")
}

func (srv *Server) CmdRm(stdin io.ReadCloser, stdout io.Writer, args ...string) error {
	return errContainersLater("rm")
}

func (srv *Server) CmdAttach(stdin io.ReadCloser, stdout io.Writer, args ...string) error {
	return errContainersLater("attach")
}

func (srv *Server) CmdLogs(stdin io.ReadCloser, stdout io.Writer, args ...string) error {
	return errContainersLater("logs")
}

func (srv *Server) CmdPort(stdin io.ReadCloser, stdout io.Writer, args ...string) error {
	return errContainersLater("port")
}

func (srv *Server) CmdDiff(stdin io.ReadCloser, stdout io.Writer, args ...string) error {
	return errContainersLater("diff")
}

func (srv *Server) CmdCommit(stdin io.ReadCloser, stdout io.Writer, args ...string) error {
	return errContainersLater("commit")
}

func (srv *Server) CmdExport(stdin io.ReadCloser, stdout io.Writer, args ...string) error {
	return errContainersLater("export")
}
