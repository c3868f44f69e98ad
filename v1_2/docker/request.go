// A minimal client: GET one path from a daemon, for the walkthroughs,
// the chapter demos and `dockerlab v1.2 request`.
//
// Not upstream: the smallest thing that can knock on the daemon's door —
// one GET, the raw body printed — so a walkthrough can show the wire
// format itself.
// Book: ch.2 (Docker 1.2's real client is v1_2/api/client, `dockerlab v1.2
// COMMAND`).
package docker

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"strings"
	"time"
)

// Get sends GET path to the daemon at host (a -H value; "" is the
// default socket) and returns the body. With wait, a daemon that is not
// listening yet is retried for that long. Non-2xx answers are errors.
func Get(host, path string, wait time.Duration) (string, error) {
	addr, err := ValidateHost(host)
	if err != nil {
		return "", err
	}
	proto, target, _ := strings.Cut(addr, "://")
	if proto != "unix" && proto != "tcp" {
		return "", fmt.Errorf("request: %s is not supported, use unix:// or tcp://", proto)
	}
	client := &http.Client{Transport: &http.Transport{
		DialContext: func(ctx context.Context, _, _ string) (net.Conn, error) {
			var d net.Dialer
			return d.DialContext(ctx, proto, target)
		},
	}}
	if !strings.HasPrefix(path, "/") {
		path = "/" + path
	}
	deadline := time.Now().Add(wait)
	for {
		resp, err := client.Get("http://docker" + path)
		if err != nil {
			if time.Now().Before(deadline) && daemonNotUpYet(err) {
				time.Sleep(50 * time.Millisecond)
				continue
			}
			return "", fmt.Errorf("request %s: %w", addr, err)
		}
		body, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil {
			return "", err
		}
		if resp.StatusCode/100 != 2 {
			return "", fmt.Errorf("GET %s: %s: %s", path, resp.Status, strings.TrimSpace(string(body)))
		}
		return string(body), nil
	}
}

// daemonNotUpYet: the socket is not there, or nobody listens on it yet.
func daemonNotUpYet(err error) bool {
	return errors.Is(err, os.ErrNotExist) || strings.Contains(err.Error(), "connection refused") ||
		strings.Contains(err.Error(), "no such file")
}
