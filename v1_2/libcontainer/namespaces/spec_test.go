package namespaces

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dockerlab/dockerlab/backend"
	"github.com/dockerlab/dockerlab/v1_2/libcontainer"
	"github.com/dockerlab/dockerlab/v1_2/libcontainer/network"
)

func rootfsWithUsers(t *testing.T) string {
	dir := t.TempDir()
	require.NoError(t, os.MkdirAll(filepath.Join(dir, "etc"), 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "etc", "passwd"), []byte(
		"root:x:0:0:root:/root:/bin/sh\n# a comment\nwww:x:33:33:www:/var/www:/bin/false\nbad:x:one:two::/:\n"), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "etc", "group"), []byte(
		"root:x:0:\nwww:x:33:\nstaff:x:50:www,other\nadm:x:4:www\n"), 0o644))
	return dir
}

func TestLookupUser(t *testing.T) {
	rootfs := rootfsWithUsers(t)
	for spec, want := range map[string]User{
		"www":       {Uid: 33, Gid: 33, Groups: []int{50, 4}},
		"www:staff": {Uid: 33, Gid: 50, Groups: []int{4}},
		"33":        {Uid: 33, Gid: 33, Groups: []int{50, 4}},
		"1000":      {Uid: 1000, Gid: 1000},
		"1000:7":    {Uid: 1000, Gid: 7},
		"root":      {Uid: 0, Gid: 0},
	} {
		got, err := LookupUser(rootfs, spec)
		require.NoError(t, err, spec)
		assert.Equal(t, want, got, spec)
	}
	for spec, msg := range map[string]string{
		"nobody":    "Unable to find user nobody",
		"www:nogrp": "Unable to find group nogrp",
		":1":        "no user before the colon",
		"-1":        "negative uid",
		"bad":       "bad line in /etc/passwd",
	} {
		_, err := LookupUser(rootfs, spec)
		assert.ErrorContains(t, err, msg, spec)
	}
	// A rootfs without /etc/passwd still takes numeric users.
	got, err := LookupUser(t.TempDir(), "5:6")
	require.NoError(t, err)
	assert.Equal(t, User{Uid: 5, Gid: 6}, got)
}

func TestLookupUserStaysInRootfs(t *testing.T) {
	rootfs := t.TempDir()
	require.NoError(t, os.Symlink("/etc", filepath.Join(rootfs, "etc")))
	_, err := LookupUser(rootfs, "root")
	assert.ErrorContains(t, err, "Unable to find user root", "the machine's /etc/passwd is never read")
}

func TestBuildSpec(t *testing.T) {
	rootfs := rootfsWithUsers(t)
	c := &libcontainer.Config{
		Hostname: "box", User: "www", WorkingDir: "/tmp", Env: []string{"A=1"}, Tty: true,
		Namespaces:  map[string]bool{"NEWNS": true, "NEWUTS": true, "NEWIPC": true, "NEWPID": true, "NEWNET": true},
		MountConfig: &libcontainer.MountConfig{ReadonlyFs: true, Mounts: []libcontainer.Mount{{Type: "bind", Source: "/src", Destination: "/data"}}},
	}
	spec, err := BuildSpec(c, rootfs, []string{"sh", "-c", "true"}, Stdio{})
	require.NoError(t, err)
	assert.Equal(t, backend.AllNamespaces(), spec.Namespaces)
	assert.Equal(t, "box", spec.Hostname)
	assert.Equal(t, []string{"sh", "-c", "true"}, spec.Args)
	assert.Equal(t, "/tmp", spec.Dir)
	assert.True(t, spec.Tty)
	assert.True(t, spec.ReadonlyRootfs)
	assert.Equal(t, []backend.Mount{{Type: backend.MountBind, Source: "/src", Target: "/data", Readonly: true}}, spec.Mounts)
	assert.Equal(t, 33, spec.Uid)

	// Host networking: NEWNET off, no hostname without NEWUTS.
	c.Namespaces = map[string]bool{"NEWNS": true, "NEWNET": false}
	spec, err = BuildSpec(c, rootfs, []string{"true"}, Stdio{})
	require.NoError(t, err)
	assert.False(t, spec.Namespaces.NET)
	assert.Empty(t, spec.Hostname)

	// Container mode: join the other's namespace by pid.
	c.Namespaces = map[string]bool{"NEWNS": true, "NEWNET": true}
	c.Networks = []*network.Network{{Type: "loopback"}, {Type: "netns", NsPath: "/proc/4242/ns/net"}}
	spec, err = BuildSpec(c, rootfs, []string{"true"}, Stdio{})
	require.NoError(t, err)
	assert.False(t, spec.Namespaces.NET)
	assert.Equal(t, backend.NSPid(4242), spec.NetNS)

	c.Networks = []*network.Network{{Type: "netns", NsPath: "/var/run/netns/x"}}
	_, err = BuildSpec(c, rootfs, []string{"true"}, Stdio{})
	assert.ErrorContains(t, err, "is not of the form /proc/<pid>/ns/net")

	c.Networks = nil
	c.Namespaces = map[string]bool{"NEWUSER": true}
	_, err = BuildSpec(c, rootfs, []string{"true"}, Stdio{})
	assert.ErrorContains(t, err, "unknown namespace [NEWUSER]")

	c.Namespaces = nil
	_, err = BuildSpec(c, rootfs, nil, Stdio{})
	assert.ErrorContains(t, err, "no command")
	_, err = BuildSpec(nil, rootfs, []string{"true"}, Stdio{})
	assert.ErrorContains(t, err, "no container config")
	c.MountConfig = &libcontainer.MountConfig{Mounts: []libcontainer.Mount{{Type: "tmpfs", Destination: "/x"}}}
	_, err = BuildSpec(c, rootfs, []string{"true"}, Stdio{})
	assert.ErrorContains(t, err, "only bind mounts")
}
