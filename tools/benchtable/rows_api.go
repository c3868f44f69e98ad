// Rows: the Remote API over the daemon's unix socket (issue #6 item 6;
// book ch.5 Docker Server: the router, then a job per request).
//
//   - GET /_ping: dockerlab's v1.2 daemon against a bare net/http server
//     answering "OK" on a unix socket in this process, in the same run.
//     The ratio is what the router, the version prefix, the logging
//     middleware and the engine's job add to one request.
//   - GET /containers/json: requests per second with nothing running
//     (the `containers` job and the JSON of an empty list), then with
//     all=1 over 1,000 stopped containers.
//   - `docker ps -a` over the same 1,000 containers with the stock CLI,
//     end to end (the CLI's start-up, version negotiation, the request,
//     its table).
package main

import (
	"bytes"
	"fmt"
	"net"
	"net/http"
	"os"
	"path/filepath"
)

const (
	pingOps     = 1000
	listOps     = 200
	listAllOps  = 10
	bareRef     = "GET /_ping: bare net/http server (unix socket)"
	listAllRef  = "GET /containers/json?all=1: 1,000 containers"
	apiListSize = 1000
)

func apiRows(cfg config) []row {
	const group = "Remote API over the unix socket"
	// Not root: the daemon runs on the fake backend, and these rows say
	// so in the notes under the table.
	skip := func() string { return procSkipAnyBackend(cfg) }
	listSkip := func() string {
		if why := skip(); why != "" {
			return why
		}
		d, _ := sharedProcDaemon(cfg)
		return d.routeSkip("/v1.14/containers/json")
	}
	requests := func(path string, ops int) func() (func() error, func(), error) {
		return func() (func() error, func(), error) {
			d, err := sharedProcDaemon(cfg)
			if err != nil {
				return nil, nil, err
			}
			return func() error {
				for i := 0; i < ops; i++ {
					if err := d.api.get(path); err != nil {
						return err
					}
				}
				return nil
			}, nil, nil
		}
	}
	note := func() string {
		if procD != nil && procD.backend == "fake" {
			return "the daemon ran on the fake backend (not root)"
		}
		return ""
	}
	rows := []row{
		{
			Group: group,
			Name:  bareRef,
			Key:   "bare",
			Ops:   pingOps,
			Rate:  true,
			Prepare: func() (func() error, func(), error) {
				sock, stop, err := bareServer()
				if err != nil {
					return nil, nil, err
				}
				c := newAPIClient(sock)
				return func() error {
					for i := 0; i < pingOps; i++ {
						if err := c.get("/_ping"); err != nil {
							return err
						}
					}
					return nil
				}, stop, nil
			},
		},
		{
			Group:     group,
			Name:      "GET /_ping: dockerlab v1.2 daemon",
			Reference: bareRef,
			Ops:       pingOps,
			Rate:      true,
			Skip:      skip,
			Prepare:   requests("/_ping", pingOps),
		},
		{
			Group:     group,
			Name:      "GET /containers/json: none running",
			Reference: bareRef,
			Ops:       listOps,
			Rate:      true,
			Skip:      listSkip,
			Prepare:   requests("/v1.14/containers/json", listOps),
		},
		{
			Group:     group,
			Name:      listAllRef,
			Key:       "API all=1",
			Reference: bareRef,
			Also:      []string{listJobRef},
			Ops:       listAllOps,
			Rate:      true,
			Skip:      listSkip,
			Prepare: func() (func() error, func(), error) {
				d, err := sharedProcDaemon(cfg)
				if err != nil {
					return nil, nil, err
				}
				if err := d.ensureCreated(apiListSize); err != nil {
					return nil, nil, err
				}
				return requests("/v1.14/containers/json?all=1", listAllOps)()
			},
		},
		{
			Group:     group,
			Name:      "docker ps -a (stock CLI): 1,000 containers, end to end",
			Reference: listAllRef,
			Skip: func() string {
				if why := dockerCLIMissing(); why != "" {
					return why
				}
				return listSkip()
			},
			Prepare: func() (func() error, func(), error) {
				d, err := sharedProcDaemon(cfg)
				if err != nil {
					return nil, nil, err
				}
				if err := d.ensureCreated(apiListSize); err != nil {
					return nil, nil, err
				}
				return func() error {
					out, err := dockerCLI(d.sock, "ps", "-a")
					if err != nil {
						return fmt.Errorf("docker ps -a: %v: %s", err, bytes.TrimSpace(out))
					}
					if lines := bytes.Count(out, []byte("\n")); lines < apiListSize+1 {
						return fmt.Errorf("docker ps -a printed %d lines, want %d containers and a heading", lines, apiListSize)
					}
					return nil
				}, nil, nil
			},
		},
	}
	for i := range rows[1:] {
		rows[i+1].Note = note
	}
	return rows
}

// bareServer serves GET /_ping with "OK" on a unix socket in a temporary
// directory: the least an HTTP server over a unix socket can do.
func bareServer() (string, func(), error) {
	dir, err := os.MkdirTemp(benchTmp, "dockerlab-bench-bare-")
	if err != nil {
		return "", nil, err
	}
	sock := filepath.Join(dir, "bare.sock")
	l, err := net.Listen("unix", sock)
	if err != nil {
		os.RemoveAll(dir)
		return "", nil, err
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /_ping", func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte("OK"))
	})
	srv := &http.Server{Handler: mux}
	go srv.Serve(l)
	return sock, func() { srv.Close(); os.RemoveAll(dir) }, nil
}
