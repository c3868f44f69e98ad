// Rows: `dockerlab lab check` of one exercise with a warm build cache
// (docs/teaching.md: a student runs it after every edit, so it must take
// seconds). The exercise is ch06.setup-iptables, whose package pulls in
// the most code of the first exercises. Reference: `go test` of the same
// tests alone, the least the go command can do; the check adds its static
// stage and go vet. Target: at most 15 s on the 2-core CI machine.
package main

import (
	"fmt"
	"os/exec"
	"time"
)

const (
	labExercise = "ch06.setup-iptables"
	labGoTest   = "go test -count=1 of ch06.setup-iptables's tests, warm cache"
)

func labRows(cfg config) []row {
	const group = "dockerlab lab: checking one exercise"
	run := func(name string, args ...string) func() (func() error, func(), error) {
		return func() (func() error, func(), error) {
			return func() error {
				out, err := exec.Command(name, args...).CombinedOutput()
				if err != nil {
					return fmt.Errorf("%s %v: %v\n%s", name, args, err, out)
				}
				return nil
			}, nil, nil
		}
	}
	return []row{
		{
			Group:   group,
			Name:    labGoTest,
			Key:     "go test",
			Prepare: run("go", "test", "-trimpath", "-count=1", "-run", "^TestCh06SetupIptables(_.*)?$", "./v1_2/daemon/networkdriver/bridge"),
		},
		{
			Group:     group,
			Name:      "dockerlab lab check " + labExercise + ", warm cache",
			Reference: labGoTest,
			Target:    "≤ 15 s",
			MaxTime:   15 * time.Second,
			Skip: func() string {
				if _, err := exec.LookPath(cfg.Dockerlab); err != nil {
					return fmt.Sprintf("%s not found (make build)", cfg.Dockerlab)
				}
				return ""
			},
			Prepare: run(cfg.Dockerlab, "lab", "-C", ".", "check", labExercise),
		},
	}
}
