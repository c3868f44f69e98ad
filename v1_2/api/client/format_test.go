package client

import (
	"bytes"
	"flag"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestTruncations(t *testing.T) {
	assert.Equal(t, "0123456789ab", truncateID("0123456789abcdef"))
	assert.Equal(t, "abc", truncateID("abc"))
	assert.Equal(t, `"sh -c 'echo hi; ech`, trunc(`"sh -c 'echo hi; echo"`, 20))
}

func TestSpellGroupsAndNames(t *testing.T) {
	cmd := flag.NewFlagSet("ps", flag.ContinueOnError)
	all := boolFlag(cmd, []string{"a", "-all"}, false, "")
	quiet := boolFlag(cmd, []string{"q", "-quiet"}, false, "")
	noTrunc := boolFlag(cmd, []string{"#notrunc", "-no-trunc"}, false, "")
	n := intFlag(cmd, []string{"n"}, -1, "")
	assert.Equal(t, []string{"-a", "-q", "-n", "3", "x", "-aq"}, spellGroups(cmd, []string{"-aq", "-n", "3", "x", "-aq"}),
		"grouped letters before the first argument only")
	assert.Equal(t, []string{"-an"}, spellGroups(cmd, []string{"-an"}), "n takes a value: not a group")
	assert.NoError(t, cmd.Parse(spellGroups(cmd, []string{"-aq", "--no-trunc", "-n=2"})))
	assert.True(t, *all && *quiet && *noTrunc)
	assert.Equal(t, 2, *n)
	// #notrunc still works, as mflag kept deprecated spellings working.
	assert.NotNil(t, cmd.Lookup("notrunc"))
	assert.Equal(t, []string{"f", "force"}, spellings([]string{"f", "#force", "-force"}))
}

func TestJSONMessages(t *testing.T) {
	var out bytes.Buffer
	err := displayJSONMessagesStream(strings.NewReader(
		`{"status":"Downloading","progressDetail":{"current":1,"total":2},"progress":"[=>  ]","id":"abc"}`+
			`{"stream":"Step 1\n"}{"status":"done","id":"abc"}{"error":"boom","errorDetail":{"message":"boom"}}{"status":"never"}`),
		&out, false)
	assert.EqualError(t, err, "boom")
	assert.Equal(t, "Step 1\nabc: done\n", out.String(), "progress lines are dropped off a terminal")

	out.Reset()
	assert.NoError(t, displayJSONMessagesStream(strings.NewReader(`{"status":"Downloading","progress":"[=>  ]","id":"abc"}`), &out, true))
	assert.Equal(t, "\x1b[2K\rabc: Downloading [=>  ]\r", out.String(), "on a terminal the line is rewritten in place")

	assert.EqualError(t, displayJSONMessagesStream(strings.NewReader(`{"errorDetail":{"code":401,"message":"x"}}`), &out, false), "Authentication is required.")
}
