package userland

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestConfinedToRootfs tries every way out of the rootfs we know of. A
// host directory next to the rootfs holds a secret; nothing may read it,
// and nothing may be created outside the rootfs.
func TestConfinedToRootfs(t *testing.T) {
	dir, root := testRootfs(t)
	hostDir := t.TempDir()
	secret := filepath.Join(hostDir, "secret")
	require.NoError(t, os.WriteFile(secret, []byte("host secret\n"), 0o644))
	hostTmp := os.TempDir()
	fifoName := "sh-interp-dockerlab-test-" + filepath.Base(dir)
	t.Cleanup(func() { os.Remove(filepath.Join(hostTmp, fifoName)) })

	rel, err := filepath.Rel(dir, secret)
	require.NoError(t, err)
	cases := []struct {
		name, cmd string
	}{
		{"absolute host path", "cat " + secret},
		{"dotdot from cwd", "cat " + rel},
		{"dotdot from root", "cd /..; cat ./" + rel},
		{"cd slash dotdot", "cd /../../..; cat " + secret + "; ls"},
		{"symlink to slash", "ln -s / /esc; cat /esc" + secret},
		{"relative symlink up", "ln -s ../../../../../../../.. /up; cat /up" + secret},
		{"symlink to host file", "ln -s " + secret + " /s; cat /s"},
		{"redirect from host", "cat < " + secret},
		{"source host file", ". " + secret},
		{"glob host dir", "echo " + hostDir + "/*"},
		{"test host file", "[ -e " + secret + " ] && echo host secret"},
		{"cp out", "cp " + secret + " /copied; cat /copied"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := sh(t, root, c.cmd)
			assert.NotContains(t, r.stdout, "host secret")
			assert.NotContains(t, r.stderr, "host secret")
		})
	}

	// Writes land inside the rootfs, never on the host.
	hostOut := filepath.Join(hostDir, "created")
	for _, cmd := range []string{
		"echo x > " + hostOut,
		"echo x >> " + hostOut,
		"touch " + hostOut,
		"mkdir -p " + hostOut,
		"cp /etc/passwd " + hostOut,
		"ln -s / /esc2; echo x > /esc2" + hostOut,
		"echo x > " + filepath.Join(hostTmp, fifoName), // the interpreter's FIFO path
	} {
		r := sh(t, root, cmd)
		_ = r
		_, err := os.Lstat(hostOut)
		assert.True(t, os.IsNotExist(err), "%q created a host file", cmd)
		_, err = os.Lstat(filepath.Join(hostTmp, fifoName))
		assert.True(t, os.IsNotExist(err), "%q created a host file", cmd)
		os.RemoveAll(filepath.Join(dir, strings.TrimPrefix(hostOut, "/")))
	}

	// The shell's notion of / is the rootfs: what it lists is the rootfs.
	_, root = testRootfs(t)
	r := sh(t, root, "cd /..; ls")
	assert.Equal(t, "bin\netc\nroot\ntmp\nusr\n", r.stdout)
	r = sh(t, root, "echo /*")
	assert.Equal(t, "/bin /etc /root /tmp /usr\n", r.stdout)
	r = sh(t, root, "cat /etc/hostname; ln -s / /esc3; cat /esc3/etc/hostname")
	assert.Equal(t, "container\ncontainer\n", r.stdout)

	// No process substitution: it would make a FIFO on the host.
	r = sh(t, root, "cat <(echo hi)")
	assert.Equal(t, 2, r.code)
	assert.Empty(t, r.stdout)

	// The host's PATH is not searched: `go`, `bash` and friends do not
	// exist in this rootfs.
	r = sh(t, root, "command -v bash || echo none; type go")
	assert.Equal(t, "none\ngo: not found\n", r.stdout)
	r = sh(t, root, "bash -c 'echo hi'")
	assert.Equal(t, 127, r.code)
}

func TestPathResolution(t *testing.T) {
	dir, root := testRootfs(t)
	require.NoError(t, os.MkdirAll(filepath.Join(dir, "data/real"), 0o755))
	require.NoError(t, os.Symlink("/data/real", filepath.Join(dir, "link")))
	r := sh(t, root, "cd /link && pwd && pwd -P && echo hi > f && cat /data/real/f")
	assert.Equal(t, "/link\n/data/real\nhi\n", r.stdout, r.stderr)

	r = sh(t, root, "[ -x /bin/sh ] && echo x; [ -x /etc/passwd ] || echo nox; [ -d /link ] && echo d; [ -L /link ] && echo l")
	assert.Equal(t, "x\nnox\nd\nl\n", r.stdout)

	// a symlink loop
	require.NoError(t, os.Symlink("loop", filepath.Join(dir, "loop")))
	r = sh(t, root, "cat /loop")
	assert.Equal(t, 1, r.code)
	assert.Contains(t, r.stderr, "Too many levels of symbolic links")
}

func TestLookup(t *testing.T) {
	dir, root := testRootfs(t)
	p, err := Lookup(root, "ls", nil)
	require.NoError(t, err)
	assert.Equal(t, "/bin/ls", p)

	_, err = Lookup(root, "nosuch", nil)
	require.Error(t, err)
	assert.Equal(t, `exec: "nosuch": executable file not found in $PATH`, err.Error())
	assert.ErrorIs(t, err, errProgNotFound())
	assert.ErrorIs(t, err, errENOENT())

	require.NoError(t, os.WriteFile(filepath.Join(dir, "usr/bin/python3"), []byte("\x7fELF..."), 0o755))
	_, err = Lookup(root, "python3", nil)
	require.Error(t, err)
	assert.ErrorIs(t, err, errUnsupported())
	assert.Contains(t, err.Error(), "fake backend cannot run /usr/bin/python3")

	require.NoError(t, os.WriteFile(filepath.Join(dir, "usr/bin/tool.py"), []byte("#!/usr/bin/python3\n"), 0o755))
	_, err = Lookup(root, "tool.py", nil)
	assert.ErrorIs(t, err, errUnsupported())

	require.NoError(t, os.WriteFile(filepath.Join(dir, "usr/bin/noexec"), []byte("#!/bin/sh\n"), 0o644))
	_, err = Lookup(root, "noexec", nil)
	assert.ErrorIs(t, err, errEACCES())
	r := run(t, root, "", "noexec")
	assert.Equal(t, 126, r.code)

	_, err = Lookup(root, "ls", []string{"PATH=/usr/bin"})
	assert.ErrorIs(t, err, errProgNotFound())

	p, err = Lookup(root, "/bin/../bin/sh", nil)
	require.NoError(t, err)
	assert.Equal(t, "/bin/sh", p)

	r = run(t, root, "", "/usr/bin/python3")
	assert.Equal(t, 126, r.code)
	assert.Contains(t, r.stderr, "fake backend cannot run")
}
