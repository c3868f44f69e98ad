// --trace: one line per step of a command, numbered by the book's
// sections, so a reader can follow ch.2's path — getMethod, the request,
// the answer — while the daemon's own --trace and job log show the other
// side (chapter 2's demo puts them side by side).
//
// Not upstream: dockerlab's teaching aid.
// Book: ch.2 §2.3.
package client

import (
	"fmt"
	"io"
	"net/http"
)

// SetTrace makes the client print its steps on w (nil: silent).
func (cli *DockerCli) SetTrace(w io.Writer) { cli.trace = w }

// tracef prints "[trace] SECTION text" when tracing.
func (cli *DockerCli) tracef(section, format string, args ...any) {
	if cli.trace != nil {
		fmt.Fprintf(cli.trace, "[trace] %-5s %s\n", section, fmt.Sprintf(format, args...))
	}
}

// String describes the client as NewDockerCli made it.
func (cli *DockerCli) String() string {
	return fmt.Sprintf("DockerCli{proto: %s, addr: %s, scheme: %s, tls: %v, isTerminal: %v}",
		cli.proto, cli.addr, cli.scheme, cli.tlsConfig != nil, cli.isTerminal)
}

// tracingTransport prints each request and the status of its answer.
type tracingTransport struct {
	cli  *DockerCli
	next http.RoundTripper
}

func (t tracingTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	t.cli.tracef("2.3", "→ %s %s (User-Agent: %s)", req.Method, req.URL.RequestURI(), req.UserAgent())
	resp, err := t.next.RoundTrip(req)
	if err != nil {
		t.cli.tracef("2.3", "← error: %v", err)
		return nil, err
	}
	t.cli.tracef("2.3", "← %s (Content-Type: %s)", resp.Status, resp.Header.Get("Content-Type"))
	return resp, nil
}
