// Row: the `containers` job over 1,000 containers (issue #5 item 8; book
// ch.12's containers as `docker ps -a` lists them: upstream
// daemon/list.go). The containers are created and never started, in the
// in-process daemon of jobs_daemon.go; the job walks them all (all=1),
// as `docker ps -a` asks.
package main

import "fmt"

const (
	listContainers = 1000
	listJobRef     = "containers (all=1) over 1,000 containers, in process"
)

func listRow(cfg config) row {
	return row{
		Group: "v1.2 containers job",
		Name:  listJobRef,
		Key:   "containers job",
		Skip: func() string {
			why := jobsSkip(cfg, "import", "create", "containers")
			if why != "" && jobsD != nil {
				// This row would have stopped it after running.
				jobsD.close()
			}
			return why
		},
		Prepare: func() (func() error, func(), error) {
			d, err := sharedJobsDaemon(cfg)
			if err != nil {
				return nil, nil, err
			}
			if err := d.ensureCreated(listContainers); err != nil {
				return nil, nil, fmt.Errorf("creating the containers to list: %w", err)
			}
			// The in-process daemon's last row: it goes when this row is
			// done, so it does not share the machine with the rows after.
			return func() error {
				_, err := d.list()
				return err
			}, d.close, nil
		},
	}
}
