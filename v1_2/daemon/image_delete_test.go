// Tests for image_delete (docker rmi) on a daemon built on the fake
// kernel, through the jobs as the API server runs them. Own tests;
// upstream's were in integration/ (TestDeleteImage*, TestRmi*).
package daemon

import (
	"archive/tar"
	"bytes"
	"encoding/json"
	"io"
	"strings"
	"testing"

	"github.com/dockerlab/dockerlab/backend/fake"
	"github.com/dockerlab/dockerlab/v1_2/engine"
	"github.com/dockerlab/dockerlab/v1_2/image"
	"github.com/dockerlab/dockerlab/v1_2/runconfig"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// newImageDaemon is a daemon on the fake kernel with its jobs installed.
func newImageDaemon(t *testing.T) (*Daemon, *engine.Engine) {
	t.Helper()
	dir := setup(t, "nameserver 10.0.2.3\n")
	eng := newEngine(t)
	eng.Stderr, eng.Stdout = io.Discard, io.Discard
	d, err := NewDaemon(defaults(fake.New(), dir, nil), eng)
	require.NoError(t, err)
	t.Cleanup(eng.Shutdown)
	require.NoError(t, d.Install(eng))
	return d, eng
}

// runImageJob runs a job and returns its stdout.
func runImageJob(t *testing.T, eng *engine.Engine, stdin io.Reader, name string, args []string, env ...string) (string, error) {
	t.Helper()
	job := eng.Job(name, args...)
	for i := 0; i+1 < len(env); i += 2 {
		job.Setenv(env[i], env[i+1])
	}
	if stdin != nil {
		require.NoError(t, job.Stdin.Add(stdin))
	}
	var out bytes.Buffer
	job.Stdout.Add(&out)
	err := job.Run()
	return out.String(), err
}

// imageTestTar is a one-file tar.
func imageTestTar(t *testing.T, name, content string) io.Reader {
	t.Helper()
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	require.NoError(t, tw.WriteHeader(&tar.Header{Name: name, Mode: 0755, Size: int64(len(content)), Typeflag: tar.TypeReg}))
	_, err := tw.Write([]byte(content))
	require.NoError(t, err)
	require.NoError(t, tw.Close())
	return &buf
}

func importTestImage(t *testing.T, eng *engine.Engine, repo, tag string) string {
	t.Helper()
	out, err := runImageJob(t, eng, imageTestTar(t, "bin/true", "#!/bin/sh\n"), "import", []string{"-", repo, tag})
	require.NoError(t, err)
	return strings.TrimSpace(out)
}

// childImageOf registers an image on top of parent, as a commit would.
func childImageOf(t *testing.T, d *Daemon, parent string) string {
	t.Helper()
	child := &image.Image{ID: image.GenerateRandomID(), Parent: parent, Comment: "child"}
	require.NoError(t, d.Graph().Register(nil, imageTestTar(t, "etc/app", "1"), child))
	return child.ID
}

func rmiJob(t *testing.T, eng *engine.Engine, name string, env ...string) ([]map[string]string, error) {
	t.Helper()
	out, err := runImageJob(t, eng, nil, "image_delete", []string{name}, env...)
	if err != nil {
		return nil, err
	}
	var rows []map[string]string
	require.NoError(t, json.Unmarshal([]byte(out), &rows), out)
	return rows, nil
}

func TestImageDeleteUntagsThenDeletes(t *testing.T) {
	d, eng := newImageDaemon(t)
	id := importTestImage(t, eng, "busybox", "")
	_, err := runImageJob(t, eng, nil, "tag", []string{"busybox", "busybox", "v2"})
	require.NoError(t, err)

	rows, err := rmiJob(t, eng, "busybox:v2")
	require.NoError(t, err)
	assert.Equal(t, []map[string]string{{"Untagged": "busybox:v2"}}, rows, "another name is left: only untag")
	assert.True(t, d.Graph().Exists(id))

	rows, err = rmiJob(t, eng, "busybox")
	require.NoError(t, err)
	assert.Equal(t, []map[string]string{{"Untagged": "busybox:latest"}, {"Deleted": id}}, rows)
	assert.False(t, d.Graph().Exists(id))

	_, err = rmiJob(t, eng, "busybox")
	assert.EqualError(t, err, "No such image: busybox")
	importTestImage(t, eng, "busybox", "")
	_, err = rmiJob(t, eng, "busybox:nosuch")
	assert.EqualError(t, err, "No such image: busybox:nosuch")
	_, err = runImageJob(t, eng, nil, "image_delete", nil)
	assert.EqualError(t, err, "Usage: image_delete IMAGE")
}

func TestImageDeleteByIDAcrossRepositories(t *testing.T) {
	d, eng := newImageDaemon(t)
	id := importTestImage(t, eng, "base", "")
	_, err := runImageJob(t, eng, nil, "tag", []string{id, "user", "test"})
	require.NoError(t, err)
	_, err = rmiJob(t, eng, id[:12])
	assert.EqualError(t, err, "Conflict, cannot delete image "+id[:12]+" because it is tagged in multiple repositories, use -f to force")

	// Upstream's -f by id drops the first repository's tags only: the
	// loop has set repoName by then, so "at most one name left" never
	// applies. A second -f takes the other name and the image.
	rows, err := rmiJob(t, eng, id[:12], "force", "1")
	require.NoError(t, err)
	assert.Equal(t, []map[string]string{{"Untagged": "base:latest"}}, rows)
	rows, err = rmiJob(t, eng, id[:12], "force", "1")
	require.NoError(t, err)
	assert.Equal(t, []map[string]string{{"Untagged": "user:test"}, {"Deleted": id}}, rows)
	assert.False(t, d.Graph().Exists(id))
	assert.Empty(t, d.Repositories().ByID()[id])
}

func TestImageDeletePrunesUntaggedParents(t *testing.T) {
	d, eng := newImageDaemon(t)
	base := importTestImage(t, eng, "", "")
	child := childImageOf(t, d, base)
	_, err := runImageJob(t, eng, nil, "tag", []string{child, "app"})
	require.NoError(t, err)

	// The base has a child: deleting it by id does nothing, and says so.
	_, err = rmiJob(t, eng, base)
	assert.EqualError(t, err, "Conflict, "+base+" wasn't deleted")

	rows, err := rmiJob(t, eng, "app", "noprune", "1")
	require.NoError(t, err)
	assert.Equal(t, []map[string]string{{"Untagged": "app:latest"}, {"Deleted": child}}, rows)
	assert.True(t, d.Graph().Exists(base), "noprune keeps the parent")

	child = childImageOf(t, d, base)
	_, err = runImageJob(t, eng, nil, "tag", []string{child, "app"})
	require.NoError(t, err)
	rows, err = rmiJob(t, eng, "app")
	require.NoError(t, err)
	assert.Equal(t, []map[string]string{{"Untagged": "app:latest"}, {"Deleted": child}, {"Deleted": base}}, rows)
	assert.False(t, d.Graph().Exists(base))
}

func TestImageDeleteRefusesImageAContainerUses(t *testing.T) {
	d, eng := newImageDaemon(t)
	base := importTestImage(t, eng, "busybox", "")
	child := childImageOf(t, d, base)
	_, err := runImageJob(t, eng, nil, "tag", []string{child, "app"})
	require.NoError(t, err)
	c, _, err := d.Create(&runconfig.Config{Image: "app", Cmd: []string{"/bin/true"}}, "")
	require.NoError(t, err)
	shortChild, ctr := image.TruncateID(child), image.TruncateID(c.ID)

	// Upstream's order: the tag goes first, then the container check
	// refuses the delete (and says the tag is gone).
	_, err = rmiJob(t, eng, "app")
	assert.EqualError(t, err, "Conflict, cannot delete "+shortChild+" because the container "+ctr+" is using it (docker untagged the image), use -f to force")
	assert.True(t, d.Graph().Exists(child))
	assert.Empty(t, d.Repositories().ByID()[child])
	_, err = rmiJob(t, eng, shortChild)
	assert.EqualError(t, err, "Conflict, cannot delete "+shortChild+" because the container "+ctr+" is using it, use -f to force")

	// A container on child stands on base too; base is still named
	// busybox, so rmi busybox only untags it.
	rows, err := rmiJob(t, eng, "busybox")
	require.NoError(t, err)
	assert.Equal(t, []map[string]string{{"Untagged": "busybox:latest"}}, rows)

	c.State.SetRunning(4242) // only the state is read
	_, err = rmiJob(t, eng, child, "force", "1")
	assert.EqualError(t, err, "Conflict, cannot force delete "+shortChild+" because the running container "+ctr+" is using it, stop it and retry")
	_, err = rmiJob(t, eng, child)
	assert.EqualError(t, err, "Conflict, cannot delete "+shortChild+" because the running container "+ctr+" is using it, stop it and use -f to force")
	c.State.SetStopped(0)

	rows, err = rmiJob(t, eng, child, "force", "1")
	require.NoError(t, err)
	assert.Equal(t, []map[string]string{{"Deleted": child}, {"Deleted": base}}, rows)
}
