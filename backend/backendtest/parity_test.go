// Parity: every scenario of backend/scenario runs on the fake
// (fake.NewBare) and on the real kernel (linuxtest.NewHost: root, a
// throwaway namespace), and the normalised dumps of the root namespace and
// of every namespace the scenario leaves must be equal (docs/design.md "Parity
// is the point of the fake"). When they differ, the fake is wrong.
package backendtest_test

import (
	"errors"
	"fmt"
	"os"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dockerlab/dockerlab/backend"
	"github.com/dockerlab/dockerlab/backend/fake"
	"github.com/dockerlab/dockerlab/backend/linux/linuxtest"
	"github.com/dockerlab/dockerlab/backend/scenario"
	"github.com/dockerlab/dockerlab/internal/reexec"
)

// TestMain lets this test binary serve as the linux backend's init, should
// a check ever start a process, and, as root, proves the machine's own
// links and rules are the same after the real-kernel runs as before.
func TestMain(m *testing.M) {
	if reexec.Init() {
		return
	}
	if os.Geteuid() != 0 {
		os.Exit(m.Run())
	}
	before := linuxtest.HostSnapshot()
	code := m.Run()
	if after := linuxtest.HostSnapshot(); after != before {
		fmt.Fprintf(os.Stderr, "FAIL: the tests changed the host's own network state\nbefore:\n%s\nafter:\n%s\n", before, after)
		code = 1
	}
	os.Exit(code)
}

// namedDump is one namespace's normalised dump.
type namedDump struct {
	name string
	text string
}

// dumpAll dumps the root namespace and the named ones, normalised.
func dumpAll(t *testing.T, h backend.Host, label string, namespaces []string) []namedDump {
	t.Helper()
	refs := []backend.NSRef{{}}
	for _, n := range namespaces {
		refs = append(refs, backend.NSName(n))
	}
	var out []namedDump
	for _, ref := range refs {
		n, err := h.NetNS(ref)
		require.NoError(t, err, "%s: namespace %s", h.Name(), ref)
		d, err := backend.Dump(n)
		require.NoError(t, err, "%s: dump %s", h.Name(), ref)
		out = append(out, namedDump{label + " " + ref.String(), backend.Normalize(d)})
	}
	return out
}

// runScenario dumps the initial state, runs s and dumps what it left.
func runScenario(t *testing.T, h backend.Host, s scenario.Scenario) []namedDump {
	t.Helper()
	dumps := dumpAll(t, h, "before", nil)
	require.NoError(t, s.Run(h), "%s on %s", s.Name, h.Name())
	return append(dumps, dumpAll(t, h, "after", s.Namespaces)...)
}

func requireSameDumps(t *testing.T, fakeDumps, realDumps []namedDump) {
	t.Helper()
	require.Equal(t, len(realDumps), len(fakeDumps))
	for i := range realDumps {
		if d := scenario.Diff(realDumps[i].text, fakeDumps[i].text); d != "" {
			t.Errorf("%s: the fake differs from the kernel (- linux, + fake):\n%s\nlinux:\n%s", realDumps[i].name, d, realDumps[i].text)
		}
	}
}

func TestParity(t *testing.T) {
	for _, s := range scenario.All {
		t.Run(s.Name, func(t *testing.T) {
			fakeDumps := runScenario(t, fake.NewBare(), s)
			h := linuxtest.NewHost(t) // skips, saying why, unless root
			requireSameDumps(t, fakeDumps, runScenario(t, h, s))
		})
	}
}

func TestParityContractScenario(t *testing.T) {
	run := func(h backend.Host) []namedDump {
		before := dumpAll(t, h, "before", nil)
		require.NoError(t, scenario.ContractScenario(h, 3, 10))
		after := dumpAll(t, h, "after", nil)
		assert.Equal(t, before[0].text, after[0].text, "%s: ContractScenario must leave nothing behind", h.Name())
		return after
	}
	fakeDumps := run(fake.NewBare())
	requireSameDumps(t, fakeDumps, run(linuxtest.NewHost(t)))
}

// TestScenariosRefuseToRunTwice: on the shared fake machine a student may
// run a scenario twice; the second run must stop with ErrExists before it
// changes anything.
func TestScenariosRefuseToRunTwice(t *testing.T) {
	for _, s := range scenario.All {
		t.Run(s.Name, func(t *testing.T) {
			h := fake.NewBare()
			require.NoError(t, s.Run(h))
			before := dumpAll(t, h, "", s.Namespaces)
			err := s.Run(h)
			if s.Name == "teardown" {
				require.NoError(t, err, "teardown leaves nothing, so it can run again")
				return
			}
			require.Error(t, err)
			assert.True(t, errors.Is(err, backend.ErrExists), "%v", err)
			assert.Equal(t, before, dumpAll(t, h, "", s.Namespaces), "a refused run must change nothing")
		})
	}
}
