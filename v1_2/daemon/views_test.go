// Tests for the container views and streams (list, inspect, top, resize,
// logs, attach, changes, export, commit, copy) on a daemon built on the
// fake kernel, through the jobs as the API server runs them. Own tests;
// upstream's were in integration/ (TestGetContainersJSON, TestLogs…).
package daemon

import (
	"archive/tar"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dockerlab/dockerlab/backend"
	"github.com/dockerlab/dockerlab/backend/backendtest"
	"github.com/dockerlab/dockerlab/backend/fake"
	"github.com/dockerlab/dockerlab/v1_2/archive"
	"github.com/dockerlab/dockerlab/v1_2/engine"
	"github.com/dockerlab/dockerlab/v1_2/runconfig"
)

// viewsDaemon is a daemon on the fake kernel with its jobs installed and
// a busybox-like image "busybox" imported from backendtest's rootfs.
type viewsDaemon struct {
	t   *testing.T
	d   *Daemon
	eng *engine.Engine
}

func newViewsDaemon(t *testing.T) *viewsDaemon {
	t.Helper()
	h := fake.New()
	return newViewsDaemonOn(t, h, backendtest.Rootfs(t, h))
}

// newViewsDaemonOn is the daemon on h, its image made from rootfs.
func newViewsDaemonOn(t *testing.T, h backend.Host, rootfs string) *viewsDaemon {
	t.Helper()
	return newViewsDaemonDriver(t, h, rootfs, "")
}

// newViewsDaemonDriver is newViewsDaemonOn with the storage driver named
// (docker -d -s DRIVER); "" lets the daemon choose.
func newViewsDaemonDriver(t *testing.T, h backend.Host, rootfs, driver string) *viewsDaemon {
	t.Helper()
	dir := setup(t, "nameserver 10.0.2.3\n")
	eng := newEngine(t)
	eng.Stderr, eng.Stdout = io.Discard, io.Discard
	config := defaults(h, dir, nil)
	config.GraphDriver = driver
	d, err := NewDaemon(config, eng)
	require.NoError(t, err)
	t.Cleanup(eng.Shutdown)
	require.NoError(t, d.Install(eng))

	layer, err := archive.Tar(rootfs, archive.Uncompressed)
	require.NoError(t, err)
	defer layer.Close()
	job := eng.Job("import", "-", "busybox", "latest")
	require.NoError(t, job.Stdin.Add(agedTar(t, layer)))
	require.NoError(t, job.Run())
	v := &viewsDaemon{t: t, d: d, eng: eng}
	// Runs before t.TempDir's removal: nothing may still be writing there.
	t.Cleanup(func() {
		for _, c := range d.List() {
			if c.State.IsRunning() || c.State.String() != "" { // it ran
				c.Kill()
				v.settle(c)
			}
		}
	})
	return v
}

// agedTar is the tar stream r with every member's mtime set to the day
// Docker 1.2.0 was released, as any real image's files are old. A rootfs
// made a moment ago would not do: a directory the test changes within
// the same second would compare equal (tar keeps whole seconds), and
// docker diff would miss it.
func agedTar(t *testing.T, r io.Reader) io.Reader {
	t.Helper()
	old := time.Date(2014, 8, 21, 0, 0, 0, 0, time.UTC)
	var buf bytes.Buffer
	tr, tw := tar.NewReader(r), tar.NewWriter(&buf)
	for {
		hdr, err := tr.Next()
		if err == io.EOF {
			break
		}
		require.NoError(t, err)
		hdr.ModTime = old
		require.NoError(t, tw.WriteHeader(hdr))
		_, err = io.Copy(tw, tr)
		require.NoError(t, err)
	}
	require.NoError(t, tw.Close())
	return &buf
}

// settle waits until c's monitor has saved the final state: config.json
// says stopped with a finish time. (State.WaitStop returns earlier, when
// the monitor still has the network, the mount and that file to do.)
func (v *viewsDaemon) settle(c *Container) {
	v.t.Helper()
	_, err := c.State.WaitStop(30 * time.Second)
	require.NoError(v.t, err)
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		var saved struct{ State State }
		data, err := os.ReadFile(c.jsonPath())
		if err == nil && json.Unmarshal(data, &saved) == nil && !saved.State.Running && !saved.State.FinishedAt.IsZero() {
			// The monitor saves under the container's lock, config.json
			// first: once we get the lock, hostconfig.json is done too.
			c.Lock()
			c.Unlock()
			return
		}
		time.Sleep(5 * time.Millisecond)
	}
	v.t.Fatalf("container %s: the monitor did not save its final state", c.ID)
}

// job runs name with args and env pairs; it returns stdout and stderr.
func (v *viewsDaemon) job(name string, args []string, env ...string) (string, string, error) {
	v.t.Helper()
	job := v.eng.Job(name, args...)
	for i := 0; i+1 < len(env); i += 2 {
		job.Setenv(env[i], env[i+1])
	}
	var out, errOut bytes.Buffer
	job.Stdout.Add(&out)
	job.Stderr.Add(&errOut)
	err := job.Run()
	return out.String(), errOut.String(), err
}

// create makes a container running cmd (not started).
func (v *viewsDaemon) create(name string, cmd ...string) *Container {
	v.t.Helper()
	c, _, err := v.d.Create(&runconfig.Config{Image: "busybox", Cmd: cmd}, name)
	require.NoError(v.t, err)
	return c
}

// run creates and starts a container; with wait it also waits for it to end.
func (v *viewsDaemon) run(name string, wait bool, cmd ...string) *Container {
	v.t.Helper()
	c := v.create(name, cmd...)
	require.NoError(v.t, c.Start())
	if wait {
		v.settle(c)
	}
	return c
}

// rows decodes a table job's output.
func rows(t *testing.T, out string) []map[string]any {
	t.Helper()
	var r []map[string]any
	require.NoError(t, json.Unmarshal([]byte(out), &r))
	return r
}

func TestLogsStdoutStderrTailTimestamps(t *testing.T) {
	v := newViewsDaemon(t)
	c := v.run("talker", true, "sh", "-c", "echo one; echo two; echo oops >&2; echo three")

	out, errOut, err := v.job("logs", []string{"talker"}, "stdout", "1", "stderr", "1")
	require.NoError(t, err)
	assert.Equal(t, "one\ntwo\nthree\n", out)
	assert.Equal(t, "oops\n", errOut)

	out, errOut, err = v.job("logs", []string{c.ID}, "stdout", "1")
	require.NoError(t, err)
	assert.Equal(t, "one\ntwo\nthree\n", out)
	assert.Empty(t, errOut, "stderr not asked for")

	// tail counts lines of the file, both streams together, as 1.2 did.
	out, errOut, err = v.job("logs", []string{"talker"}, "stdout", "1", "stderr", "1", "tail", "2")
	require.NoError(t, err)
	assert.Equal(t, "three\n", out)
	assert.Equal(t, "oops\n", errOut)

	out, _, err = v.job("logs", []string{"talker"}, "stdout", "1", "tail", "0")
	require.NoError(t, err)
	assert.Empty(t, out)

	out, _, err = v.job("logs", []string{"talker"}, "stdout", "1", "timestamps", "1", "tail", "1")
	require.NoError(t, err)
	stamp, line, ok := strings.Cut(out, " ")
	require.True(t, ok, out)
	_, err = time.Parse(time.RFC3339Nano, stamp)
	assert.NoError(t, err, "timestamp %q", stamp)
	assert.Equal(t, "three\n", line)

	// The file itself is Docker 1.2's json-file format.
	data, err := os.ReadFile(filepath.Join(v.d.repository, c.ID, c.ID+"-json.log"))
	require.NoError(t, err)
	first := strings.SplitN(string(data), "\n", 2)[0]
	assert.Regexp(t, `^\{"log":"one\\n","stream":"stdout","time":"[0-9T:.Z-]+"\}$`, first)
}

func TestLogsErrors(t *testing.T) {
	v := newViewsDaemon(t)
	v.create("quiet", "true")
	_, _, err := v.job("logs", []string{"quiet"})
	assert.ErrorContains(t, err, "You must choose at least one stream")
	_, _, err = v.job("logs", []string{"nosuch"}, "stdout", "1")
	assert.ErrorContains(t, err, "No such container: nosuch")
	out, _, err := v.job("logs", []string{"quiet"}, "stdout", "1")
	require.NoError(t, err, "never started: an empty log")
	assert.Empty(t, out)
}

// syncBuffer is a bytes.Buffer safe to read while a job writes it.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}
func (s *syncBuffer) String() string { s.mu.Lock(); defer s.mu.Unlock(); return s.b.String() }

// waitFor polls cond (no timing is asserted: the deadline only keeps a
// broken build from hanging).
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("gave up waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func TestLogsFollowEndsWhenContainerExits(t *testing.T) {
	v := newViewsDaemon(t)
	// cat echoes the container's stdin: we decide when it prints and ends.
	c, _, err := v.d.Create(&runconfig.Config{Image: "busybox", Cmd: []string{"sh", "-c", "echo start; cat; echo done"}, OpenStdin: true}, "follower")
	require.NoError(t, err)
	require.NoError(t, c.Start())
	stdin := c.stdinPipe

	var out syncBuffer
	done := make(chan error)
	go func() {
		job := v.eng.Job("logs", "follower")
		job.SetenvBool("stdout", true)
		job.SetenvBool("follow", true)
		job.Stdout.Add(&out)
		done <- job.Run()
	}()
	waitFor(t, "the stored line", func() bool { return strings.Contains(out.String(), "start\n") })
	_, err = io.WriteString(stdin, "live\n")
	require.NoError(t, err)
	waitFor(t, "the followed line", func() bool { return strings.Contains(out.String(), "live\n") })

	// EOF on stdin: cat ends, sh prints "done" and exits; so does the job.
	require.NoError(t, stdin.Close())
	select {
	case err := <-done:
		require.NoError(t, err)
	case <-time.After(30 * time.Second):
		t.Fatal("logs -f did not end when the container exited")
	}
	assert.Equal(t, "start\nlive\ndone\n", out.String())
	v.settle(c)

	// Following a stopped container prints the log and returns.
	o, _, err := v.job("logs", []string{"follower"}, "stdout", "1", "follow", "1")
	require.NoError(t, err)
	assert.Equal(t, "start\nlive\ndone\n", o)
}

func TestContainersAllLimitSinceBefore(t *testing.T) {
	v := newViewsDaemon(t)
	first := v.run("first", true, "true")
	second := v.run("second", true, "sh", "-c", "exit 3")
	third := v.run("third", false, "sleep", "1000")
	_ = first

	ids := func(out string) []string {
		var r []string
		for _, row := range rows(t, out) {
			r = append(r, row["Id"].(string))
		}
		return r
	}

	out, _, err := v.job("containers", nil)
	require.NoError(t, err)
	assert.Equal(t, []string{third.ID}, ids(out), "running only by default")

	out, _, err = v.job("containers", nil, "all", "1")
	require.NoError(t, err)
	assert.Equal(t, []string{third.ID, second.ID, first.ID}, ids(out), "newest first")

	out, _, err = v.job("containers", nil, "limit", "2")
	require.NoError(t, err)
	assert.Equal(t, []string{third.ID, second.ID}, ids(out))

	out, _, err = v.job("containers", nil, "since", "first")
	require.NoError(t, err)
	assert.Equal(t, []string{third.ID, second.ID}, ids(out))

	out, _, err = v.job("containers", nil, "before", "third")
	require.NoError(t, err)
	assert.Equal(t, []string{second.ID, first.ID}, ids(out))

	out, _, err = v.job("containers", nil, "all", "1", "filters", `{"exited":["3"]}`)
	require.NoError(t, err)
	assert.Equal(t, []string{third.ID, second.ID}, ids(out), "running ones pass the exited filter, as in 1.2")

	_, _, err = v.job("containers", nil, "since", "nosuch")
	assert.ErrorContains(t, err, "Could not find container with name or id nosuch")

	out, _, err = v.job("containers", nil, "all", "1")
	require.NoError(t, err)
	row := rows(t, out)[1]
	assert.Equal(t, []any{"/second"}, row["Names"])
	assert.Equal(t, "busybox:latest", row["Image"])
	// Upstream's daemon quoted the command and its engine unquoted it on
	// the way out; the answer is the bare command either way.
	assert.Equal(t, `sh -c 'exit 3'`, row["Command"])
	assert.Regexp(t, `^Exited \(3\) `, row["Status"])
	assert.Equal(t, float64(second.Created.Unix()), row["Created"])
	assert.NotContains(t, row, "SizeRw")
}

func TestContainersSize(t *testing.T) {
	v := newViewsDaemon(t)
	v.run("writer", true, "sh", "-c", "echo 12345 > /tmp/five")
	out, _, err := v.job("containers", nil, "all", "1", "size", "1")
	require.NoError(t, err)
	row := rows(t, out)[0]
	assert.Equal(t, float64(6), row["SizeRw"], "the one file the container wrote")
	assert.Greater(t, row["SizeRootFs"].(float64), float64(6))
}

func TestInspect(t *testing.T) {
	v := newViewsDaemon(t)
	c := v.run("inspected", true, "sh", "-c", "exit 7")
	out, _, err := v.job("container_inspect", []string{"inspected"})
	require.NoError(t, err)
	var got map[string]any
	require.NoError(t, json.Unmarshal([]byte(out), &got))
	for _, key := range []string{"Id", "Created", "Path", "Args", "Config", "State", "Image", "NetworkSettings",
		"ResolvConfPath", "HostnamePath", "HostsPath", "Name", "Driver", "ExecDriver", "MountLabel",
		"ProcessLabel", "Volumes", "VolumesRW", "HostConfig"} {
		assert.Contains(t, got, key)
	}
	assert.Equal(t, c.ID, got["Id"])
	assert.Equal(t, "/inspected", got["Name"])
	assert.Equal(t, "sh", got["Path"])
	assert.Equal(t, "vfs", got["Driver"])
	assert.Equal(t, c.Image, got["Image"])
	state := got["State"].(map[string]any)
	assert.Equal(t, false, state["Running"])
	assert.Equal(t, float64(7), state["ExitCode"])
	_, err = time.Parse(time.RFC3339Nano, got["Created"].(string))
	assert.NoError(t, err)

	out, _, err = v.job("container_inspect", []string{"inspected"}, "raw", "1")
	require.NoError(t, err)
	assert.Contains(t, out, `"HostConfig":`)

	_, _, err = v.job("container_inspect", []string{"nosuch"})
	assert.ErrorContains(t, err, "No such container: nosuch")
}

func TestTopShowsTheContainersProcesses(t *testing.T) {
	v := newViewsDaemon(t)
	c := v.run("busy", false, "sleep", "1000")
	out, _, err := v.job("top", []string{"busy"})
	require.NoError(t, err)
	var got struct {
		Titles    []string
		Processes [][]string
	}
	require.NoError(t, json.Unmarshal([]byte(out), &got))
	assert.Equal(t, []string{"PID", "STATE", "STIME", "CMD"}, got.Titles)
	require.NotEmpty(t, got.Processes)
	var cmds []string
	for _, p := range got.Processes {
		require.Len(t, p, 4)
		cmds = append(cmds, p[3])
	}
	assert.Contains(t, strings.Join(cmds, "\n"), "sleep 1000")
	var pids []string
	for _, p := range got.Processes {
		pids = append(pids, p[0])
	}
	assert.Contains(t, pids, strconv.Itoa(c.State.GetPid()))

	_, _, err = v.job("top", []string{"busy", "-o pid"})
	assert.ErrorContains(t, err, "not supported")

	stopped := v.run("stopped", true, "true")
	_, _, err = v.job("top", []string{stopped.ID})
	assert.ErrorContains(t, err, "is not running")
}

func TestResize(t *testing.T) {
	v := newViewsDaemon(t)
	v.create("never", "true")
	_, _, err := v.job("resize", []string{"never", "24", "80"})
	assert.ErrorContains(t, err, "is not running")
	_, _, err = v.job("resize", []string{"never", "x", "80"})
	assert.ErrorContains(t, err, `height "x" is not a number`)
	_, _, err = v.job("resize", []string{"never"})
	assert.ErrorContains(t, err, "Usage: resize CONTAINER HEIGHT WIDTH")

	v.run("running", false, "sleep", "1000")
	_, _, err = v.job("resize", []string{"running", "24", "80"})
	assert.NoError(t, err, "without -t the terminal is pipes: resizing does nothing")
}

// diff is what `docker diff NAME` prints, one "K /path" per change, sorted.
func (v *viewsDaemon) diff(name string) []string {
	v.t.Helper()
	out, _, err := v.job("container_changes", []string{name})
	require.NoError(v.t, err)
	var got []string
	for _, row := range rows(v.t, out) {
		got = append(got, []string{"C", "A", "D"}[int(row["Kind"].(float64))]+" "+row["Path"].(string))
	}
	sort.Strings(got)
	return got
}

func TestChangesAfterAWrite(t *testing.T) {
	v := newViewsDaemon(t)
	v.run("changer", true, "sh", "-c", "touch /tmp/new && rm /bin/busybox")
	// A directory whose entries changed has a new mtime: 1.2 listed it
	// as changed too.
	assert.Equal(t, []string{"A /tmp/new", "C /bin", "C /tmp", "D /bin/busybox"}, v.diff("changer"))
}

func TestCommitDeletedDirectories(t *testing.T) {
	checkCommitDeletedDirectories(t, newViewsDaemon(t))
}

// checkCommitDeletedDirectories is what Docker 1.2 did with a directory
// a container deleted or replaced: docker diff names only the top of
// what went ("D /data", not everything under it), a directory whose
// entries changed is itself changed ("C /etc"), and docker commit makes
// an image without the deleted directory. Run on every backend and
// storage driver.
func checkCommitDeletedDirectories(t *testing.T, v *viewsDaemon) {
	t.Helper()
	v.run("maker", true, "sh", "-c", "mkdir -p /data/sub && echo f > /data/sub/f && echo g > /data/g")
	_, _, err := v.job("commit", []string{"maker"}, "repo", "withdata")
	require.NoError(t, err)

	// runAndCommit creates a container of withdata running cmd, waits
	// for it and returns the image its commit makes.
	runAndCommit := func(name, cmd string) string {
		t.Helper()
		c, _, err := v.d.Create(&runconfig.Config{Image: "withdata", Cmd: []string{"sh", "-c", cmd}}, name)
		require.NoError(t, err)
		require.NoError(t, c.Start())
		v.settle(c)
		require.Zero(t, c.State.GetExitCode(), "%s: %s", name, cmd)
		out, _, err := v.job("commit", []string{name}, "repo", name+"-img")
		require.NoError(t, err, "commit %s", name)
		return strings.TrimSpace(out)
	}
	// files is what a container of image sees under /data (its export).
	files := func(image string) map[string]string {
		t.Helper()
		c, _, err := v.d.Create(&runconfig.Config{Image: image, Cmd: []string{"true"}}, "")
		require.NoError(t, err)
		out, _, err := v.job("export", []string{c.ID})
		require.NoError(t, err)
		got := map[string]string{}
		for name, body := range tarNames(t, strings.NewReader(out)) {
			if name == "data" || strings.HasPrefix(name, "data/") {
				got[name] = body
			}
		}
		return got
	}
	require.Equal(t, map[string]string{"data": "", "data/g": "g\n", "data/sub": "", "data/sub/f": "f\n"}, files("withdata"))

	// layer is what the image's own layer holds (docker save, docker push).
	layer := func(image string) []string {
		t.Helper()
		img, err := v.d.repositories.LookupImage(image)
		require.NoError(t, err)
		a, err := img.TarLayer()
		require.NoError(t, err)
		defer a.Close()
		var names []string
		for name := range tarNames(t, a) {
			names = append(names, name)
		}
		sort.Strings(names)
		return names
	}

	runAndCommit("idle", "true")
	assert.Empty(t, v.diff("idle"), "what the daemon itself puts in a container is not the container's change")

	img := runAndCommit("deleter", "rm -rf /data")
	assert.Equal(t, []string{"D /data"}, v.diff("deleter"))
	assert.Empty(t, files(img), "the committed image must not have /data")
	assert.Equal(t, []string{".wh.data"}, layer(img), "one whiteout for the deleted tree")

	img = runAndCommit("replacer", "rm -rf /data && echo file > /data")
	assert.Equal(t, []string{"C /data"}, v.diff("replacer"))
	assert.Equal(t, map[string]string{"data": "file\n"}, files(img))
	assert.Equal(t, []string{"data"}, layer(img))

	img = runAndCommit("refiller", "rm -rf /data && mkdir /data && echo new > /data/new")
	assert.Equal(t, map[string]string{"data": "", "data/new": "new\n"}, files(img))

	runAndCommit("adder", "echo x > /etc/newfile")
	assert.Equal(t, []string{"A /etc/newfile", "C /etc"}, v.diff("adder"))
}

// tarNames lists the entries of a tar stream.
func tarNames(t *testing.T, r io.Reader) map[string]string {
	t.Helper()
	names := map[string]string{}
	tr := tar.NewReader(r)
	for {
		hdr, err := tr.Next()
		if err == io.EOF {
			return names
		}
		require.NoError(t, err)
		body, err := io.ReadAll(tr)
		require.NoError(t, err)
		names[strings.TrimSuffix(hdr.Name, "/")] = string(body)
	}
}

func TestExportListsTheFiles(t *testing.T) {
	v := newViewsDaemon(t)
	v.run("exported", true, "sh", "-c", "echo hello > /tmp/greeting")
	out, _, err := v.job("export", []string{"exported"})
	require.NoError(t, err)
	names := tarNames(t, strings.NewReader(out))
	assert.Equal(t, "hello\n", names["tmp/greeting"])
	assert.Contains(t, names, "bin/busybox", "the image's files are in it too")
	assert.Contains(t, names, "etc")
}

func TestCommitMakesAnImageWithTheChange(t *testing.T) {
	v := newViewsDaemon(t)
	c := v.run("committed", true, "sh", "-c", "echo v1 > /etc/version")
	out, _, err := v.job("commit", []string{"committed"}, "repo", "mine", "tag", "v1",
		"comment", "a test", "author", "views", "config", `{"Cmd":["cat","/etc/version"]}`)
	require.NoError(t, err)
	id := strings.TrimSpace(out)
	require.Len(t, id, 64)

	img, err := v.d.repositories.LookupImage("mine:v1")
	require.NoError(t, err)
	assert.Equal(t, id, img.ID)
	assert.Equal(t, c.Image, img.Parent)
	assert.Equal(t, c.ID, img.Container)
	assert.Equal(t, "a test", img.Comment)
	assert.Equal(t, "views", img.Author)

	layer, err := img.TarLayer()
	require.NoError(t, err)
	defer layer.Close()
	names := tarNames(t, layer)
	assert.Equal(t, "v1\n", names["etc/version"])
	assert.NotContains(t, names, "bin/busybox", "the layer holds only the change")

	// The new image runs with the committed config: its Cmd prints the
	// file the layer holds.
	c2, _, err := v.d.Create(&runconfig.Config{Image: "mine:v1"}, "fromcommit")
	require.NoError(t, err)
	require.NoError(t, c2.Start())
	_, err = c2.State.WaitStop(30 * time.Second)
	require.NoError(t, err)
	out, _, err = v.job("logs", []string{"fromcommit"}, "stdout", "1")
	require.NoError(t, err)
	assert.Equal(t, "v1\n", out)
}

func TestCopyOneFileAndADirectory(t *testing.T) {
	v := newViewsDaemon(t)
	v.run("copied", true, "sh", "-c", "mkdir /data && echo x > /data/f")
	out, _, err := v.job("container_copy", []string{"copied", "/data/f"})
	require.NoError(t, err)
	assert.Equal(t, map[string]string{"f": "x\n"}, tarNames(t, strings.NewReader(out)))

	out, _, err = v.job("container_copy", []string{"copied", "/data"})
	require.NoError(t, err)
	assert.Equal(t, map[string]string{"data": "", "data/f": "x\n"}, tarNames(t, strings.NewReader(out)))

	_, _, err = v.job("container_copy", []string{"copied", "/nope"})
	assert.Error(t, err)
}

func TestAttachStreamsOutputUntilExit(t *testing.T) {
	v := newViewsDaemon(t)
	c := v.create("attached", "sh", "-c", "echo out; echo err >&2")
	// docker run: attach first (the pipes exist when Attach returns),
	// then start.
	var out, errOut bytes.Buffer
	done := v.d.Attach(c, nil, nil, &out, &errOut)
	require.NoError(t, c.Start())
	select {
	case err := <-done:
		require.NoError(t, err)
	case <-time.After(30 * time.Second):
		t.Fatal("attach did not end when the container exited")
	}
	assert.Equal(t, "out\n", out.String())
	assert.Equal(t, "err\n", errOut.String())

	// logs=1 replays the log; without stream the job returns at once.
	o, e, err := v.job("attach", []string{"attached"}, "logs", "1", "stdout", "1", "stderr", "1")
	require.NoError(t, err)
	assert.Equal(t, "out\n", o)
	assert.Equal(t, "err\n", e)
}

func TestAttachJobWithStdin(t *testing.T) {
	v := newViewsDaemon(t)
	// docker run -i: OpenStdin and StdinOnce, the client's EOF ends cat.
	c, _, err := v.d.Create(&runconfig.Config{Image: "busybox", Cmd: []string{"cat"}, OpenStdin: true, StdinOnce: true}, "catter")
	require.NoError(t, err)
	require.NoError(t, c.Start())

	job := v.eng.Job("attach", "catter")
	job.SetenvBool("stream", true)
	job.SetenvBool("stdin", true)
	job.SetenvBool("stdout", true)
	require.NoError(t, job.Stdin.Add(strings.NewReader("hello\nworld\n")))
	var out bytes.Buffer
	job.Stdout.Add(&out)
	require.NoError(t, job.Run())
	assert.Equal(t, "hello\nworld\n", out.String())
	assert.False(t, c.State.IsRunning(), "StdinOnce: the job waited for the container to stop")

	_, _, err = v.job("attach", []string{"nosuch"}, "stream", "1")
	assert.ErrorContains(t, err, "No such container: nosuch")
}

// failingWriter is a client that has gone away.
type failingWriter struct{}

func (failingWriter) Write(p []byte) (int, error) { return 0, io.ErrClosedPipe }

func TestLogsFollowEndsWhenTheClientGoes(t *testing.T) {
	v := newViewsDaemon(t)
	c, _, err := v.d.Create(&runconfig.Config{Image: "busybox", Cmd: []string{"cat"}, OpenStdin: true}, "echoer")
	require.NoError(t, err)
	require.NoError(t, c.Start())

	done := make(chan error)
	go func() {
		job := v.eng.Job("logs", "echoer")
		job.SetenvBool("stdout", true)
		job.SetenvBool("stderr", true)
		job.SetenvBool("follow", true)
		job.Stdout.Add(failingWriter{})
		done <- job.Run()
	}()
	// Keep writing until a line reaches the job: its failed write ends
	// the stdout copy, and that ends the stderr copy too.
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		_, err := io.WriteString(c.stdinPipe, "line\n")
		require.NoError(t, err)
		select {
		case <-done:
			assert.True(t, c.State.IsRunning(), "the container goes on")
			return
		case <-time.After(10 * time.Millisecond):
		}
	}
	t.Fatal("logs -f went on after its client had gone")
}

// Every view answers a bad call with a message naming what was wrong.
func TestViewsBadCalls(t *testing.T) {
	v := newViewsDaemon(t)
	for _, tc := range []struct {
		job  string
		args []string
		env  []string
		want string
	}{
		{"logs", nil, nil, "Usage: logs CONTAINER"},
		{"attach", []string{"a", "b"}, nil, "Usage: attach CONTAINER"},
		{"container_inspect", nil, nil, "usage: container_inspect NAME"},
		{"top", nil, nil, "Usage: top CONTAINER [PS_ARGS]"},
		{"top", []string{"nosuch"}, nil, "No such container: nosuch"},
		{"resize", []string{"nosuch", "1", "2"}, nil, "No such container: nosuch"},
		{"resize", []string{"nosuch", "1", "w"}, nil, `width "w" is not a number`},
		{"container_changes", nil, nil, "Usage: container_changes CONTAINER"},
		{"container_changes", []string{"nosuch"}, nil, "No such container: nosuch"},
		{"export", nil, nil, "Usage: export container_id"},
		{"export", []string{"nosuch"}, nil, "No such container: nosuch"},
		{"commit", nil, nil, "Usage: commit CONTAINER"},
		{"commit", []string{"nosuch"}, nil, "No such container: nosuch"},
		{"container_copy", []string{"x"}, nil, "Usage: container_copy CONTAINER RESOURCE"},
		{"container_copy", []string{"nosuch", "/etc"}, nil, "No such container: nosuch"},
		{"containers", nil, []string{"before", "nosuch"}, "Could not find container with name or id nosuch"},
		{"containers", nil, []string{"filters", "{not json"}, "invalid"},
		{"containers", nil, []string{"filters", `{"exited":["x"]}`}, `parsing "x"`},
	} {
		_, _, err := v.job(tc.job, tc.args, tc.env...)
		if assert.Error(t, err, "%s %v", tc.job, tc.args) {
			assert.Contains(t, err.Error(), tc.want, "%s %v", tc.job, tc.args)
		}
	}

	v.create("plain", "true")
	_, _, err := v.job("commit", []string{"plain"}, "config", "{broken")
	assert.Error(t, err, "a config that is not JSON")
}

func TestContainerStatPath(t *testing.T) {
	v := newViewsDaemon(t)
	v.run("stat", true, "sh", "-c", "mkdir /data && echo hello > /data/f")
	st, err := v.d.ContainerStatPath("stat", "/data/f")
	require.NoError(t, err)
	assert.Equal(t, "f", st.Name)
	assert.Equal(t, int64(6), st.Size)
	assert.True(t, st.Mode.IsRegular())
	st, err = v.d.ContainerStatPath("stat", "data")
	require.NoError(t, err)
	assert.True(t, st.Mode.IsDir())
	_, err = v.d.ContainerStatPath("stat", "/nope")
	assert.ErrorIs(t, err, os.ErrNotExist)
	_, err = v.d.ContainerStatPath("nosuch", "/")
	assert.ErrorContains(t, err, "No such container: nosuch")
}

// docker-py's run: start, then at once logs -f. The container's one line
// must come out exactly once however the two race (found by the api
// helper: upstream's order lost it now and then).
func TestLogsFollowRightAfterStartMissesNothing(t *testing.T) {
	v := newViewsDaemon(t)
	for i := 0; i < 20; i++ {
		c := v.create(fmt.Sprintf("quick%d", i), "sh", "-c", "echo hi; echo ho >&2")
		require.NoError(t, c.Start())
		out, errOut, err := v.job("logs", []string{c.ID}, "stdout", "1", "stderr", "1", "follow", "1")
		require.NoError(t, err)
		assert.Equal(t, "hi\n", out, "run %d", i)
		assert.Equal(t, "ho\n", errOut, "run %d", i)
		v.settle(c)
	}
}

// docker run -it with its input piped in (the fake's terminal): the
// input's end reaches the container as ^D and the output is not lost.
func TestAttachTtyPipedInput(t *testing.T) {
	v := newViewsDaemon(t)
	c, _, err := v.d.Create(&runconfig.Config{Image: "busybox", Tty: true, OpenStdin: true, StdinOnce: true,
		Cmd: []string{"sh", "-c", "while read line; do echo got $line; done; echo end"}}, "piped")
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
	assert.Contains(t, out.String(), "got one\r\ngot two\r\nend\r\n")
	v.settle(c)
}
