// A small Remote API client over a unix socket, for the rows that talk to
// a daemon the way the docker CLI does (book ch.2 §2.3: the client sends
// an HTTP request to the daemon's socket; ch.5 the server routes it).
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"time"
)

// apiClient sends requests to the daemon listening on sock.
type apiClient struct {
	sock string
	http *http.Client
}

func newAPIClient(sock string) *apiClient {
	return &apiClient{sock: sock, http: &http.Client{
		Timeout: 2 * time.Minute,
		Transport: &http.Transport{
			DialContext: func(ctx context.Context, _, _ string) (net.Conn, error) {
				var d net.Dialer
				return d.DialContext(ctx, "unix", sock)
			},
			// Keep-alive, as the docker CLI's client does: the rows time
			// requests, not connection set-up.
			MaxIdleConnsPerHost: 4,
		},
	}}
}

// do sends one request and returns the status and the body.
func (c *apiClient) do(method, path string, body io.Reader, contentType string) (int, []byte, error) {
	req, err := http.NewRequest(method, "http://docker"+path, body)
	if err != nil {
		return 0, nil, err
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	return resp.StatusCode, data, err
}

// expect sends a request and fails unless the status is want.
func (c *apiClient) expect(want int, method, path string, body io.Reader, contentType string) ([]byte, error) {
	code, data, err := c.do(method, path, body, contentType)
	if err != nil {
		return nil, fmt.Errorf("%s %s: %w", method, path, err)
	}
	if code != want {
		return nil, fmt.Errorf("%s %s: status %d (want %d): %s", method, path, code, want,
			strings.TrimSpace(string(data)))
	}
	return data, nil
}

// get is GET path, expecting 200; the body is read and thrown away.
func (c *apiClient) get(path string) error {
	_, err := c.expect(http.StatusOK, "GET", path, nil, "")
	return err
}

// createContainer is POST /containers/create; config is the request body.
func (c *apiClient) createContainer(config any) (string, error) {
	body, err := json.Marshal(config)
	if err != nil {
		return "", err
	}
	data, err := c.expect(http.StatusCreated, "POST", "/v1.14/containers/create", bytes.NewReader(body), "application/json")
	if err != nil {
		return "", err
	}
	var answer struct{ Id string }
	if err := json.Unmarshal(data, &answer); err != nil || answer.Id == "" {
		return "", fmt.Errorf("create answered %q: no Id", strings.TrimSpace(string(data)))
	}
	return answer.Id, nil
}

// startContainer is POST /containers/<id>/start with hostConfig as the
// body, as Docker 1.2's client sent it.
func (c *apiClient) startContainer(id string, hostConfig any) error {
	body, err := json.Marshal(hostConfig)
	if err != nil {
		return err
	}
	_, err = c.expect(http.StatusNoContent, "POST", "/v1.14/containers/"+id+"/start", bytes.NewReader(body), "application/json")
	return err
}
