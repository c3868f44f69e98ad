// Rows: the resident memory of dockerlab's v1.2 daemon process (issue #5
// item 8), read from /proc/PID/status (VmRSS): right after it started
// and imported busybox, and with 100 containers running `sleep`, each
// publishing port 80 (`-p 80`). Each published port has a userland proxy,
// a docker-proxy process of its own (book ch.7 §7.4; upstream
// daemon/networkdriver/portmapper/proxy.go): their memory is summed on a
// row of its own, not counted as the daemon's. By then the daemon also
// holds the 1,000 stopped containers of the API rows.
// Target: the daemon under 100 MiB with 100 containers.
package main

import (
	"fmt"
)

const runningContainers = 100

func memoryRows(cfg config) []row {
	const group = "v1.2 daemon memory (RSS)"
	skip := func() string { return procSkip(cfg) }
	prepare100 := func() (func() error, func(), error) {
		d, err := sharedProcDaemon(cfg)
		if err != nil {
			return nil, nil, err
		}
		// The 1,000 stopped containers of the API rows are there whether
		// or not those rows ran, so the row's name holds.
		if err := d.ensureCreated(apiListSize); err != nil {
			return nil, nil, err
		}
		if err := d.ensureRunning(runningContainers); err != nil {
			return nil, nil, err
		}
		return nil, nil, nil
	}
	return []row{
		{
			Group: group,
			Name:  "daemon RSS, idle (after start and import)",
			Skip:  skip,
			Prepare: func() (func() error, func(), error) {
				return nil, nil, nil
			},
			Size: func() (uint64, error) {
				d, err := sharedProcDaemon(cfg)
				if err != nil {
					return 0, err
				}
				if d.idleRSS == 0 {
					return 0, fmt.Errorf("the idle RSS was not read")
				}
				return d.idleRSS, nil
			},
		},
		{
			Group:   group,
			Name:    "daemon RSS, 100 containers running with -p 80 (+1,000 stopped)",
			Target:  "< 100 MiB",
			Max:     100 << 20,
			Skip:    skip,
			Prepare: prepare100,
			Size: func() (uint64, error) {
				d, err := sharedProcDaemon(cfg)
				if err != nil {
					return 0, err
				}
				return rssOf(d.cmd.Process.Pid)
			},
		},
		{
			Group:   group,
			Name:    "docker-proxy processes, one per published port (100), summed",
			Skip:    skip,
			Prepare: prepare100,
			Size: func() (uint64, error) {
				d, err := sharedProcDaemon(cfg)
				if err != nil {
					return 0, err
				}
				pids := childrenNamed(d.cmd.Process.Pid, "docker-proxy")
				if len(pids) != runningContainers {
					return 0, fmt.Errorf("%d docker-proxy children of the daemon (pid %d), want one per published port (%d)",
						len(pids), d.cmd.Process.Pid, runningContainers)
				}
				var sum uint64
				for _, pid := range pids {
					n, err := rssOf(pid)
					if err != nil {
						continue // it may have ended meanwhile
					}
					sum += n
				}
				return sum, nil
			},
		},
	}
}
