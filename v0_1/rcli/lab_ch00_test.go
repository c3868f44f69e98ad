// Tests of the exercise ch00.rcli-dispatch (getMethod: a command name to
// the Service's Cmd<Name> method, by reflection): `dockerlab lab check
// ch00.rcli-dispatch`, or `go test ./v0_1/rcli -run TestCh00RcliDispatch`.
package rcli

import (
	"fmt"
	"io"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// labService has commands, a method whose name cannot be reached, and a
// Cmd-named method with the wrong signature.
type labService struct{}

func (labService) Name() string { return "docker" }
func (labService) Help() string { return "Usage: docker COMMAND\n" }

func (labService) CmdVersion(stdin io.ReadCloser, stdout io.Writer, args ...string) error {
	fmt.Fprintf(stdout, "Version:0.1.0 %s\n", strings.Join(args, " "))
	return nil
}

func (labService) CmdPs(stdin io.ReadCloser, stdout io.Writer, args ...string) error {
	fmt.Fprintf(stdout, "ps got %q\n", args)
	return nil
}

// CmdSetupBridge can never be called: "setupbridge" becomes
// "CmdSetupbridge".
func (labService) CmdSetupBridge(stdin io.ReadCloser, stdout io.Writer, args ...string) error {
	fmt.Fprintln(stdout, "unreachable")
	return nil
}

// CmdBad is named like a command but is not one.
func (labService) CmdBad(n int) error { return nil }

// labCall runs one command line and returns what it printed and its error.
func labCall(args ...string) (string, error) {
	var out strings.Builder
	err := LocalCall(labService{}, io.NopCloser(strings.NewReader("")), &out, args...)
	return out.String(), err
}

// "version" finds CmdVersion, and the rest of the line are its arguments.
func TestCh00RcliDispatch(t *testing.T) {
	out, err := labCall("version")
	require.NoError(t, err)
	assert.Equal(t, "Version:0.1.0 \n", out)
	out, err = labCall("ps", "-a", "web")
	require.NoError(t, err)
	assert.Equal(t, "ps got [\"-a\" \"web\"]\n", out)
}

// Commands are case-insensitive: the first letter is upper-cased and the
// rest lower-cased before "Cmd" goes in front.
func TestCh00RcliDispatch_CaseInsensitive(t *testing.T) {
	for _, name := range []string{"VERSION", "Version", "vErSiOn"} {
		out, err := labCall(name)
		require.NoError(t, err, name)
		assert.Equal(t, "Version:0.1.0 \n", out, name)
	}
}

// A name with no method, or whose method is not a command, is "No such
// command"; so is a camel-case method, which no name can reach.
func TestCh00RcliDispatch_NoSuchCommand(t *testing.T) {
	for _, name := range []string{"nosuch", "setupbridge", "SetupBridge", "bad", "name"} {
		out, err := labCall(name)
		require.Error(t, err, name)
		assert.Equal(t, "No such command: "+name, err.Error())
		assert.Empty(t, out, name)
	}
}

// help runs a command with --help; it needs the same lookup.
func TestCh00RcliDispatch_Help(t *testing.T) {
	out, err := labCall("help", "version")
	require.NoError(t, err)
	assert.Equal(t, "Version:0.1.0 --help\n", out)
	_, err = labCall("help", "nosuch")
	assert.EqualError(t, err, "No such command: nosuch")
}
