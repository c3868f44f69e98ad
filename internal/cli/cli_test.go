// Tests that run the dockerlab command tree with arguments, as a user
// would, on a fake machine kept in a temporary state file.
package cli

import (
	"bytes"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dockerlab/dockerlab/backend"
	"github.com/dockerlab/dockerlab/internal/doctor"
)

// dl runs dockerlab with args and returns stdout, stderr and the status.
func dl(t *testing.T, args ...string) (string, string, int) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := Run(args, &out, &errOut)
	return out.String(), errOut.String(), code
}

// onFake runs dockerlab on the fake machine stored at state.
func onFake(t *testing.T, state string, args ...string) string {
	t.Helper()
	out, errOut, code := dl(t, append([]string{"--backend", "fake", "--fake-state", state}, args...)...)
	require.Equal(t, 0, code, "dockerlab %v failed:\n%s%s", args, out, errOut)
	return out
}

func TestVersion(t *testing.T) {
	out, _, code := dl(t, "version")
	require.Equal(t, 0, code)
	assert.True(t, strings.HasPrefix(out, "dockerlab version "+Version+" (reproduces Docker 0.1.0 and 1.2.0), "), out)
	assert.Contains(t, out, runtime.Version()+" "+runtime.GOOS+"/"+runtime.GOARCH)

	flagOut, _, code := dl(t, "--version")
	require.Equal(t, 0, code)
	assert.Equal(t, out, flagOut)
}

func TestInvalidBackend(t *testing.T) {
	out, errOut, code := dl(t, "--backend", "bogus", "net", "show")
	assert.Equal(t, 1, code)
	assert.Empty(t, out)
	assert.Equal(t, "dockerlab: invalid --backend \"bogus\": choose one of fake, linux\n", errOut)

	t.Setenv("DOCKERLAB_BACKEND", "qemu")
	_, errOut, code = dl(t, "net", "show")
	assert.Equal(t, 1, code)
	assert.Contains(t, errOut, `invalid --backend "qemu"`)
}

func TestHelpListsEveryCommand(t *testing.T) {
	out, _, code := dl(t, "--help")
	require.Equal(t, 0, code)
	for _, c := range []string{"version", "doctor", "net", "sandbox", "fake", "completion", "--backend", "--fake-state", "--sandbox-name", "--debug", "《Docker源码分析》"} {
		assert.Contains(t, out, c)
	}
}

func TestCompletion(t *testing.T) {
	for _, shell := range []string{"bash", "zsh", "fish", "powershell"} {
		out, _, code := dl(t, "completion", shell)
		require.Equal(t, 0, code, shell)
		assert.Contains(t, out, "dockerlab", shell)
	}
}

func TestUnknownCommandShowsUsageHint(t *testing.T) {
	_, errOut, code := dl(t, "frobnicate")
	assert.Equal(t, 1, code)
	assert.Contains(t, errOut, `dockerlab: unknown command "frobnicate"`)
}

func TestFakeResetScenarioAndShow(t *testing.T) {
	state := filepath.Join(t.TempDir(), "kernel.json")

	out := onFake(t, state, "fake", "reset")
	assert.Contains(t, out, "is fresh")

	out = onFake(t, state, "net", "scenario")
	assert.Contains(t, out, "bridge-veth-netns")

	out = onFake(t, state, "net", "scenario", "bridge-veth-netns")
	assert.Contains(t, out, "## before")
	assert.Contains(t, out, "## after")
	assert.Contains(t, out, "### namespace c1\n(does not exist)")
	assert.Contains(t, out, "dockerlab fake reset")

	// Running it again on the same machine fails clearly: the state is there.
	_, errOut, code := dl(t, "--fake-state", state, "net", "scenario", "bridge-veth-netns")
	assert.Equal(t, 1, code)
	assert.Contains(t, errOut, "dockerlab: scenario bridge-veth-netns")

	// A second command sees the first one's state: one shared machine.
	out = onFake(t, state, "net", "show")
	assert.Contains(t, out, "# ip -o link")
	assert.Contains(t, out, "# iptables-save")
	assert.Contains(t, out, "# diagram")
	for _, want := range []string{"| ns c1", "eth0 172.17.0.2/16", "veth-c1", "docker0 172.17.42.1/16", "host eth0 10.0.2.15/24"} {
		assert.Contains(t, out, want)
	}

	out = onFake(t, state, "net", "show", "--raw")
	assert.NotContains(t, out, "# diagram")

	out = onFake(t, state, "net", "show", "--ns", "c2")
	assert.Contains(t, out, "namespace c2")
	assert.Contains(t, out, "172.17.0.3/16")

	out = onFake(t, state, "fake", "show")
	assert.Contains(t, out, "# diagram")
	assert.Contains(t, out, "# processes\nPID")

	onFake(t, state, "fake", "reset")
	out = onFake(t, state, "net", "show")
	assert.NotContains(t, out, "docker0")
	assert.Contains(t, out, "no bridge in the root namespace")
}

func TestNetScenarioNormalize(t *testing.T) {
	state := filepath.Join(t.TempDir(), "kernel.json")
	out := onFake(t, state, "net", "scenario", "--normalize", "bridge-veth-netns")
	assert.NotRegexp(t, `02:[0-9a-f]{2}:[0-9a-f]{2}:`, out, "MACs are hidden")
}

func TestNetErrors(t *testing.T) {
	state := filepath.Join(t.TempDir(), "kernel.json")
	_, errOut, code := dl(t, "--fake-state", state, "net", "scenario", "nope")
	assert.Equal(t, 1, code)
	assert.Contains(t, errOut, `dockerlab: no scenario "nope"; there are: bridge-veth-netns`)

	_, errOut, code = dl(t, "--fake-state", state, "net", "show", "--ns", "missing")
	assert.Equal(t, 1, code)
	assert.Contains(t, errOut, "dockerlab: namespace missing")

	_, errOut, code = dl(t, "--fake-state", state, "net", "show", "--ns", "pid:x")
	assert.Equal(t, 1, code)
	assert.Contains(t, errOut, "pid:N needs a positive process id")
}

func TestParseNSRef(t *testing.T) {
	for in, want := range map[string]backend.NSRef{
		"": {}, "root": {}, "c1": backend.NSName("c1"), "pid:42": backend.NSPid(42),
	} {
		got, err := parseNSRef(in)
		require.NoError(t, err, in)
		assert.Equal(t, want, got, in)
	}
	_, err := parseNSRef("pid:-1")
	assert.Error(t, err)
}

func TestSandboxRefusesTheFakeBackend(t *testing.T) {
	_, errOut, code := dl(t, "--backend", "fake", "sandbox", "status")
	assert.Equal(t, 1, code)
	if runtime.GOOS == "linux" {
		assert.Contains(t, errOut, "the sandbox belongs to the linux backend, and --backend is fake")
	} else {
		assert.Contains(t, errOut, "the sandbox is the linux backend's network namespace")
	}
}

func TestDoctorOnTheFakeBackendSucceeds(t *testing.T) {
	out, _, code := dl(t, "doctor")
	require.Equal(t, 0, code, out)
	assert.Contains(t, out, "root")
	assert.Contains(t, out, "linux backend: ")

	out, _, _ = dl(t, "doctor", "--json")
	assert.True(t, strings.HasPrefix(out, "["), out)
}

func TestDebugPrintsOnStderr(t *testing.T) {
	state := filepath.Join(t.TempDir(), "kernel.json")
	_, errOut, code := dl(t, "--debug", "--fake-state", state, "net", "show", "--raw")
	require.Equal(t, 0, code)
	assert.Contains(t, errOut, "debug: opening the fake machine at "+state)
}

func TestCountRulesAndWrap(t *testing.T) {
	assert.Equal(t, 2, countRules("*nat\n:DOCKER - [0:0]\n-A PREROUTING -j DOCKER\n-A OUTPUT -j DOCKER\nCOMMIT\n"))
	assert.Equal(t, []string{"aa bb", "cc"}, wrap("aa bb cc", 5))
}

func TestDoctorFailsOnlyForTheLinuxBackend(t *testing.T) {
	old := doctorEnv
	defer func() { doctorEnv = old }()
	doctorEnv = func() doctor.Env {
		e := doctor.SystemEnv()
		e.GOOS = "plan9" // the OS check FAILs
		return e
	}

	out, errOut, code := dl(t, "--backend", "fake", "doctor")
	assert.Equal(t, 0, code, errOut)
	assert.Contains(t, out, "[FAIL] os")
	assert.Contains(t, out, "linux backend: cannot work here")

	out, errOut, code = dl(t, "--backend", "linux", "doctor")
	assert.Equal(t, 1, code)
	assert.Contains(t, out, "[FAIL] os")
	assert.Empty(t, errOut, "the FAIL lines already said why")
}

// A command group given an unknown word fails and suggests the nearest
// subcommand (cobra's default printed the group's help and exited 0).
func TestUnknownSubcommandOfAGroupFails(t *testing.T) {
	state := filepath.Join(t.TempDir(), "k.json")
	for _, c := range []struct{ args, path, suggestion string }{
		{"net shwo", "dockerlab net", "show"},
		{"sandbox rest", "dockerlab sandbox", "reset"},
		{"fake shw", "dockerlab fake", "show"},
	} {
		out, errOut, code := dl(t, append([]string{"--fake-state", state}, strings.Fields(c.args)...)...)
		assert.Equal(t, 1, code, c.args)
		assert.Empty(t, out, c.args)
		word := strings.Fields(c.args)[1]
		assert.Contains(t, errOut, "dockerlab: unknown command \""+word+"\" for \""+c.path+"\"", c.args)
		assert.Contains(t, errOut, "Did you mean this?\n\t"+c.suggestion+"\n", c.args)
		assert.Contains(t, errOut, "Run '"+c.path+" --help' for usage.", c.args)
	}
	out, _, code := dl(t, "net")
	assert.Equal(t, 0, code, "a group alone still prints its help")
	assert.Contains(t, out, "Available Commands:")
}

// Not root, the sandbox commands that enter or remove a namespace say so
// before they try (sandbox shell announced the shell, then nsenter failed).
func TestSandboxShellAndResetNeedRoot(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("the sandbox commands are for Linux only; elsewhere they say so first")
	}
	old := euid
	euid = func() int { return 1000 }
	defer func() { euid = old }()
	for _, sub := range []string{"shell", "reset"} {
		out, errOut, code := dl(t, "--sandbox-name", "dl-notroot", "sandbox", sub)
		assert.Equal(t, 1, code, sub)
		assert.Empty(t, out, sub)
		assert.Equal(t, "dockerlab: sandbox "+sub+" needs root (entering or removing a network namespace is for root only): run it as root, for example with sudo: sudo dockerlab sandbox "+sub+"\n", errOut)
	}
}
