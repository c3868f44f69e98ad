package userland

import (
	"net"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dockerlab/dockerlab/backend"
)

func TestFileApplets(t *testing.T) {
	_, root := testRootfs(t)
	cases := []struct {
		cmd, stdout string
		code        int
	}{
		{"mkdir -p /a/b/c && ls /a/b", "c\n", 0},
		{"mkdir /a", "", 1},
		{"echo hi > /f; cp /f /g; cat /g; mv /g /h; ls /g 2>/dev/null || cat /h", "hi\nhi\n", 0},
		{"mkdir -p /d/e; echo x > /d/e/f; cp -r /d /d2; cat /d2/e/f; rm -r /d; ls /d || echo gone", "x\ngone\n", 0},
		{"rm /nosuch", "", 1},
		{"rm -f /nosuch", "", 0},
		{"mkdir /dir; rm /dir", "", 1},
		{"touch /t; ls /t; chmod 755 /t; [ -x /t ] && echo x; chmod a-x /t; [ -x /t ] || echo nox", "/t\nx\nnox\n", 0},
		{"ln -s /etc/passwd /p; head -n 1 /p", "root:x:0:0:root:/root:/bin/sh\n", 0},
		{"ln -s /etc /e; ls /e/group", "/e/group\n", 0},
		{"ls -a /root", ".\n..\n", 0},
		{"ls -d /etc", "/etc\n", 0},
	}
	for _, c := range cases {
		t.Run(c.cmd, func(t *testing.T) {
			r := sh(t, root, c.cmd)
			assert.Equal(t, c.code, r.code, "stderr: %s", r.stderr)
			assert.Equal(t, c.stdout, r.stdout)
		})
	}
	r := sh(t, root, "rm /nosuch")
	assert.Equal(t, "rm: can't remove '/nosuch': No such file or directory\n", r.stderr)
	r = sh(t, root, "mkdir /etc")
	assert.Equal(t, "mkdir: can't create directory '/etc': File exists\n", r.stderr)
}

func TestLsLong(t *testing.T) {
	dir, root := testRootfs(t)
	require.NoError(t, os.WriteFile(filepath.Join(dir, "tmp/file"), []byte("12345"), 0o640))
	require.NoError(t, os.Symlink("file", filepath.Join(dir, "tmp/link")))
	r := sh(t, root, "ls -l /tmp")
	lines := strings.Split(strings.TrimSpace(r.stdout), "\n")
	require.Len(t, lines, 3, r.stdout)
	assert.Regexp(t, `^total \d+$`, lines[0])
	lines = lines[1:]
	uid := os.Getuid()
	owner := "root"
	if uid != 0 {
		owner = strings.TrimSpace(strings.Fields(lines[0])[2])
	}
	assert.Regexp(t, `^-rw-r-----    1 `+owner+` +\S+ +5 \w{3} [ \d]\d \d\d:\d\d file$`, lines[0])
	assert.Regexp(t, `^lrwxrwxrwx    1 .* link -> file$`, lines[1])
}

func TestTextApplets(t *testing.T) {
	_, root := testRootfs(t)
	cases := []struct {
		cmd, stdout string
		code        int
	}{
		{"seq 3", "1\n2\n3\n", 0},
		{"seq 2 2 6", "2\n4\n6\n", 0},
		{"seq 3 | tail -n 1", "3\n", 0},
		{"seq 10 | head -n 2", "1\n2\n", 0},
		{"seq 5 | tail -n +4", "4\n5\n", 0},
		{"seq 10 | wc -l", "10\n", 0},
		{"printf 'a b\\nc\\n' | wc", "        2         3         6\n", 0},
		{"wc -l /etc/group", "4 /etc/group\n", 0},
		{"grep root /etc/passwd", "root:x:0:0:root:/root:/bin/sh\n", 0},
		{"grep -c false /etc/passwd", "2\n", 0},
		{"grep -v false /etc/passwd | wc -l", "1\n", 0},
		{"grep -i ROOT /etc/group", "root:x:0:\nwheel:x:10:root\n", 0},
		{"grep -q nobody /etc/passwd && echo found", "found\n", 0},
		{"grep nothing /etc/passwd", "", 1},
		{"grep -E 'root|daemon' /etc/group | wc -l", "3\n", 0},
		{"yes | head -n 2", "y\ny\n", 0},
		{"cat /etc/hostname - < /etc/hostname", "container\ncontainer\n", 0},
		{"cat /nosuch", "", 1},
		{"basename /a/b/c.txt .txt; dirname /a/b/c.txt", "c\n/a/b\n", 0},
		{"echo -n x; echo y", "xy\n", 0},
		{"printf 'b\\na\\nb\\nb\\n' | uniq -c", "      1 b\n      1 a\n      2 b\n", 0},
		{"printf 'b\\n10\\n9\\n' | sort", "10\n9\nb\n", 0},
		{"printf '10\\n9\\n1\\n' | sort -n -r", "10\n9\n1\n", 0},
		{"echo hi | tee /tmp/t1 /tmp/t2; cat /tmp/t2", "hi\nhi\n", 0},
		{"which ls nosuch", "/bin/ls\n", 1},
		{"printenv HOME", "/root\n", 0},
	}
	for _, c := range cases {
		t.Run(c.cmd, func(t *testing.T) {
			r := sh(t, root, c.cmd)
			assert.Equal(t, c.code, r.code, "stderr: %s", r.stderr)
			assert.Equal(t, c.stdout, r.stdout)
		})
	}
}

func TestProcApplets(t *testing.T) {
	_, root := testRootfs(t)
	r := run(t, root, "", "id")
	assert.Equal(t, "uid=0(root) gid=0(root) groups=0(root),10(wheel)\n", r.stdout)
	r = run(t, root, "", "whoami")
	assert.Equal(t, "root\n", r.stdout)
	r = sh(t, root, "hostname; hostname newname; hostname; uname -n; uname -a")
	assert.Equal(t, "box\nnewname\nnewname\nLinux newname dockerlab-fake #1 SMP dockerlab simulated kernel x86_64 GNU/Linux\n", r.stdout)
	r = run(t, root, "", "env")
	assert.Equal(t, "PATH="+DefaultPath+"\nHOME=/root\n", r.stdout)
	r = run(t, root, "", "env", "-i", "A=1", "env")
	assert.Equal(t, "A=1\n", r.stdout)
	r = run(t, root, "", "ps")
	assert.Equal(t, "PID   USER     TIME  COMMAND\n    1 root      0:00 ps\n", r.stdout)
	r = run(t, root, "", "busybox", "echo", "via", "busybox")
	assert.Equal(t, "via busybox\n", r.stdout)
	r = run(t, root, "", "test", "1", "-eq", "2")
	assert.Equal(t, 1, r.code)
	r = run(t, root, "", "[", "a", "=", "a", "]")
	assert.Equal(t, 0, r.code)
	r = run(t, root, "", "sleep", "0.01")
	assert.Equal(t, 0, r.code)
	r = run(t, root, "", "sleep", "x")
	assert.Equal(t, 1, r.code)
	assert.Contains(t, Applets(), "sh")
	assert.IsIncreasing(t, Applets())

	// a non-root user cannot set the hostname
	k := newStubKernel()
	sys, ctx, done := k.add(t.Context(), []string{"hostname", "x"})
	defer done()
	var errb syncBuffer
	code := Run(&Process{Args: []string{"hostname", "x"}, Root: root, Uid: 65534, Gid: 65534, Stderr: &errb, Ctx: ctx, Sys: sys})
	assert.Equal(t, 1, code)
	assert.Equal(t, "hostname: sethostname: Operation not permitted\n", errb.String())
}

// stubNet is a namespace with lo and a container's eth0; only the
// listing methods exist (the embedded nil interface panics otherwise).
type stubNet struct{ backend.Net }

// LinkSetDown is refused as the kernel refuses a process without
// CAP_NET_ADMIN.
func (stubNet) LinkSetDown(name string) error {
	return backend.ErrnoError(syscall.EPERM, "LinkSetDown", name)
}

func (stubNet) LinkList() ([]backend.Link, error) {
	mac, _ := net.ParseMAC("02:42:ac:11:00:02")
	return []backend.Link{
		{Index: 1, Name: "lo", Kind: backend.KindLoopback, Up: true, MTU: 65536},
		{Index: 7, Name: "eth0", Kind: backend.KindVeth, Up: true, MTU: 1500, HardwareAddr: mac, PeerIndex: 8},
	}, nil
}

func (stubNet) AddrList(string) ([]backend.Addr, error) {
	_, lo, _ := net.ParseCIDR("127.0.0.1/8")
	lo.IP = net.ParseIP("127.0.0.1").To4()
	eth := &net.IPNet{IP: net.ParseIP("172.17.0.2").To4(), Mask: net.CIDRMask(16, 32)}
	return []backend.Addr{{LinkIndex: 1, LinkName: "lo", IPNet: lo}, {LinkIndex: 7, LinkName: "eth0", IPNet: eth}}, nil
}

func (stubNet) RouteList() ([]backend.Route, error) {
	_, sub, _ := net.ParseCIDR("172.17.0.0/16")
	return []backend.Route{
		{Dst: backend.DefaultDst(), Gw: net.ParseIP("172.17.42.1").To4(), LinkIndex: 7, LinkName: "eth0", Scope: backend.ScopeUniverse, Proto: backend.ProtoBoot},
		{Dst: sub, LinkIndex: 7, LinkName: "eth0", Src: net.ParseIP("172.17.0.2").To4(), Scope: backend.ScopeLink, Proto: backend.ProtoKernel},
	}, nil
}

func TestIP(t *testing.T) {
	_, root := testRootfs(t)
	k := newStubKernel()
	k.net = stubNet{}
	ip := func(args ...string) result {
		return runIn(t, k, root, t.Context(), "", append([]string{"ip"}, args...)...)
	}
	r := ip("addr")
	assert.Equal(t, `1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue qlen 1000
    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00
    inet 127.0.0.1/8 scope host lo
       valid_lft forever preferred_lft forever
7: eth0@if8: <BROADCAST,MULTICAST,UP,LOWER_UP,M-DOWN> mtu 1500 qdisc noqueue qlen 1000
    link/ether 02:42:ac:11:00:02 brd ff:ff:ff:ff:ff:ff
    inet 172.17.0.2/16 brd 172.17.255.255 scope global eth0
       valid_lft forever preferred_lft forever
`, r.stdout)
	r = ip("a", "show", "dev", "eth0")
	assert.True(t, strings.HasPrefix(r.stdout, "7: eth0@if8:"), r.stdout)
	r = ip("link", "show", "nosuch")
	assert.Equal(t, 1, r.code)
	assert.Equal(t, "ip: can't find device 'nosuch'\n", r.stderr)
	r = ip("link")
	assert.Equal(t, 4, strings.Count(r.stdout, "\n"))
	r = ip("r")
	assert.Equal(t, "default via 172.17.42.1 dev eth0 \n172.17.0.0/16 dev eth0 scope link  src 172.17.0.2 \n", r.stdout)
	r = ip("link", "set", "eth0", "down")
	assert.Equal(t, 2, r.code)
	assert.Equal(t, "ip: RTNETLINK answers: Operation not permitted\n", r.stderr)
}

// TestNoKernel: Run without a System or a Root must not panic.
func TestNoKernel(t *testing.T) {
	_, root := testRootfs(t)
	var out syncBuffer
	code := Run(&Process{Args: []string{"sh", "-c", "echo $$; hostname; ps | wc -l; kill -0 1 && echo ok; ip a"}, Root: root, Stdout: &out})
	assert.Equal(t, "1\nlocalhost\n2\nok\n", out.String())
	assert.Equal(t, 1, code) // ip: no network
	assert.Equal(t, exitNotFound, Run(&Process{Args: []string{"sh"}}))
	assert.Equal(t, exitNotFound, Run(&Process{}))
}
