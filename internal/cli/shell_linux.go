// Entering the sandbox for `dockerlab sandbox shell`: what `ip netns exec`
// and nsenter(1) do — setns(2) into the namespace file, then exec the shell.

//go:build linux

package cli

import (
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"syscall"

	"golang.org/x/sys/unix"
)

// execInNetNS replaces this process with shell running in the network
// namespace at path. With nsenter(1) installed we exec that (the tool a
// student can reuse by hand); without it we do its work ourselves: setns
// on a locked thread, then execve from that thread — execve replaces the
// whole process, which keeps the namespace of the thread that called it.
func execInNetNS(path, shell, name string) error {
	env := append(os.Environ(), "DOCKERLAB_SANDBOX="+name)
	if nsenter, err := exec.LookPath("nsenter"); err == nil {
		err := syscall.Exec(nsenter, []string{"nsenter", "--net=" + path, "--", shell}, env)
		return fmt.Errorf("exec %s: %w", nsenter, err)
	}
	shellPath, err := exec.LookPath(shell)
	if err != nil {
		return fmt.Errorf("shell %s: %w", shell, err)
	}
	runtime.LockOSThread() // never unlocked: the exec below ends this program
	fd, err := unix.Open(path, unix.O_RDONLY|unix.O_CLOEXEC, 0)
	if err != nil {
		return fmt.Errorf("open %s: %w", path, err)
	}
	if err := unix.Setns(fd, unix.CLONE_NEWNET); err != nil {
		return fmt.Errorf("setns %s: %w", path, err)
	}
	unix.Close(fd)
	err = syscall.Exec(shellPath, []string{shell}, env)
	return fmt.Errorf("exec %s: %w", shellPath, err)
}
