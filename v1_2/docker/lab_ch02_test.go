// Tests of the exercise ch02.validate-host (ValidateHost: what a -H value
// means): `dockerlab lab check ch02.validate-host`, or
// `go test ./v1_2/docker -run TestCh02ValidateHost`.
package docker

import (
	"io"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// labHost checks ValidateHost(in) == want.
func labHost(t *testing.T, in, want, why string) {
	t.Helper()
	got, err := ValidateHost(in)
	require.NoError(t, err, "ValidateHost(%q): %s", in, why)
	assert.Equal(t, want, got, "ValidateHost(%q): %s", in, why)
}

// The three protocols the book lists (tcp://host:port, unix://path,
// fd://), each written in full, come back as they are.
func TestCh02ValidateHost(t *testing.T) {
	labHost(t, "unix:///tmp/d.sock", "unix:///tmp/d.sock", "a unix socket's path is kept")
	labHost(t, "tcp://0.0.0.0:2375", "tcp://0.0.0.0:2375", "a tcp address with host and port is kept")
	labHost(t, "tcp://127.0.0.1:4243", "tcp://127.0.0.1:4243", "a tcp address with host and port is kept")
	labHost(t, "fd://", "fd://", "fd:// (socket activation) is passed on unchanged")
	labHost(t, "fd://3", "fd://3", "fd://N is passed on unchanged")
	labHost(t, "  tcp://10.0.0.1:2375\t", "tcp://10.0.0.1:2375", "spaces around the value are trimmed")
}

// What is left out is filled in: no value or no path is the default
// socket, no protocol is tcp, no host is 127.0.0.1 — a bare port never
// means every interface.
func TestCh02ValidateHost_Defaults(t *testing.T) {
	labHost(t, "", "unix://"+DefaultUnixSocket(), "no value: the default socket")
	labHost(t, "unix://", "unix://"+DefaultUnixSocket(), "unix:// without a path: the default socket")
	labHost(t, ":6666", "tcp://127.0.0.1:6666", "a bare :port is tcp on 127.0.0.1 (DefaultHTTPHost), not on every interface")
	labHost(t, "tcp://:2375", "tcp://127.0.0.1:2375", "tcp:// without a host is 127.0.0.1 too")
	labHost(t, "192.168.1.5:4243", "tcp://192.168.1.5:4243", "host:port without a protocol is tcp")
}

// Anything else is refused, naming the value as it was typed.
func TestCh02ValidateHost_Invalid(t *testing.T) {
	for _, bad := range []string{
		"0.0.0.0",               // no port
		"tcp://127.0.0.1",       // no port
		"tcp://127.0.0.1:",      // an empty port
		"tcp://",                // nothing
		"udp://1.2.3.4:5",       // a protocol Docker does not speak
		"http://127.0.0.1:2375", // not a -H protocol either
	} {
		got, err := ValidateHost(bad)
		if assert.Error(t, err, "ValidateHost(%q) must fail, not give %q", bad, got) {
			assert.Equal(t, "Invalid bind address format: "+bad, err.Error())
		}
	}
}

// main's client half validates the host it chose — -H, else $DOCKER_HOST
// — and splits the result at "://" into the proto and addr NewDockerCli
// gets (--trace shows them).
func TestCh02ValidateHost_MainClient(t *testing.T) {
	var stderr strings.Builder
	streams := ClientStreams{In: io.NopCloser(strings.NewReader("")), Out: io.Discard, Err: &stderr}

	err := MainClient(&ClientFlags{Hosts: []string{"udp://127.0.0.1:1"}}, []string{"version"}, streams)
	assert.EqualError(t, err, "Invalid bind address format: udp://127.0.0.1:1", "a bad -H stops the client before it connects")

	t.Setenv("DOCKER_HOST", "localhost")
	err = MainClient(&ClientFlags{}, []string{"version"}, streams)
	assert.EqualError(t, err, "Invalid bind address format: localhost", "$DOCKER_HOST is validated like -H")

	// Port 1 of loopback: nothing listens there, so the client fails at
	// once after the trace line this test reads.
	t.Setenv("DOCKER_HOST", ":1")
	stderr.Reset()
	err = MainClient(&ClientFlags{Trace: true}, []string{"version"}, streams)
	assert.Error(t, err, "nothing listens on 127.0.0.1:1")
	assert.Contains(t, stderr.String(), `host tcp://127.0.0.1:1 ($DOCKER_HOST) → proto "tcp", addr "127.0.0.1:1"`)
}
