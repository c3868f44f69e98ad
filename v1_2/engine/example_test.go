// Example for readers of book ch.3 §3.3 and ch.6 §6.4: how mainDaemon hands
// its network configuration to the "init_networkdriver" job through the env.
package engine_test

import (
	"fmt"
	"io"

	"github.com/dockerlab/dockerlab/v1_2/engine"
)

func Example() {
	eng := engine.New()
	eng.Logging = false // no "+job"/"-job" lines in the example output

	// What the bridge driver's InitDriver does with the job it receives.
	eng.Register("init_networkdriver", func(job *engine.Job) engine.Status {
		if !job.GetenvBool("EnableIptables") {
			return job.Errorf("iptables disabled")
		}
		job.Printf("bridge %s, icc %v\n", job.Getenv("BridgeIface"), job.GetenvBool("InterContainerCommunication"))
		return engine.StatusOK
	})

	// What mainDaemon does (docker/daemon.go at v1.2.0).
	job := eng.Job("init_networkdriver")
	job.SetenvBool("EnableIptables", true)
	job.SetenvBool("InterContainerCommunication", true)
	job.Setenv("BridgeIface", "docker0")
	// Run closes every destination that has a Close method when the job
	// ends; wrap os.Stdout so the job cannot close it (upstream code uses
	// utils.NopWriteCloser for the same reason).
	job.Stdout.Add(keepOpen{eng.Stdout})
	if err := job.Run(); err != nil {
		fmt.Println("error:", err)
	}

	fmt.Println(eng.Job("nosuchjob").Run())
	// Output:
	// bridge docker0, icc true
	// nosuchjob: command not found
}

// keepOpen hides the Close method of the writer it wraps.
type keepOpen struct{ io.Writer }
