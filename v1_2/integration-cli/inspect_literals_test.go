// A command that reads like a JSON literal (issue #10 item 8): Docker
// 1.2's engine.Env sent "Path": true for a container whose command was
// `true`, and today's docker CLI cannot decode that. Here strings stay
// strings: the stock `docker inspect` works for `true`, `false`, `42`
// and `null`, and shows the command as it was given.
package integrationcli

import (
	"encoding/json"
	"os/exec"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestInspectLiteralCommandsFake(t *testing.T)  { inspectLiteralCommands(t, "fake") }
func TestInspectLiteralCommandsLinux(t *testing.T) { inspectLiteralCommands(t, "linux") }

func inspectLiteralCommands(t *testing.T, backend string) {
	tar := busyboxTar(t)
	if _, err := exec.LookPath("docker"); err != nil {
		t.Skip("skipping: the stock docker CLI is not on PATH")
	}
	d := startDaemon(t, backend)
	c := newDockerCLI(t, d)
	c.ok("import", tar, "busybox")
	for i, cmd := range []string{"true", "false", "42", "null"} {
		name := "lit" + string(rune('a'+i))
		c.ok("create", "--name", name, "busybox", cmd, "7")
		out := c.ok("inspect", name)
		var got []struct {
			Path string
			Args []string
		}
		require.NoError(t, json.Unmarshal([]byte(out), &got), out)
		require.Len(t, got, 1)
		assert.Equal(t, cmd, got[0].Path, "the command stays a string")
		assert.Equal(t, []string{"7"}, got[0].Args)
		assert.Equal(t, cmd, strings.TrimSpace(c.ok("inspect", "--format", "{{.Path}}", name)))
	}
	// The raw API answer, as 1.2's own client reads it, says the same.
	raw, err := exec.Command(dockerlabBinary(t), "v1.2", "-H", d.host, "inspect", "lita").CombinedOutput()
	require.NoError(t, err, "%s", raw)
	assert.Contains(t, string(raw), `"Path": "true"`)
}
