// Rows: `docker run --rm busybox true` with the stock docker CLI, against
// dockerlab's v1.2 daemon (proc_daemon.go) and against a real Docker
// engine (dockerd.go) measured in the same run (issue #5 item 8). The
// whole trip a user waits for: the CLI's create, attach, start and wait
// requests (book ch.2 §2.4), the daemon's jobs, the container, the rm.
// Target: dockerlab at most half of the real engine's time.
package main

import (
	"bytes"
	"fmt"
)

const realRunRef = "docker run --rm busybox true: real Docker engine (dockerd 20.10, containerd, runc)"

func cliRows(cfg config) []row {
	const group = "stock docker CLI: docker run --rm busybox true"
	run := func(sock string) error {
		out, err := dockerCLI(sock, "run", "--rm", "busybox", "true")
		if err != nil {
			return fmt.Errorf("docker run: %v: %s", err, bytes.TrimSpace(out))
		}
		return nil
	}
	return []row{
		{
			Group: group,
			Name:  realRunRef,
			Key:   "real engine",
			Skip:  func() string { return realEngineSkip(cfg) },
			Prepare: func() (func() error, func(), error) {
				e, err := sharedRealEngine(cfg)
				if err != nil {
					return nil, nil, err
				}
				// Stopped as soon as its row is done, so it does not share the
				// machine with the rows after it.
				return func() error { return run(e.sock) }, e.stop, nil
			},
		},
		{
			Group:     group,
			Name:      "docker run --rm busybox true: dockerlab v1.2 daemon (linux backend)",
			Reference: realRunRef,
			Target:    "≤ 0.5x real engine",
			Max:       0.5,
			Skip: func() string {
				if why := dockerCLIMissing(); why != "" {
					return why
				}
				return procSkip(cfg)
			},
			Prepare: func() (func() error, func(), error) {
				d, err := sharedProcDaemon(cfg)
				if err != nil {
					return nil, nil, err
				}
				return func() error { return run(d.sock) }, nil, nil
			},
		},
	}
}
