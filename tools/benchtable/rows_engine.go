// Rows: dispatching a job through the v1.2 engine (book ch.2 §2.2 "engine与
// job", ch.4 eng.Job(...).Run()). Reference: the same work — set two
// variables, print a line — as a plain Go function call. The ratio is what
// the job abstraction (lookup by name, Env, Output fan-out, status) costs.
package main

import (
	"fmt"
	"io"

	"github.com/dockerlab/dockerlab/v1_2/engine"
)

const (
	jobOps       = 10000
	plainCallRef = "plain Go call: set 2 vars, print a line"
)

func engineRows() []row {
	const group = "v1.2 engine: job dispatch"
	return []row{
		{
			Group: group,
			Name:  plainCallRef,
			Key:   "plain call",
			Ops:   jobOps,
			Mem:   true,
			Prepare: func() (func() error, func(), error) {
				return func() error {
					for i := 0; i < jobOps; i++ {
						env := map[string]string{}
						plainHandler(env, io.Discard, "world")
					}
					return nil
				}, nil, nil
			},
		},
		{
			Group:     group,
			Name:      "eng.Job(\"hello\", arg).Run(): handler Setenv + Printf",
			Reference: plainCallRef,
			Ops:       jobOps,
			Mem:       true,
			Prepare: func() (func() error, func(), error) {
				eng := engine.New()
				eng.Logging = false // no "+job" lines on the benchmark's stderr
				if err := eng.Register("hello", func(job *engine.Job) engine.Status {
					job.Setenv("Greeting", "hello")
					job.SetenvBool("Polite", true)
					job.Printf("hello %s\n", job.Args[0])
					return engine.StatusOK
				}); err != nil {
					return nil, nil, err
				}
				return func() error {
					for i := 0; i < jobOps; i++ {
						if err := eng.Job("hello", "world").Run(); err != nil {
							return err
						}
					}
					return nil
				}, nil, nil
			},
		},
	}
}

// plainHandler is the job's handler without the engine.
//
//go:noinline
func plainHandler(env map[string]string, out io.Writer, arg string) {
	env["Greeting"] = "hello"
	env["Polite"] = "1"
	fmt.Fprintf(out, "hello %s\n", arg)
}
