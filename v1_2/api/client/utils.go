// Talking HTTP to the daemon: call (one request, the body back), stream
// (a body copied to the terminal), and the small helpers the commands
// share (wait, exit code, tty size).
//
// Upstream: api/client/utils.go at v1.2.0 (HTTPClient, call, stream,
// streamHelper, resizeTty, waitForExit, getExitCode, monitorTtySize,
// getTtySize, readBody). See docs/upstream/v1.2.0.md §6.1: every path is sent
// as "/v1.14"+path with User-Agent Docker-Client/1.2.0.
// Book: ch.2 §2.3 (the request CmdXxx sends).
package client

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/signal"
	"strconv"
	"strings"

	"golang.org/x/term"

	"github.com/dockerlab/dockerlab/v1_2/api"
	"github.com/dockerlab/dockerlab/v1_2/dockerversion"
	"github.com/dockerlab/dockerlab/v1_2/engine"
	"github.com/dockerlab/dockerlab/v1_2/pkg/stdcopy"
)

// APIVersion is the Remote API version Docker 1.2 spoke (api/common.go).
const APIVersion = api.APIVERSION

// userAgent lets the daemon's makeHttpHandler compare versions.
var userAgent = "Docker-Client/" + dockerversion.VERSION

// ErrConnectionRefused is upstream's answer when no daemon listens.
var ErrConnectionRefused = errors.New("Cannot connect to the Docker daemon. Is 'docker -d' running on this host?")

// HTTPClient dials the daemon's -H address whatever host the URL names,
// so a unix socket works like a TCP port.
func (cli *DockerCli) HTTPClient() *http.Client {
	tr := &http.Transport{
		TLSClientConfig: cli.tlsConfig,
		DialContext: func(ctx context.Context, _, _ string) (net.Conn, error) {
			var d net.Dialer
			return d.DialContext(ctx, cli.proto, cli.addr)
		},
	}
	if cli.trace != nil {
		return &http.Client{Transport: tracingTransport{cli, tr}}
	}
	return &http.Client{Transport: tr}
}

// urlHost is the host part of request URLs. Upstream used cli.addr, a
// socket path for unix; Go refuses a path as the Host header, so the unix
// socket is called "docker" here (the dialer ignores it anyway).
func (cli *DockerCli) urlHost() string {
	if cli.proto == "unix" {
		return "docker"
	}
	return cli.addr
}

// newRequest builds METHOD /v1.14PATH with the client's User-Agent.
func (cli *DockerCli) newRequest(method, path string, body io.Reader) (*http.Request, error) {
	req, err := http.NewRequest(method, fmt.Sprintf("%s://%s/v%s%s", cli.scheme, cli.urlHost(), APIVersion, path), body)
	if err != nil {
		return nil, err
	}
	req.Header.Set("User-Agent", userAgent)
	return req, nil
}

// call sends one request. data, if not nil, is sent as JSON (an
// engine.Env in its own encoding). Statuses from 400 on become errors
// carrying the daemon's message; the status code comes back either way
// (run looks for 404: no such image).
func (cli *DockerCli) call(method, path string, data any, passAuthInfo bool) (io.ReadCloser, int, error) {
	params := bytes.NewBuffer(nil)
	if data != nil {
		if env, ok := data.(engine.Env); ok {
			if err := env.Encode(params); err != nil {
				return nil, -1, err
			}
		} else {
			buf, err := json.Marshal(data)
			if err != nil {
				return nil, -1, err
			}
			params.Write(buf)
		}
	}
	req, err := cli.newRequest(method, path, params)
	if err != nil {
		return nil, -1, err
	}
	// passAuthInfo sends the index's saved account (search).
	if passAuthInfo {
		buf, err := json.Marshal(cli.loadConfigFile().ResolveAuthConfig(""))
		if err != nil {
			return nil, -1, err
		}
		req.Header.Set("X-Registry-Auth", base64.URLEncoding.EncodeToString(buf))
	}
	if data != nil {
		req.Header.Set("Content-Type", "application/json")
	} else if method == "POST" {
		req.Header.Set("Content-Type", "plain/text")
	}
	resp, err := cli.HTTPClient().Do(req)
	if err != nil {
		return nil, -1, dialError(err)
	}
	if resp.StatusCode < 200 || resp.StatusCode >= 400 {
		body, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil {
			return nil, -1, err
		}
		if len(body) == 0 {
			return nil, resp.StatusCode, fmt.Errorf("Error: request returned %s for API route and version %s, check if the server supports the requested API version", http.StatusText(resp.StatusCode), req.URL)
		}
		return nil, resp.StatusCode, fmt.Errorf("Error response from daemon: %s", bytes.TrimSpace(body))
	}
	return resp.Body, resp.StatusCode, nil
}

// dialError turns "connection refused" (and a missing socket) into
// upstream's message.
func dialError(err error) error {
	if strings.Contains(err.Error(), "connection refused") || errors.Is(err, os.ErrNotExist) ||
		strings.Contains(err.Error(), "no such file or directory") {
		return ErrConnectionRefused
	}
	return err
}

// stream sends in as the body and copies the answer to out.
func (cli *DockerCli) stream(method, path string, in io.Reader, out io.Writer, headers map[string][]string) error {
	return cli.streamHelper(method, path, true, in, out, nil, headers)
}

// streamHelper copies the answer: JSON progress messages are printed one
// per line; a raw body is copied as it is (tty) or split into stdout and
// stderr from its 8-byte frame headers (no tty).
func (cli *DockerCli) streamHelper(method, path string, setRawTerminal bool, in io.Reader, stdout, stderr io.Writer, headers map[string][]string) error {
	if (method == "POST" || method == "PUT") && in == nil {
		in = bytes.NewReader(nil)
	}
	req, err := cli.newRequest(method, path, in)
	if err != nil {
		return err
	}
	if method == "POST" {
		req.Header.Set("Content-Type", "plain/text")
	}
	for k, v := range headers {
		req.Header[k] = v
	}
	resp, err := cli.HTTPClient().Do(req)
	if err != nil {
		return dialError(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode < 200 || resp.StatusCode >= 400 {
		body, err := io.ReadAll(resp.Body)
		if err != nil {
			return err
		}
		if len(body) == 0 {
			return fmt.Errorf("Error :%s", http.StatusText(resp.StatusCode))
		}
		return fmt.Errorf("Error: %s", bytes.TrimSpace(body))
	}
	if api.MatchesContentType(resp.Header.Get("Content-Type"), "application/json") {
		return displayJSONMessagesStream(resp.Body, stdout, cli.isTerminal)
	}
	if stdout == nil && stderr == nil {
		return nil
	}
	if setRawTerminal {
		_, err = io.Copy(stdout, resp.Body)
	} else {
		_, err = stdcopy.StdCopy(stdout, stderr, resp.Body)
	}
	return err
}

// readBody reads a whole answer of call (and closes it).
func readBody(stream io.ReadCloser, statusCode int, err error) ([]byte, int, error) {
	if stream != nil {
		defer stream.Close()
	}
	if err != nil {
		return nil, statusCode, err
	}
	body, err := io.ReadAll(stream)
	if err != nil {
		return nil, -1, err
	}
	return body, statusCode, nil
}

// decodeEnv reads one JSON object answer into an engine.Env.
func decodeEnv(stream io.ReadCloser, _ int, err error) (*engine.Env, error) {
	if err != nil {
		return nil, err
	}
	defer stream.Close()
	env := &engine.Env{}
	if err := env.Decode(stream); err != nil {
		return nil, err
	}
	return env, nil
}

// waitForExit blocks on POST /containers/ID/wait: {"StatusCode": n}.
func waitForExit(cli *DockerCli, containerID string) (int, error) {
	env, err := decodeEnv(cli.call("POST", "/containers/"+containerID+"/wait", nil, false))
	if err != nil {
		return -1, err
	}
	return env.GetInt("StatusCode"), nil
}

// getExitCode inspects the container: is it running, and its exit code.
// A daemon that went away counts as "not running, -1".
func getExitCode(cli *DockerCli, containerID string) (bool, int, error) {
	env, err := decodeEnv(cli.call("GET", "/containers/"+containerID+"/json", nil, false))
	if err != nil {
		if !errors.Is(err, ErrConnectionRefused) {
			return false, -1, err
		}
		return false, -1, nil
	}
	state := env.GetSubEnv("State")
	return state.GetBool("Running"), state.GetInt("ExitCode"), nil
}

// resizeTty tells the daemon the terminal's size (POST .../resize?h=&w=).
func (cli *DockerCli) resizeTty(id string) {
	height, width := cli.getTtySize()
	if height == 0 && width == 0 {
		return
	}
	v := url.Values{}
	v.Set("h", strconv.Itoa(height))
	v.Set("w", strconv.Itoa(width))
	readBody(cli.call("POST", "/containers/"+id+"/resize?"+v.Encode(), nil, false))
}

// monitorTtySize sends the size now and again on every SIGWINCH; the
// returned func stops watching.
func (cli *DockerCli) monitorTtySize(id string) func() {
	cli.resizeTty(id)
	sigchan := make(chan os.Signal, 1)
	signal.Notify(sigchan, winchSignals...)
	go func() {
		for range sigchan {
			cli.resizeTty(id)
		}
	}()
	return func() { signal.Stop(sigchan); close(sigchan) }
}

// getTtySize is the terminal's rows and columns, 0, 0 off a terminal.
func (cli *DockerCli) getTtySize() (int, int) {
	if !cli.isTerminal {
		return 0, 0
	}
	width, height, err := term.GetSize(int(cli.terminalFd))
	if err != nil {
		return 0, 0
	}
	return height, width
}
