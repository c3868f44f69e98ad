//go:build linux

// The container views on the real kernel, as root, in a throwaway
// network namespace and cgroup tree (linuxtest.NewHost) with a busybox
// image: logs of a real process, top from the cgroup's pids, changes
// and export of the overlay (or vfs) layer, commit of a change.
package daemon

import (
	"encoding/json"
	"io"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dockerlab/dockerlab/backend/linux/linuxtest"
	"github.com/dockerlab/dockerlab/v1_2/runconfig"
)

func TestViewsLinux(t *testing.T) {
	h := linuxtest.NewHost(t)
	v := newViewsDaemonOn(t, h, linuxtest.BusyboxRootfs(t))

	c := v.run("real", false, "sh", "-c", "echo hello; echo oops >&2; echo data > /tmp/made; exec sleep 1000")
	waitFor(t, "the first lines in the log", func() bool {
		out, errOut, err := v.job("logs", []string{"real"}, "stdout", "1", "stderr", "1")
		return err == nil && strings.Contains(out, "hello") && strings.Contains(errOut, "oops")
	})
	out, errOut, err := v.job("logs", []string{"real"}, "stdout", "1", "stderr", "1")
	require.NoError(t, err)
	assert.Equal(t, "hello\n", out)
	assert.Equal(t, "oops\n", errOut)

	// top: the container's init is the process the cgroup holds.
	out, _, err = v.job("top", []string{"real"})
	require.NoError(t, err)
	var top struct {
		Titles    []string
		Processes [][]string
	}
	require.NoError(t, json.Unmarshal([]byte(out), &top))
	require.Len(t, top.Processes, 1, "%v", top.Processes)
	assert.Equal(t, strconv.Itoa(c.State.GetPid()), top.Processes[0][0])
	assert.Equal(t, "running", top.Processes[0][1])

	// docker ps shows it running.
	out, _, err = v.job("containers", nil)
	require.NoError(t, err)
	ps := rows(t, out)
	require.Len(t, ps, 1)
	assert.Regexp(t, `^Up `, ps[0]["Status"])

	waitFor(t, "the file the container writes", func() bool {
		out, _, err := v.job("container_changes", []string{"real"})
		return err == nil && strings.Contains(out, "/tmp/made")
	})
	out, _, err = v.job("export", []string{"real"})
	require.NoError(t, err)
	names := tarNames(t, strings.NewReader(out))
	assert.Equal(t, "data\n", names["tmp/made"])
	assert.Contains(t, names, "bin/busybox")

	out, _, err = v.job("commit", []string{"real"}, "repo", "made", "pause", "1")
	require.NoError(t, err)
	img, err := v.d.repositories.LookupImage("made")
	require.NoError(t, err)
	assert.Equal(t, strings.TrimSpace(out), img.ID)
	layer, err := img.TarLayer()
	require.NoError(t, err)
	names = tarNames(t, layer)
	layer.Close()
	assert.Equal(t, "data\n", names["tmp/made"])
	assert.NotContains(t, names, "bin/busybox")
	assert.True(t, c.State.IsRunning(), "commit paused and unpaused it")

	require.NoError(t, c.Stop(1))
	v.settle(c)
	_, _, err = v.job("top", []string{"real"})
	assert.ErrorContains(t, err, "is not running")

	// A child forked inside the container is in the cgroup but not in the
	// backend's table: its row says "?" where the table cannot answer.
	forked := v.run("forked", false, "sh", "-c", "sleep 1000; true")
	waitFor(t, "the forked child", func() bool {
		pids, err := v.d.ExecutionDriver().GetPidsForContainer(forked.ID)
		return err == nil && len(pids) == 2
	})
	out, _, err = v.job("top", []string{"forked"})
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal([]byte(out), &top))
	require.Len(t, top.Processes, 2)
	byPid := map[string][]string{}
	for _, p := range top.Processes {
		byPid[p[0]] = p
	}
	init := byPid[strconv.Itoa(forked.State.GetPid())]
	require.NotNil(t, init, "%v", top.Processes)
	assert.Equal(t, "sh -c sleep 1000; true", init[3])
	delete(byPid, init[0])
	for _, p := range byPid {
		assert.Equal(t, []string{"?", "?", "?"}, p[1:])
	}
}

// With -t the container's stdio is a pty: attach carries the terminal
// both ways (the pty echoes the input, with "\r\n"), and the resize job
// reaches it (`stty size` inside sees the new rows and columns).
func TestViewsLinuxTty(t *testing.T) {
	h := linuxtest.NewHost(t)
	v := newViewsDaemonOn(t, h, linuxtest.BusyboxRootfs(t))
	c, _, err := v.d.Create(&runconfig.Config{Image: "busybox", Tty: true, OpenStdin: true,
		Cmd: []string{"/bin/busybox", "sh", "-c", "read x; echo got $x; /bin/busybox stty size"}}, "tty")
	require.NoError(t, err)

	stdinR, stdinW := io.Pipe()
	var out syncBuffer
	done := v.d.Attach(c, stdinR, stdinR, &out, nil)
	require.NoError(t, c.Start())

	_, _, err = v.job("resize", []string{"tty", "30", "100"})
	require.NoError(t, err)
	_, err = io.WriteString(stdinW, "go\n")
	require.NoError(t, err)
	waitFor(t, "the answer through the pty", func() bool { return strings.Contains(out.String(), "got go\r\n") })
	assert.True(t, strings.HasPrefix(out.String(), "go\r\n"), "the pty echoes: %q", out.String())
	waitFor(t, "stty's answer", func() bool { return strings.Contains(out.String(), "30 100\r\n") })
	stdinW.Close()
	<-done
	v.settle(c)
}

// docker run -it with its input piped in: when the input ends the
// container gets the terminal's EOF (^D) and its output still arrives.
func TestViewsLinuxTtyPipedInput(t *testing.T) {
	h := linuxtest.NewHost(t)
	v := newViewsDaemonOn(t, h, linuxtest.BusyboxRootfs(t))
	c, _, err := v.d.Create(&runconfig.Config{Image: "busybox", Tty: true, OpenStdin: true, StdinOnce: true,
		Cmd: []string{"/bin/busybox", "sh", "-c", "while read line; do echo got $line; done; echo end"}}, "piped")
	require.NoError(t, err)
	require.NoError(t, c.Start())

	job := v.eng.Job("attach", "piped")
	job.SetenvBool("stream", true)
	job.SetenvBool("stdin", true)
	job.SetenvBool("stdout", true)
	require.NoError(t, job.Stdin.Add(strings.NewReader("one\ntwo\n")))
	var out syncBuffer
	job.Stdout.Add(&out)
	require.NoError(t, job.Run())
	assert.Contains(t, out.String(), "got one\r\n")
	assert.Contains(t, out.String(), "got two\r\n")
	assert.Contains(t, out.String(), "end\r\n")
	v.settle(c)
}

// Docker 1.2's docker diff and docker commit of deleted and replaced
// directories, on the real kernel with each storage driver: vfs copies
// layers, overlay stacks them (a deletion is then a whiteout in the
// upper directory, which the comparison of merged views never sees).
func TestCommitDeletedDirectoriesLinux(t *testing.T) {
	for _, driver := range []string{"vfs", "overlay"} {
		t.Run(driver, func(t *testing.T) {
			h := linuxtest.NewHost(t)
			v := newViewsDaemonDriver(t, h, linuxtest.BusyboxRootfs(t), driver)
			require.Equal(t, driver, v.d.GraphDriver().String())
			checkCommitDeletedDirectories(t, v)
		})
	}
}
