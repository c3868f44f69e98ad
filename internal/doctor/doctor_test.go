// Tests for doctor's parsers (literal tool and /proc outputs) and for the
// checks on pretend machines built as Envs.
package doctor

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"runtime"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseIPTablesVersion(t *testing.T) {
	for _, tc := range []struct {
		out, version string
		mode         IPTablesMode
	}{
		{"iptables v1.8.9 (nf_tables)\n", "1.8.9", ModeNft},
		{"iptables v1.8.7 (legacy)", "1.8.7", ModeLegacy},
		{"iptables v1.4.21", "1.4.21", ModeLegacy},
		{"iptables-legacy v1.8.9 (legacy)", "1.8.9", ModeLegacy},
	} {
		v, m, err := ParseIPTablesVersion(tc.out)
		require.NoError(t, err, tc.out)
		assert.Equal(t, tc.version, v, tc.out)
		assert.Equal(t, tc.mode, m, tc.out)
	}
	for _, bad := range []string{"", "ip6tables", "command not found", "iptables 1.8"} {
		_, _, err := ParseIPTablesVersion(bad)
		assert.Error(t, err, bad)
	}
}

func TestParseChainPolicy(t *testing.T) {
	p, err := ParseChainPolicy("-P FORWARD DROP\n-A FORWARD -j DOCKER\n", "FORWARD")
	require.NoError(t, err)
	require.Equal(t, "DROP", p)
	_, err = ParseChainPolicy("-N DOCKER\n", "FORWARD")
	require.Error(t, err)
}

// procCgroups is /proc/cgroups of a hybrid Debian VM (reference §4).
const procCgroups = `#subsys_name	hierarchy	num_cgroups	enabled
cpuset	3	1	1
cpu	1	1	1
cpuacct	2	1	1
blkio	7	1	1
memory	4	38	1
devices	5	1	1
freezer	6	1	1
net_cls	0	1	1
hugetlb	0	1	1
pids	8	1	1
rdma	9	1	0
`

func TestParseProcCgroups(t *testing.T) {
	cs, err := ParseProcCgroups(procCgroups)
	require.NoError(t, err)
	require.Len(t, cs, 11)
	assert.Equal(t, Controller{Name: "memory", Hierarchy: 4, Enabled: true}, cs[4])
	assert.Equal(t, []string{"blkio", "cpu", "cpuacct", "cpuset", "devices", "freezer", "memory", "pids"}, V1Controllers(cs))

	_, err = ParseProcCgroups("cpu 1 1\n")
	require.Error(t, err)
	_, err = ParseProcCgroups("cpu x 1 1\n")
	require.Error(t, err)
}

func TestParseFilesystemsAndControllers(t *testing.T) {
	fss := ParseFilesystems("nodev\tsysfs\nnodev\toverlay\n\text4\n\n")
	assert.Equal(t, []string{"sysfs", "overlay", "ext4"}, fss)
	assert.Equal(t, []string{"cpu", "cpuset", "memory", "pids"}, ParseControllers("pids cpuset cpu memory\n"))
	assert.Empty(t, ParseControllers("\n"))
}

// pretend is a machine where only the listed files and programs exist.
func pretend(euid int, files map[string]string, progs map[string]string) Env {
	return Env{
		GOOS: "linux",
		Euid: euid,
		ReadFile: func(p string) ([]byte, error) {
			if s, ok := files[p]; ok {
				return []byte(s), nil
			}
			return nil, fs.ErrNotExist
		},
		Exists: func(p string) bool { _, ok := files[p]; return ok },
		LookPath: func(f string) (string, error) {
			if _, ok := progs[f]; ok {
				return "/usr/sbin/" + f, nil
			}
			return "", errors.New("not found")
		},
		Output: func(name string, args ...string) (string, error) {
			key := strings.TrimPrefix(name, "/usr/sbin/") + " " + strings.Join(args, " ")
			if s, ok := progs[key]; ok {
				return s, nil
			}
			return "", errors.New("exit status 1")
		},
		Getenv:      func(string) string { return "" },
		CgroupMode:  func() (string, error) { return "hybrid", nil },
		ProbeLinks:  func() error { return nil },
		IsStaticELF: func(string) (bool, error) { return true, nil },
	}
}

func TestChecksOnAGoodRootMachine(t *testing.T) {
	e := pretend(0, map[string]string{
		"/proc/sys/kernel/osrelease":                "6.18.44\n",
		"/proc/self/ns/net":                         "",
		"/proc/cgroups":                             procCgroups,
		"/sys/fs/cgroup/unified/cgroup.controllers": "hugetlb\n",
		"/proc/sys/net/ipv4/ip_forward":             "0\n",
		"/proc/filesystems":                         "nodev\toverlay\n",
		"/bin/busybox":                              "",
		"/proc/self/status":                         "Name:\tdockerlab\nCapBnd:\t000001ffffffffff\n",
	}, map[string]string{
		"iptables": "", "iptables --version": "iptables v1.8.9 (nf_tables)",
		"iptables -S FORWARD": "-P FORWARD ACCEPT",
		"docker":              "", "docker --version": "Docker version 27.0.3, build 7d4bcd8",
	})
	checks := Run(e)
	for _, c := range checks {
		assert.Equal(t, OK, c.Status, "%s: %s", c.Name, c.Found)
	}
	assert.False(t, Failed(checks))
	assert.Equal(t, "hybrid: blkio cpu cpuacct cpuset devices freezer memory pids; unified (v2): hugetlb", CheckCgroups(e).Found)
	assert.Equal(t, "/usr/sbin/iptables v1.8.9 (nft)", CheckIPTables(e).Found)
	assert.Contains(t, CheckForwardPolicy(e).Found, "policy ACCEPT")
	assert.Contains(t, CheckCapabilities(e).Found, "000001ffffffffff")
	assert.Contains(t, CheckDevices(e).Found, "devices cgroup v1")
	assert.Contains(t, CheckLSM(e).Found, "recorded only")
}

func TestChecksOnABareUserMachine(t *testing.T) {
	e := pretend(1000, map[string]string{
		"/proc/sys/kernel/osrelease": "6.1.0\n",
		"/proc/self/ns/net":          "",
		"/proc/filesystems":          "nodev\tsysfs\n",
	}, nil)
	e.CgroupMode = func() (string, error) { return "v2", nil }
	e.ProbeLinks = func() error { t.Fatal("probe needs root"); return nil }

	byName := map[string]Check{}
	for _, c := range Run(e) {
		byName[c.Name] = c
	}
	assert.Equal(t, Fail, byName["root"].Status)
	assert.Contains(t, byName["root"].Hint, "fake")
	assert.Equal(t, Warn, byName["iptables"].Status)
	assert.Contains(t, byName["iptables"].Hint, "apt-get install iptables")
	assert.Equal(t, Warn, byName["cgroups"].Status)
	assert.Contains(t, byName["cgroups"].Found, "missing cpu cpuset memory pids")
	assert.Equal(t, Warn, byName["bridge+veth"].Status)
	assert.Equal(t, Warn, byName["overlayfs"].Status)
	assert.Equal(t, Warn, byName["busybox"].Status)
	assert.Contains(t, byName["busybox"].Hint, "busybox-static")
	assert.Equal(t, OK, byName["FORWARD policy"].Status)
	assert.Equal(t, OK, byName["devices"].Status)
	assert.Contains(t, byName["devices"].Found, "eBPF device program per container (not tried: needs root)")

	root := pretend(0, map[string]string{}, nil)
	root.CgroupMode = func() (string, error) { return "v2", nil }
	root.ProbeDeviceFilter = func() error { return errors.New("operation not permitted") }
	assert.Equal(t, Warn, CheckDevices(root).Status)
	assert.Contains(t, CheckDevices(root).Found, "refused")
	root.ProbeDeviceFilter = func() error { return nil }
	assert.Equal(t, "enforced: cgroup v2 eBPF device program (loaded a test program)", CheckDevices(root).Found)
	assert.Contains(t, byName["FORWARD policy"].Found, "needs root")
	assert.True(t, Failed(Run(e)))

	var out bytes.Buffer
	Write(&out, Run(e))
	assert.Contains(t, out.String(), "[FAIL] root")
	assert.Contains(t, out.String(), "hint: apt-get install iptables")
}

// On Debian an ordinary user's PATH has no /usr/sbin: iptables is there,
// installed, and doctor must not say to install it.
func TestIPTablesOffAUsersPath(t *testing.T) {
	e := pretend(1000, map[string]string{"/usr/sbin/iptables": ""}, map[string]string{
		"iptables --version": "iptables v1.8.9 (nf_tables)",
	})
	c := CheckIPTables(e)
	assert.Equal(t, OK, c.Status)
	assert.Equal(t, "/usr/sbin/iptables v1.8.9 (nft); installed, but /usr/sbin is not on your PATH (it is on root's, which the linux backend runs as)", c.Found)
	assert.Empty(t, c.Hint)
}

func TestCheckOSElsewhere(t *testing.T) {
	c := CheckOS(Env{GOOS: "darwin"})
	assert.Equal(t, Fail, c.Status)
	assert.Contains(t, c.Hint, "fake")
}

func TestBusyboxDynamic(t *testing.T) {
	e := pretend(0, map[string]string{"/opt/bb": ""}, nil)
	e.Getenv = func(k string) string { return map[string]string{"DOCKERLAB_BUSYBOX": "/opt/bb"}[k] }
	e.IsStaticELF = func(string) (bool, error) { return false, nil }
	c := CheckBusybox(e)
	assert.Equal(t, Warn, c.Status)
	assert.Contains(t, c.Found, "/opt/bb is dynamically linked")
}

func TestIsStaticELF(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("ELF binaries are Linux's")
	}
	// /bin/sh is dynamically linked on every distribution we know of.
	if _, err := os.Stat("/bin/sh"); err == nil {
		static, err := isStaticELF("/bin/sh")
		if err == nil {
			assert.False(t, static, "/bin/sh")
		}
	}
	_, err := isStaticELF("doctor_test.go")
	require.Error(t, err)
}

func TestRealMachineDoesNotPanic(t *testing.T) {
	// Whatever this machine is, every check answers with a status.
	for _, c := range Run(SystemEnv()) {
		assert.Contains(t, []Status{OK, Warn, Fail}, c.Status, c.Name)
		assert.NotEmpty(t, c.Found, c.Name)
	}
}
