// Package api holds what the Remote API's server and client share: the
// API version, the default addresses, and two helpers.
//
// Upstream: api/common.go at v1.2.0. See docs/upstream/v1.2.0.md §6.1.
// Book: ch.5 §5.4 (the router compares a request's version with APIVERSION)
// and ch.2 (the client always calls "/v"+APIVERSION+path).
package api

import (
	"fmt"
	"mime"
	"strings"

	"github.com/dockerlab/dockerlab/v1_2/dockerversion"
	"github.com/dockerlab/dockerlab/v1_2/engine"
	"github.com/dockerlab/dockerlab/v1_2/pkg/version"
)

const (
	// APIVERSION is the Remote API version Docker 1.2.0 speaks.
	APIVERSION version.Version = dockerversion.APIVERSION
	// DEFAULTHTTPHOST is where "-H :port" listens.
	DEFAULTHTTPHOST = "127.0.0.1"
	// DEFAULTUNIXSOCKET is upstream's socket. dockerlab's daemon does not
	// use it by default (a real Docker may own it): see
	// v1_2/docker.DefaultUnixSocket.
	DEFAULTUNIXSOCKET = "/var/run/docker.sock"
)

// MatchesContentType reports whether contentType (parameters such as
// "; charset=utf-8" allowed) names expectedType.
func MatchesContentType(contentType, expectedType string) bool {
	mimetype, _, err := mime.ParseMediaType(contentType)
	return err == nil && mimetype == expectedType
}

// DisplayablePorts renders a container's port table the way API < 1.5
// listed it: "0.0.0.0:49153->80/tcp, 443/tcp", sorted by public port.
func DisplayablePorts(ports *engine.Table) string {
	var result []string
	ports.SetKey("PublicPort")
	ports.Sort()
	for _, port := range ports.Data {
		if port.Get("IP") == "" {
			result = append(result, fmt.Sprintf("%d/%s", port.GetInt("PrivatePort"), port.Get("Type")))
		} else {
			result = append(result, fmt.Sprintf("%s:%d->%d/%s", port.Get("IP"), port.GetInt("PublicPort"), port.GetInt("PrivatePort"), port.Get("Type")))
		}
	}
	return strings.Join(result, ", ")
}
