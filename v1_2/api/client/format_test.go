package client

import (
	"bytes"
	"flag"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

func TestHumanDuration(t *testing.T) {
	for d, want := range map[time.Duration]string{
		500 * time.Millisecond: "Less than a second",
		45 * time.Second:       "45 seconds",
		90 * time.Second:       "About a minute",
		30 * time.Minute:       "30 minutes",
		70 * time.Minute:       "About an hour",
		5 * time.Hour:          "5 hours",
		3 * 24 * time.Hour:     "3 days",
		20 * 24 * time.Hour:    "2 weeks",
		200 * 24 * time.Hour:   "6 months",
	} {
		assert.Equal(t, want, humanDuration(d), d.String())
	}
	assert.True(t, strings.HasSuffix(humanDuration(3*365*24*time.Hour), " years"))
}

func TestHumanSize(t *testing.T) {
	for size, want := range map[int64]string{
		0: "0 B", 999: "999 B", 1000: "1 kB", 2433303: "2.433 MB", 1986560: "1.987 MB", 5e9: "5 GB",
	} {
		assert.Equal(t, want, humanSize(size), size)
	}
}

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
