package runconfig

import (
	"flag"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dockerlab/dockerlab/v1_2/nat"
	"github.com/dockerlab/dockerlab/v1_2/pkg/sysinfo"
)

// parse runs Parse on "<flags> ubuntu bash".
func parse(t *testing.T, flags string) (*Config, *HostConfig, error) {
	t.Helper()
	args := append(strings.Fields(flags), "ubuntu", "bash")
	c, h, _, err := Parse(args, nil)
	return c, h, err
}

func mustParse(t *testing.T, flags string) (*Config, *HostConfig) {
	t.Helper()
	c, h, err := parse(t, flags)
	require.NoError(t, err, flags)
	return c, h
}

func TestParseDefaults(t *testing.T) {
	c, h := mustParse(t, "")
	assert.Equal(t, "ubuntu", c.Image)
	assert.Equal(t, []string{"bash"}, c.Cmd)
	assert.True(t, c.AttachStdout)
	assert.True(t, c.AttachStderr)
	assert.False(t, c.AttachStdin)
	assert.False(t, c.NetworkDisabled)
	assert.Equal(t, NetworkMode("bridge"), h.NetworkMode)
	assert.Equal(t, RestartPolicy{}, h.RestartPolicy)
	assert.Empty(t, h.Binds)
	assert.Empty(t, h.Links)
	assert.Equal(t, []string{}, c.Env)
	assert.Equal(t, nat.PortSet{}, nat.PortSet(c.ExposedPorts))
}

func TestParseImageAndCommand(t *testing.T) {
	c, _, _, err := Parse([]string{"-t", "busybox", "sh", "-c", "echo -d"}, nil)
	require.NoError(t, err)
	assert.Equal(t, "busybox", c.Image)
	assert.Equal(t, []string{"sh", "-c", "echo -d"}, c.Cmd, "flags after the image belong to the command")

	c, _, _, err = Parse([]string{"busybox"}, nil)
	require.NoError(t, err)
	assert.Nil(t, c.Cmd)

	c, _, _, err = Parse(nil, nil)
	require.NoError(t, err)
	assert.Equal(t, "", c.Image, "a missing image is the client's problem, not the parser's")
}

func TestParseEveryFlag(t *testing.T) {
	type check func(t *testing.T, c *Config, h *HostConfig)
	cases := []struct {
		flags string
		check check
	}{
		{"-d", func(t *testing.T, c *Config, h *HostConfig) {
			assert.False(t, c.AttachStdout || c.AttachStderr || c.AttachStdin)
		}},
		{"--detach", func(t *testing.T, c *Config, h *HostConfig) { assert.False(t, c.AttachStdout) }},
		{"-i", func(t *testing.T, c *Config, h *HostConfig) {
			assert.True(t, c.OpenStdin)
			assert.True(t, c.AttachStdin)
			assert.True(t, c.StdinOnce)
		}},
		{"-t", func(t *testing.T, c *Config, h *HostConfig) { assert.True(t, c.Tty) }},
		{"-it", func(t *testing.T, c *Config, h *HostConfig) { assert.True(t, c.Tty && c.OpenStdin && c.AttachStdin) }},
		{"--interactive --tty", func(t *testing.T, c *Config, h *HostConfig) { assert.True(t, c.Tty && c.OpenStdin) }},
		{"-e A=1 --env B=2 -e C", func(t *testing.T, c *Config, h *HostConfig) {
			assert.Equal(t, []string{"A=1", "B=2", "C=" + os.Getenv("C")}, c.Env)
		}},
		{"-p 8080:80 --publish 1.2.3.4::53/udp", func(t *testing.T, c *Config, h *HostConfig) {
			assert.Len(t, c.ExposedPorts, 2)
			assert.Equal(t, []nat.PortBinding{{HostPort: "8080"}}, h.PortBindings["80/tcp"])
			assert.Equal(t, []nat.PortBinding{{HostIp: "1.2.3.4"}}, h.PortBindings["53/udp"])
		}},
		{"-P", func(t *testing.T, c *Config, h *HostConfig) { assert.True(t, h.PublishAllPorts) }},
		{"--publish-all", func(t *testing.T, c *Config, h *HostConfig) { assert.True(t, h.PublishAllPorts) }},
		{"--expose 3306 -expose 53/udp -p 80", func(t *testing.T, c *Config, h *HostConfig) {
			assert.Equal(t, map[nat.Port]struct{}{"3306/tcp": {}, "53/udp": {}, "80/tcp": {}}, c.ExposedPorts)
			assert.Len(t, h.PortBindings, 1, "--expose publishes nothing")
		}},
		{"-v /data", func(t *testing.T, c *Config, h *HostConfig) {
			assert.Equal(t, map[string]struct{}{"/data": {}}, c.Volumes)
			assert.Nil(t, h.Binds)
		}},
		{"--name web --sig-proxy=false", func(t *testing.T, c *Config, h *HostConfig) {}},
		{"--link db:db -link cache:c", func(t *testing.T, c *Config, h *HostConfig) {
			assert.Equal(t, []string{"db:db", "cache:c"}, h.Links)
		}},
		{"--net=none", func(t *testing.T, c *Config, h *HostConfig) { assert.Equal(t, NetworkMode("none"), h.NetworkMode) }},
		{"--net host", func(t *testing.T, c *Config, h *HostConfig) { assert.True(t, h.NetworkMode.IsHost()) }},
		{"--net container:db", func(t *testing.T, c *Config, h *HostConfig) { assert.True(t, h.NetworkMode.IsContainer()) }},
		{"-n=false", func(t *testing.T, c *Config, h *HostConfig) { assert.True(t, c.NetworkDisabled) }},
		{"--networking=false", func(t *testing.T, c *Config, h *HostConfig) { assert.True(t, c.NetworkDisabled) }},
		{"-m 512k", func(t *testing.T, c *Config, h *HostConfig) { assert.Equal(t, int64(512*1024), c.Memory) }},
		{"--memory 1g", func(t *testing.T, c *Config, h *HostConfig) { assert.Equal(t, int64(1<<30), c.Memory) }},
		{"-c 512", func(t *testing.T, c *Config, h *HostConfig) { assert.Equal(t, int64(512), c.CpuShares) }},
		{"--cpu-shares=2", func(t *testing.T, c *Config, h *HostConfig) { assert.Equal(t, int64(2), c.CpuShares) }},
		{"--cpuset 0,1", func(t *testing.T, c *Config, h *HostConfig) { assert.Equal(t, "0,1", c.Cpuset) }},
		{"-h web.example.com", func(t *testing.T, c *Config, h *HostConfig) {
			assert.Equal(t, "web", c.Hostname)
			assert.Equal(t, "example.com", c.Domainname)
		}},
		{"--hostname box", func(t *testing.T, c *Config, h *HostConfig) { assert.Equal(t, "box", c.Hostname) }},
		{"-u nobody", func(t *testing.T, c *Config, h *HostConfig) { assert.Equal(t, "nobody", c.User) }},
		{"--user 1000", func(t *testing.T, c *Config, h *HostConfig) { assert.Equal(t, "1000", c.User) }},
		{"-w /srv", func(t *testing.T, c *Config, h *HostConfig) { assert.Equal(t, "/srv", c.WorkingDir) }},
		{"--workdir /tmp", func(t *testing.T, c *Config, h *HostConfig) { assert.Equal(t, "/tmp", c.WorkingDir) }},
		{"--entrypoint /bin/sh", func(t *testing.T, c *Config, h *HostConfig) {
			assert.Equal(t, []string{"/bin/sh"}, c.Entrypoint)
		}},
		{"--rm", func(t *testing.T, c *Config, h *HostConfig) {}},
		{"-rm", func(t *testing.T, c *Config, h *HostConfig) {}},
		{"--privileged", func(t *testing.T, c *Config, h *HostConfig) { assert.True(t, h.Privileged) }},
		{"-privileged", func(t *testing.T, c *Config, h *HostConfig) { assert.True(t, h.Privileged) }},
		{"--dns 8.8.8.8 -dns 8.8.4.4", func(t *testing.T, c *Config, h *HostConfig) {
			assert.Equal(t, []string{"8.8.8.8", "8.8.4.4"}, h.Dns)
		}},
		{"--dns-search example.com. --dns-search .", func(t *testing.T, c *Config, h *HostConfig) {
			assert.Equal(t, []string{"example.com", "."}, h.DnsSearch)
		}},
		{"--volumes-from data --volumes-from logs:ro", func(t *testing.T, c *Config, h *HostConfig) {
			assert.Equal(t, []string{"data", "logs:ro"}, h.VolumesFrom)
		}},
		{"--device /dev/sdc:/dev/xvdc --device /dev/null:/dev/null:r", func(t *testing.T, c *Config, h *HostConfig) {
			assert.Equal(t, []DeviceMapping{
				{PathOnHost: "/dev/sdc", PathInContainer: "/dev/xvdc", CgroupPermissions: "rwm"},
				{PathOnHost: "/dev/null", PathInContainer: "/dev/null", CgroupPermissions: "r"},
			}, h.Devices)
		}},
		{"--cap-add NET_ADMIN --cap-drop MKNOD --cap-drop CHOWN", func(t *testing.T, c *Config, h *HostConfig) {
			assert.Equal(t, []string{"NET_ADMIN"}, h.CapAdd)
			assert.Equal(t, []string{"MKNOD", "CHOWN"}, h.CapDrop)
		}},
		{"--restart always", func(t *testing.T, c *Config, h *HostConfig) {
			assert.Equal(t, RestartPolicy{Name: "always"}, h.RestartPolicy)
		}},
		{"--restart on-failure:5", func(t *testing.T, c *Config, h *HostConfig) {
			assert.Equal(t, RestartPolicy{Name: "on-failure", MaximumRetryCount: 5}, h.RestartPolicy)
		}},
		{"--restart no --rm", func(t *testing.T, c *Config, h *HostConfig) {
			assert.Equal(t, RestartPolicy{}, h.RestartPolicy)
		}},
		{"--cidfile /tmp/cid", func(t *testing.T, c *Config, h *HostConfig) { assert.Equal(t, "/tmp/cid", h.ContainerIDFile) }},
		{"--lxc-conf lxc.utsname=docker --lxc-conf=lxc.aa_profile=unconfined", func(t *testing.T, c *Config, h *HostConfig) {
			assert.Equal(t, []KeyValuePair{{"lxc.utsname", "docker"}, {"lxc.aa_profile", "unconfined"}}, h.LxcConf)
		}},
	}
	for _, tc := range cases {
		t.Run(tc.flags, func(t *testing.T) {
			c, h := mustParse(t, tc.flags)
			tc.check(t, c, h)
		})
	}
}

func TestParseLxcConfWithSpaces(t *testing.T) {
	_, h, _, err := Parse([]string{"--lxc-conf", "lxc.utsname = docker ", "img"}, nil)
	require.NoError(t, err)
	assert.Equal(t, []KeyValuePair{{Key: "lxc.utsname", Value: "docker"}}, h.LxcConf)
}

func TestParseAttach(t *testing.T) {
	cases := []struct {
		flags              string
		stdin, out, stderr bool
	}{
		{"-a stdin", true, false, false},
		{"-a stdin -a stdout", true, true, false},
		{"-a STDIN -a stdout -a stderr", true, true, true},
		{"--attach stderr", false, false, true},
		{"", false, true, true},
		{"-i", true, true, true},
		{"-d", false, false, false},
	}
	for _, c := range cases {
		conf, _ := mustParse(t, c.flags)
		assert.Equal(t, c.stdin, conf.AttachStdin, c.flags)
		assert.Equal(t, c.out, conf.AttachStdout, c.flags)
		assert.Equal(t, c.stderr, conf.AttachStderr, c.flags)
	}
}

func TestParseVolumesAndBinds(t *testing.T) {
	c, h := mustParse(t, "-v /tmp -v /var")
	assert.Equal(t, map[string]struct{}{"/tmp": {}, "/var": {}}, c.Volumes)
	assert.Nil(t, h.Binds)

	c, h = mustParse(t, "-v /hostTmp:/containerTmp:ro -v /hostVar:/containerVar:rw -v /containerOnly")
	sort.Strings(h.Binds)
	assert.Equal(t, []string{"/hostTmp:/containerTmp:ro", "/hostVar:/containerVar:rw"}, h.Binds)
	assert.Equal(t, map[string]struct{}{"/containerOnly": {}}, c.Volumes, "binds are not volumes of the image")
}

func TestParseErrors(t *testing.T) {
	cases := map[string]string{
		"-a stdin -d":                 "Conflicting options: -a and -d",
		"--rm -d":                     "Conflicting options: --rm and -d",
		"-w tmp":                      "The working directory is invalid. It needs to be an absolute path.",
		"-h name --net=host":          "Conflicting options: -h and the network mode (--net)",
		"-h name --net=container:db":  "Conflicting options: -h and the network mode (--net)",
		"--net=host --link db:db":     "Conflicting options: --net=host can't be used with links. This would result in undefined behavior.",
		"--rm --restart always":       "Conflicting options: --restart and --rm",
		"--rm --restart on-failure:3": "Conflicting options: --restart and --rm",
		"-m 1.5g":                     "Invalid size: '1.5g'",
		"-m -1":                       "Invalid size: '-1'",
		"-v /host:/":                  "Invalid bind mount: destination can't be '/'",
		"-v /":                        "Invalid volume: path can't be '/'",
		"--expose 80:80":              "Invalid port format for --expose: 80:80",
		"-p 80/sctp":                  "Invalid proto: sctp",
		"-p asdf:80":                  "Invalid hostPort: asdf",
		"--net=bogus":                 "--net: invalid net mode: invalid --net: bogus",
		"--net=container:":            "--net: invalid net mode: invalid container format container:<name|id>",
		"--restart always:3":          "maximum restart count not valid with restart policy of \"always\"",
		"--restart sometimes":         "invalid restart policy sometimes",
		"--restart on-failure:x":      "strconv.Atoi: parsing \"x\": invalid syntax",
		"--lxc-conf novalue":          "Unable to parse key/value option: novalue",
		"--env-file /nonexistent/env": "open /nonexistent/env: no such file or directory",
	}
	for flags, msg := range cases {
		_, _, err := parse(t, flags)
		assert.EqualError(t, err, msg, flags)
	}
	sentinels := map[string]error{
		"-a stdout -d":          ErrConflictAttachDetach,
		"--rm -d":               ErrConflictDetachAutoRemove,
		"-h x --net=host":       ErrConflictNetworkHostname,
		"--net host --link a:b": ErrConflictHostNetworkAndLinks,
		"--rm --restart=always": ErrConflictRestartPolicyAndAutoRemove,
		"-w relative":           ErrInvalidWorkingDirectory,
	}
	for flags, want := range sentinels {
		_, _, err := parse(t, flags)
		assert.Equal(t, want, err, flags)
	}
}

func TestParseValidatorErrors(t *testing.T) {
	// A validator's refusal comes back through the flag parser, which
	// names the flag; the validator's own words are in the text.
	cases := map[string]string{
		"-a stdall":           "valid streams are STDIN, STDOUT and STDERR.",
		"--dns 8.8":           "8.8 is not an ip address",
		"--dns-search -bad":   "-bad is not a valid domain",
		"--link db":           "Invalid format to parse.  db should match template name:alias",
		"-v relative":         "relative is not an absolute path",
		"--device dev/null":   "dev/null is not an absolute path",
		"--device /a:/b:rw:x": "bad format for volumes: /a:/b:rw:x",
		"--nosuchflag":        "flag provided but not defined: -nosuchflag",
		"-c many":             "invalid value \"many\" for flag -c",
	}
	for flags, msg := range cases {
		_, _, err := parse(t, flags)
		require.Error(t, err, flags)
		assert.Contains(t, err.Error(), msg, flags)
	}
}

func TestNetHostname(t *testing.T) {
	for _, ok := range []string{"-h=name", "--net=host", "-h=name --net=bridge", "-h=name --net=none"} {
		_, _, err := parse(t, ok)
		assert.NoError(t, err, ok)
	}
}

func TestParseEnvFileThenEnv(t *testing.T) {
	file := filepath.Join(t.TempDir(), "env")
	require.NoError(t, os.WriteFile(file, []byte("A=from-file\nB=file\n"), 0o644))
	c, _ := mustParse(t, "--env-file "+file+" -e A=from-flag")
	assert.Equal(t, []string{"A=from-file", "B=file", "A=from-flag"}, c.Env, "-e comes last so it wins")
}

func TestParseWithSysInfo(t *testing.T) {
	noMemory := &sysinfo.SysInfo{}
	c, _, _, err := Parse([]string{"-m", "100m", "img"}, noMemory)
	require.NoError(t, err)
	assert.Zero(t, c.Memory, "no memory cgroup: the limit is dropped")

	noSwap := &sysinfo.SysInfo{MemoryLimit: true}
	c, _, _, err = Parse([]string{"-m", "100m", "img"}, noSwap)
	require.NoError(t, err)
	assert.Equal(t, int64(100<<20), c.Memory)
	assert.Equal(t, int64(-1), c.MemorySwap, "no swap accounting: swap off")

	both := &sysinfo.SysInfo{MemoryLimit: true, SwapLimit: true}
	c, _, _, err = Parse([]string{"-m", "100m", "img"}, both)
	require.NoError(t, err)
	assert.Zero(t, c.MemorySwap)
}

func TestParseSubcommandUsesTheCallersFlagSet(t *testing.T) {
	cmd := flag.NewFlagSet("run", flag.ContinueOnError)
	cmd.SetOutput(new(strings.Builder))
	_, _, got, err := ParseSubcommand(cmd, []string{"--name", "web", "-sig-proxy=false", "img"}, nil)
	require.NoError(t, err)
	assert.Same(t, cmd, got)
	assert.Equal(t, "web", got.Lookup("name").Value.String())
	assert.Equal(t, "false", got.Lookup("sig-proxy").Value.String())
}

func TestGroupedFlags(t *testing.T) {
	cmd := flag.NewFlagSet("t", flag.ContinueOnError)
	declareRunFlags(cmd)
	cases := []struct{ in, out []string }{
		{[]string{"-it", "img"}, []string{"-i", "-t", "img"}},
		{[]string{"-dP", "img", "-it"}, []string{"-d", "-P", "img", "-it"}},
		{[]string{"-m", "-it", "img"}, []string{"-m", "-it", "img"}},
		{[]string{"-ih", "x"}, []string{"-ih", "x"}},
		{[]string{"--it"}, []string{"--it"}},
		{[]string{"-rm", "img"}, []string{"-rm", "img"}},
		{[]string{"--", "-it"}, []string{"--", "-it"}},
	}
	for _, c := range cases {
		assert.Equal(t, c.out, groupedFlags(cmd, c.in), c.in)
	}
}

func TestParseDevice(t *testing.T) {
	cases := map[string]DeviceMapping{
		"/dev/sda":             {"/dev/sda", "/dev/sda", "rwm"},
		"/dev/sda:/dev/xvda":   {"/dev/sda", "/dev/xvda", "rwm"},
		"/dev/sda:/dev/xvda:r": {"/dev/sda", "/dev/xvda", "r"},
	}
	for in, want := range cases {
		got, err := ParseDevice(in)
		require.NoError(t, err)
		assert.Equal(t, want, got)
	}
	// Unreachable from Parse (--device goes through opts.ValidatePath
	// first), but ParseDevice is exported and says so itself.
	_, err := ParseDevice("/a:/b:rw:x")
	assert.EqualError(t, err, "Invalid device specification: /a:/b:rw:x")
}

func TestNetworkMode(t *testing.T) {
	cases := []struct {
		mode            NetworkMode
		host, container bool
	}{
		{"bridge", false, false},
		{"none", false, false},
		{"host", true, false},
		{"container:db", false, true},
		{"container", false, false},
	}
	for _, c := range cases {
		assert.Equal(t, c.host, c.mode.IsHost(), c.mode)
		assert.Equal(t, c.container, c.mode.IsContainer(), c.mode)
	}
}

func TestRAMInBytes(t *testing.T) {
	good := map[string]int64{
		"32": 32, "32b": 32, "32B": 32, "32k": 32 << 10, "32K": 32 << 10, "32kb": 32 << 10,
		"32Kb": 32 << 10, "32Mb": 32 << 20, "32Gb": 32 << 30, "32Tb": 32 << 40, "8p": 8 << 50,
	}
	for in, want := range good {
		got, err := RAMInBytes(in)
		require.NoError(t, err, in)
		assert.Equal(t, want, got, in)
	}
	for _, bad := range []string{"", "hello", "-32", " 32 ", "32 mb", "32m b", "32bm", "1.5g"} {
		got, err := RAMInBytes(bad)
		assert.EqualError(t, err, "Invalid size: '"+bad+"'")
		assert.Equal(t, int64(-1), got)
	}
}
