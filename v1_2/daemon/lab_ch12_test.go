// Tests of the chapter 12 exercises in package daemon, on a daemon on the
// fake machine (newLifeDaemon): ch12.create-rootfs (createRootfs, the
// container's two layers), `dockerlab lab check ch12.create-rootfs` or
// `go test ./v1_2/daemon -run TestCh12CreateRootfs`; ch12.container-dns
// and ch12.daemon-env (below).
package daemon

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dockerlab/dockerlab/backend/fake"
	"github.com/dockerlab/dockerlab/v1_2/runconfig"
)

// lab12Layer is the directory of one of the driver's layers (released at
// the end of the test).
func lab12Layer(t *testing.T, l *lifeDaemon, id string) string {
	t.Helper()
	require.True(t, l.d.driver.Exists(id), "the graph driver has a layer %s", id)
	dir, err := l.d.driver.Get(id, "")
	require.NoError(t, err)
	t.Cleanup(func() { l.d.driver.Put(id) })
	return dir
}

// The files SetupInitLayer puts into the init layer, as they look in a
// container's rootfs.
var lab12InitFiles = []string{".dockerinit", ".dockerenv", "etc/hosts", "etc/hostname", "etc/resolv.conf", "dev/console"}

// create makes two layers: <id>-init on the image, holding the files every
// container needs, and <id>, the container's own, on top of it.
func TestCh12CreateRootfs(t *testing.T) {
	l := newLifeDaemon(t, fake.New(), "", "10.120.0.1/16")
	id := l.create(t, "", `Cmd=["true"]`)

	initDir := lab12Layer(t, l, id+"-init")
	for _, f := range lab12InitFiles {
		assert.FileExists(t, filepath.Join(initDir, f), "the init layer holds /%s (graph.SetupInitLayer)", f)
	}
	assert.FileExists(t, filepath.Join(initDir, "bin", "sh"), "the init layer sits on the image: it sees the image's files")

	rootfs := lab12Layer(t, l, id)
	for _, f := range lab12InitFiles {
		assert.FileExists(t, filepath.Join(rootfs, f), "the container's layer sits on the init layer: /%s is there", f)
	}
	assert.FileExists(t, filepath.Join(rootfs, "bin", "sh"), "…and, through it, on the image")
	target, err := os.Readlink(filepath.Join(rootfs, "etc", "mtab"))
	require.NoError(t, err, "/etc/mtab is a symlink")
	assert.Equal(t, "/proc/mounts", target)
}

// The image stays as it was: the init files go into a layer of the
// container, never into the image every container shares.
func TestCh12CreateRootfs_ImageUntouched(t *testing.T) {
	l := newLifeDaemon(t, fake.New(), "", "10.120.0.1/16")
	id := l.create(t, "", `Cmd=["true"]`)
	image := lab12Layer(t, l, l.d.Get(id).Image)
	assert.FileExists(t, filepath.Join(image, "bin", "sh"))
	for _, f := range lab12InitFiles {
		assert.NoFileExists(t, filepath.Join(image, f), "the image's layer must not get /%s", f)
	}
	assert.False(t, l.d.driver.Exists(l.d.Get(id).Image+"-init"), "the init layer is named after the container, not the image")
}

// The container's directory is made first, with mode 0700, and making it
// is what stops a second createRootfs of the same container.
func TestCh12CreateRootfs_ContainerDir(t *testing.T) {
	l := newLifeDaemon(t, fake.New(), "", "10.120.0.1/16")
	id := l.create(t, "", `Cmd=["true"]`)
	c := l.d.Get(id)
	fi, err := os.Stat(c.root)
	require.NoError(t, err, "createRootfs makes the container's directory")
	assert.Equal(t, os.FileMode(0o700)|os.ModeDir, fi.Mode(), "only root may look into a container's directory")

	img, err := l.d.graph.Get(c.Image)
	require.NoError(t, err)
	err = l.d.createRootfs(c, img)
	require.Error(t, err, "a second createRootfs of the same container fails")
	assert.True(t, os.IsExist(err), "…at its first step, os.Mkdir of the directory that exists (got %v)", err)
}

// Tests of the exercise ch12.container-dns (setupContainerDns, start's
// first step): `dockerlab lab check ch12.container-dns`, or
// `go test ./v1_2/daemon -run TestCh12ContainerDns`.

// lab12HostResolvConf is the machine's resolv.conf in these tests.
const lab12HostResolvConf = "search lab.example\nnameserver 10.0.2.3\noptions ndots:2\n"

// lab12DnsContainer is a created (not started) container on a daemon whose
// machine has lab12HostResolvConf and whose --dns flags are daemonDns.
func lab12DnsContainer(t *testing.T, daemonDns ...string) (*lifeDaemon, *Container) {
	t.Helper()
	l := newLifeDaemon(t, fake.New(), setup(t, lab12HostResolvConf), "10.121.0.1/16")
	l.d.config.Dns = daemonDns
	c := l.d.Get(l.create(t, "", `Cmd=["true"]`))
	require.NotNil(t, c)
	return l, c
}

// lab12ResolvConf runs setupContainerDns and returns the file it made.
func lab12ResolvConf(t *testing.T, c *Container) string {
	t.Helper()
	require.NoError(t, c.setupContainerDns())
	require.NotEmpty(t, c.ResolvConfPath, "setupContainerDns records where the container's resolv.conf is")
	assert.Equal(t, filepath.Join(c.root, "resolv.conf"), c.ResolvConfPath, "it lives in the container's directory")
	data, err := os.ReadFile(c.ResolvConfPath)
	require.NoError(t, err)
	return string(data)
}

// Without --dns or --dns-search the container gets a copy of the
// machine's resolv.conf, byte for byte.
func TestCh12ContainerDns(t *testing.T) {
	_, c := lab12DnsContainer(t)
	assert.Equal(t, lab12HostResolvConf, lab12ResolvConf(t, c), "the machine's file, as it is")
}

// --dns given to start (the container's HostConfig) wins over the
// daemon's --dns; the machine's search domains stay unless
// --dns-search replaces them.
func TestCh12ContainerDns_StartWins(t *testing.T) {
	_, c := lab12DnsContainer(t, "192.0.2.53")
	c.hostConfig = &runconfig.HostConfig{Dns: []string{"8.8.8.8", "8.8.4.4"}}
	assert.Equal(t, "nameserver 8.8.8.8\nnameserver 8.8.4.4\nsearch lab.example\n", lab12ResolvConf(t, c),
		"the container's --dns, then the search line kept from the machine's file (BuildResolvConf)")
}

// The daemon's --dns and --dns-search apply when start gives none.
func TestCh12ContainerDns_DaemonFlags(t *testing.T) {
	l, c := lab12DnsContainer(t, "192.0.2.53")
	l.d.config.DnsSearch = []string{"corp.example"}
	assert.Equal(t, "nameserver 192.0.2.53\nsearch corp.example\n", lab12ResolvConf(t, c))

	_, c = lab12DnsContainer(t)
	c.hostConfig = &runconfig.HostConfig{DnsSearch: []string{"a.example", "b.example"}}
	assert.Equal(t, "nameserver 10.0.2.3\nsearch a.example b.example\n", lab12ResolvConf(t, c),
		"--dns-search alone keeps the machine's nameservers")
}

// --net=host shares the machine's network, and its resolv.conf as it is.
func TestCh12ContainerDns_HostNetwork(t *testing.T) {
	_, c := lab12DnsContainer(t, "192.0.2.53")
	c.hostConfig = &runconfig.HostConfig{NetworkMode: "host", Dns: []string{"8.8.8.8"}}
	assert.Equal(t, lab12HostResolvConf, lab12ResolvConf(t, c), "--net=host: no --dns applies")
}

// The file is written once, at the first start: a restart keeps it even
// if the machine's resolv.conf changed since.
func TestCh12ContainerDns_Once(t *testing.T) {
	_, c := lab12DnsContainer(t)
	first := lab12ResolvConf(t, c)
	require.NoError(t, os.WriteFile(ResolvConfPath, []byte("nameserver 203.0.113.1\n"), 0o644))
	assert.Equal(t, first, lab12ResolvConf(t, c), "a container that has its resolv.conf keeps it")
}

// Tests of the exercise ch12.daemon-env (createDaemonEnvironment and
// ReplaceOrAppendEnvValues: the environment the container's process gets):
// `dockerlab lab check ch12.daemon-env`, or
// `go test ./v1_2/daemon -run TestCh12DaemonEnv`.

// lab12EnvOf is createDaemonEnvironment of a container with this config.
func lab12EnvOf(config *runconfig.Config, linkedEnv ...string) []string {
	c := &Container{Config: config}
	return c.createDaemonEnvironment(linkedEnv)
}

// A container gets Docker's PATH and its hostname, in that order.
func TestCh12DaemonEnv(t *testing.T) {
	assert.Equal(t, []string{"PATH=" + DefaultPathEnv, "HOSTNAME=4f1c2a9e0b7d"},
		lab12EnvOf(&runconfig.Config{Hostname: "4f1c2a9e0b7d"}))
}

// -t adds TERM=xterm; the variables of --link come next.
func TestCh12DaemonEnv_TtyAndLinks(t *testing.T) {
	assert.Equal(t, []string{"PATH=" + DefaultPathEnv, "HOSTNAME=web", "TERM=xterm"},
		lab12EnvOf(&runconfig.Config{Hostname: "web", Tty: true}), "TERM only with a terminal (-t)")
	assert.Equal(t, []string{"PATH=" + DefaultPathEnv, "HOSTNAME=web", "DB_PORT=tcp://172.17.0.5:5432", "DB_NAME=/web/db"},
		lab12EnvOf(&runconfig.Config{Hostname: "web"}, "DB_PORT=tcp://172.17.0.5:5432", "DB_NAME=/web/db"),
		"the links' variables come after PATH, HOSTNAME (and TERM)")
}

// -e (and ENV of the image) win: a variable already there is replaced
// where it is, a new one goes at the end.
func TestCh12DaemonEnv_UserEnvWins(t *testing.T) {
	env := lab12EnvOf(&runconfig.Config{Hostname: "web", Env: []string{"GREETING=hi", "PATH=/opt/bin:/bin", "DB_NAME=mine"}},
		"DB_NAME=/web/db")
	assert.Equal(t, []string{"PATH=/opt/bin:/bin", "HOSTNAME=web", "DB_NAME=mine", "GREETING=hi"}, env,
		"PATH and DB_NAME replaced in place, GREETING appended")
}

// ReplaceOrAppendEnvValues keeps one entry per name: an override that
// comes twice ends as its last value, in one place.
func TestCh12DaemonEnv_OneEntryPerName(t *testing.T) {
	assert.Equal(t, []string{"A=1", "B=3", "C=5"},
		ReplaceOrAppendEnvValues([]string{"A=1", "B=2"}, []string{"B=3", "C=4", "C=5"}))
	assert.Equal(t, []string{"A=1", "EMPTY=", "FLAG"},
		ReplaceOrAppendEnvValues([]string{"A=1"}, []string{"EMPTY=", "FLAG"}), "a name without '=' is a name too")
}
