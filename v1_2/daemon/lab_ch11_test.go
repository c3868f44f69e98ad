// Tests of the chapter 11 exercises in package daemon: ch11.dockerfile-lines
// (stripComments and dockerfileLines, the Dockerfile as a list of
// instructions), `dockerlab lab check ch11.dockerfile-lines` or
// `go test ./v1_2/daemon -run TestCh11DockerfileLines`.
package daemon

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// lab11Lines is dockerfileLines of text.
func lab11Lines(t *testing.T, text string) []string {
	t.Helper()
	lines, err := dockerfileLines([]byte(text))
	require.NoError(t, err)
	return lines
}

// A Dockerfile is one instruction per line: comments and blank lines go,
// tabs become spaces, each line is trimmed.
func TestCh11DockerfileLines(t *testing.T) {
	assert.Equal(t, []string{
		"FROM busybox",
		"MAINTAINER dockerlab",
		"ENV GREETING hello world",
		"RUN echo $GREETING > /greeting",
		"CMD cat /greeting",
	}, lab11Lines(t, "# a small image\nFROM busybox\n\nMAINTAINER dockerlab\n"+
		"ENV\tGREETING hello world\n   RUN echo $GREETING > /greeting   \n#CMD sh\nCMD cat /greeting"))
}

// Only a '#' in the first column starts a comment (1.2's rule): an
// indented '#' and a '#' after an instruction are text.
func TestCh11DockerfileLines_Comments(t *testing.T) {
	assert.Equal(t, []string{
		"# indented: not a comment",
		"RUN echo 'no # comment here'",
	}, lab11Lines(t, "# a comment\n  # indented: not a comment\nRUN echo 'no # comment here'\n#\n"),
		"a line is a comment when its very first character is '#'")
}

// A backslash at the end of a line (spaces may follow it) joins the next
// line to it, with nothing put in between; comment lines are gone before
// the lines are joined.
func TestCh11DockerfileLines_Continuation(t *testing.T) {
	assert.Equal(t, []string{
		"RUN echo ab",
		"RUN apt-get update &&     apt-get install -y curl",
		"ENV PATH /usr/bin:/bin",
	}, lab11Lines(t, "RUN echo a\\\nb\n"+
		"RUN apt-get update && \\  \n# why curl: the tests need it\n    apt-get install -y curl\n"+
		"ENV PATH \\\n/usr/bin:/bin\n"),
		"the backslash, the spaces after it and the newline are removed; a comment line between two halves is dropped first")
}

// A Dockerfile written on Windows ends its lines with \r\n.
func TestCh11DockerfileLines_CRLF(t *testing.T) {
	assert.Equal(t, []string{"FROM busybox", "RUN echo a b"},
		lab11Lines(t, "FROM busybox\r\n# comment\r\nRUN echo a \\\r\nb\r\n"),
		"\\r is white space: trimmed at the end of a line, and allowed between a backslash and the newline")
}

// An instruction longer than MaxDockerfileLine (continuations joined) is
// refused before any step runs.
func TestCh11DockerfileLines_TooLong(t *testing.T) {
	old := MaxDockerfileLine
	MaxDockerfileLine = 40
	t.Cleanup(func() { MaxDockerfileLine = old })
	_, err := dockerfileLines([]byte("FROM busybox\nRUN echo " + strings.Repeat("x", 20) + " \\\n" + strings.Repeat("y", 20) + "\n"))
	require.Error(t, err, "a joined line of more than MaxDockerfileLine bytes is an error")
	assert.Contains(t, err.Error(), "more than the limit of 40", "the error names the limit")
	lines, err := dockerfileLines([]byte("RUN " + strings.Repeat("z", 36)))
	require.NoError(t, err, "exactly MaxDockerfileLine bytes is allowed")
	assert.Len(t, lines, 1)
}
