package runconfig

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dockerlab/dockerlab/v1_2/engine"
	"github.com/dockerlab/dockerlab/v1_2/nat"
)

func set(keys ...string) map[string]struct{} {
	m := map[string]struct{}{}
	for _, k := range keys {
		m[k] = struct{}{}
	}
	return m
}

func TestMergeUnionsAndUserWins(t *testing.T) {
	image := &Config{
		User:       "image-user",
		Memory:     1 << 20,
		CpuShares:  100,
		PortSpecs:  []string{"1111:1111", "2222:2222"},
		Env:        []string{"VAR1=1", "VAR2=2"},
		Volumes:    set("/test1", "/test2"),
		Cmd:        []string{"image-cmd"},
		WorkingDir: "/image",
	}
	user := &Config{
		User:      "me",
		PortSpecs: []string{"3333:2222", "3333:3333"},
		Env:       []string{"VAR2=3", "VAR3=3"},
		Volumes:   set("/test3"),
	}
	require.NoError(t, Merge(user, image))

	assert.Equal(t, "me", user.User)
	assert.Equal(t, int64(1<<20), user.Memory)
	assert.Equal(t, int64(100), user.CpuShares)
	assert.Equal(t, map[nat.Port]struct{}{"1111/tcp": {}, "2222/tcp": {}, "3333/tcp": {}}, user.ExposedPorts)
	assert.Nil(t, user.PortSpecs, "the user's PortSpecs are consumed")
	assert.Equal(t, []string{"VAR2=3", "VAR3=3", "VAR1=1"}, user.Env)
	assert.Equal(t, set("/test1", "/test2", "/test3"), user.Volumes)
	assert.Equal(t, []string{"image-cmd"}, user.Cmd)
	assert.Equal(t, "/image", user.WorkingDir)

	ports, _, err := nat.ParsePortSpecs([]string{"0000"})
	require.NoError(t, err)
	require.NoError(t, Merge(user, &Config{ExposedPorts: ports}))
	assert.Len(t, user.ExposedPorts, 4)
	assert.Contains(t, user.ExposedPorts, nat.Port("0000/tcp"))
}

func TestMergeEntrypointAndCmd(t *testing.T) {
	image := &Config{Entrypoint: []string{"/entry"}, Cmd: []string{"--default"}}

	user := &Config{}
	require.NoError(t, Merge(user, image))
	assert.Equal(t, []string{"/entry"}, user.Entrypoint)
	assert.Equal(t, []string{"--default"}, user.Cmd)

	user = &Config{Cmd: []string{"--mine"}}
	require.NoError(t, Merge(user, image))
	assert.Equal(t, []string{"/entry"}, user.Entrypoint)
	assert.Equal(t, []string{"--mine"}, user.Cmd)

	user = &Config{Entrypoint: []string{"/bin/sh"}}
	require.NoError(t, Merge(user, image))
	assert.Equal(t, []string{"/bin/sh"}, user.Entrypoint)
	assert.Nil(t, user.Cmd, "the image's CMD belonged to the image's ENTRYPOINT")
}

func TestMergeDoesNotChangeTheImage(t *testing.T) {
	image := &Config{ExposedPorts: map[nat.Port]struct{}{"80/tcp": {}}}
	user := &Config{PortSpecs: []string{"443"}}
	require.NoError(t, Merge(user, image))
	assert.Len(t, user.ExposedPorts, 2)
	assert.Len(t, image.ExposedPorts, 1)
}

func TestMergeBadPortSpecs(t *testing.T) {
	assert.EqualError(t, Merge(&Config{PortSpecs: []string{"80/sctp"}}, &Config{}), "Invalid proto: sctp")
	assert.EqualError(t, Merge(&Config{}, &Config{PortSpecs: []string{"x"}}), "Invalid containerPort: x")
}

func TestCompare(t *testing.T) {
	base := func() *Config {
		return &Config{
			PortSpecs: []string{"1111:1111", "2222:2222"},
			Env:       []string{"VAR1=1", "VAR2=2"},
			Volumes:   set("/test1"),
			Cmd:       []string{"make"},
		}
	}
	a := base()
	assert.True(t, Compare(a, a))
	assert.True(t, Compare(base(), base()))

	other := base()
	other.Image, other.Hostname = "another", "another"
	assert.True(t, Compare(base(), other), "Image and Hostname are not compared")

	changes := map[string]func(c *Config){
		"PortSpecs":    func(c *Config) { c.PortSpecs[0] = "0000:0000" },
		"Volumes":      func(c *Config) { c.Volumes = set("/test2") },
		"Env":          func(c *Config) { c.Env = c.Env[:1] },
		"Cmd":          func(c *Config) { c.Cmd = []string{"make", "test"} },
		"Entrypoint":   func(c *Config) { c.Entrypoint = []string{"/x"} },
		"User":         func(c *Config) { c.User = "root" },
		"Memory":       func(c *Config) { c.Memory = 1 },
		"Tty":          func(c *Config) { c.Tty = true },
		"ExposedPorts": func(c *Config) { c.ExposedPorts = map[nat.Port]struct{}{"80/tcp": {}} },
		"OpenStdin":    func(c *Config) { c.OpenStdin = true },
	}
	for name, change := range changes {
		c := base()
		change(c)
		assert.False(t, Compare(base(), c), name)
	}
	assert.False(t, Compare(nil, base()))
	open := base()
	open.OpenStdin = true
	assert.False(t, Compare(open, open), "a config reading stdin never matches")
}

func TestConfigJSONFieldNames(t *testing.T) {
	text, err := json.Marshal(&Config{ExposedPorts: map[nat.Port]struct{}{"80/tcp": {}}})
	require.NoError(t, err)
	var fields map[string]any
	require.NoError(t, json.Unmarshal(text, &fields))
	for _, k := range []string{"Hostname", "Domainname", "User", "Memory", "MemorySwap", "CpuShares",
		"Cpuset", "AttachStdin", "AttachStdout", "AttachStderr", "PortSpecs", "ExposedPorts", "Tty",
		"OpenStdin", "StdinOnce", "Env", "Cmd", "Image", "Volumes", "WorkingDir", "Entrypoint",
		"NetworkDisabled", "OnBuild"} {
		assert.Contains(t, fields, k)
	}
	assert.Len(t, fields, 23)
	assert.Equal(t, map[string]any{"80/tcp": map[string]any{}}, fields["ExposedPorts"])

	text, err = json.Marshal(&HostConfig{})
	require.NoError(t, err)
	fields = nil
	require.NoError(t, json.Unmarshal(text, &fields))
	for _, k := range []string{"Binds", "ContainerIDFile", "LxcConf", "Privileged", "PortBindings",
		"Links", "PublishAllPorts", "Dns", "DnsSearch", "VolumesFrom", "Devices", "NetworkMode",
		"CapAdd", "CapDrop", "RestartPolicy"} {
		assert.Contains(t, fields, k)
	}
	assert.Len(t, fields, 15)
	assert.Equal(t, map[string]any{"Name": "", "MaximumRetryCount": float64(0)}, fields["RestartPolicy"])
}

// A create request's body as the API server puts it into the job env.
const createBody = `{"Hostname":"web","User":"nobody","Memory":1048576,"CpuShares":2,
"Cpuset":"0","AttachStdout":true,"Tty":true,"OpenStdin":true,"StdinOnce":true,
"Env":["A=1"],"Cmd":["sh","-c","true"],"Image":"busybox","WorkingDir":"/srv",
"ExposedPorts":{"80/tcp":{}},"Volumes":{"/data":{}},"Entrypoint":null,"NetworkDisabled":true,
"PortSpecs":null}`

const startBody = `{"Binds":["/h:/c:ro"],"ContainerIDFile":"/tmp/cid","LxcConf":[{"Key":"lxc.utsname","Value":"x"}],
"Privileged":true,"PortBindings":{"80/tcp":[{"HostIp":"","HostPort":"8080"}]},"Links":["db:db"],
"PublishAllPorts":true,"Dns":["8.8.8.8"],"DnsSearch":["example.com"],"VolumesFrom":["data"],
"Devices":[{"PathOnHost":"/dev/null","PathInContainer":"/dev/null","CgroupPermissions":"rwm"}],
"NetworkMode":"bridge","CapAdd":["NET_ADMIN"],"CapDrop":null,
"RestartPolicy":{"Name":"on-failure","MaximumRetryCount":3}}`

func jobWith(t *testing.T, body string) *engine.Job {
	t.Helper()
	job := engine.New().Job("create")
	require.NoError(t, job.Env().Decode(strings.NewReader(body)))
	return job
}

func TestContainerConfigFromJob(t *testing.T) {
	c := ContainerConfigFromJob(jobWith(t, createBody))
	want := &Config{
		Hostname: "web", User: "nobody", Memory: 1 << 20, CpuShares: 2, Cpuset: "0",
		AttachStdout: true, Tty: true, OpenStdin: true, StdinOnce: true,
		Env: []string{"A=1"}, Cmd: []string{"sh", "-c", "true"}, Image: "busybox", WorkingDir: "/srv",
		ExposedPorts: map[nat.Port]struct{}{"80/tcp": {}}, Volumes: set("/data"), NetworkDisabled: true,
	}
	assert.Equal(t, want, c)

	empty := ContainerConfigFromJob(engine.New().Job("create"))
	assert.Equal(t, &Config{}, empty)
}

func TestContainerHostConfigFromJob(t *testing.T) {
	h := ContainerHostConfigFromJob(jobWith(t, startBody))
	want := &HostConfig{
		Binds: []string{"/h:/c:ro"}, ContainerIDFile: "/tmp/cid",
		LxcConf:    []KeyValuePair{{Key: "lxc.utsname", Value: "x"}},
		Privileged: true, PortBindings: nat.PortMap{"80/tcp": {{HostPort: "8080"}}},
		Links: []string{"db:db"}, PublishAllPorts: true, Dns: []string{"8.8.8.8"},
		DnsSearch: []string{"example.com"}, VolumesFrom: []string{"data"},
		Devices:     []DeviceMapping{{"/dev/null", "/dev/null", "rwm"}},
		NetworkMode: "bridge", CapAdd: []string{"NET_ADMIN"},
		RestartPolicy: RestartPolicy{Name: "on-failure", MaximumRetryCount: 3},
	}
	assert.Equal(t, want, h)
}

func TestParseThenJobRoundTrip(t *testing.T) {
	// What the client parses, sends as JSON, and the daemon reads back.
	c, h, _, err := Parse([]string{"-p", "8080:80", "-v", "/h:/c", "--restart", "always", "-e", "X=1", "img", "run"}, nil)
	require.NoError(t, err)
	job := engine.New().Job("create")
	require.NoError(t, job.ImportEnv(c))
	assert.Equal(t, c.ExposedPorts, ContainerConfigFromJob(job).ExposedPorts)
	assert.Equal(t, c.Cmd, ContainerConfigFromJob(job).Cmd)

	job = engine.New().Job("start")
	require.NoError(t, job.ImportEnv(h))
	back := ContainerHostConfigFromJob(job)
	assert.Equal(t, h.PortBindings, back.PortBindings)
	assert.Equal(t, h.Binds, back.Binds)
	assert.Equal(t, h.RestartPolicy, back.RestartPolicy)
}
