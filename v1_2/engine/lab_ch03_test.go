// Tests of the exercise ch03.job-run (the heart of Job.Run: call the
// handler, wait for the outputs, turn the status into an error):
// `dockerlab lab check ch03.job-run`, or
// `go test ./v1_2/engine -run TestCh03JobRun`.
package engine

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Run calls the handler once and reports its status: OK is no error.
func TestCh03JobRun(t *testing.T) {
	eng, _ := quietEngine()
	calls := 0
	require.NoError(t, eng.Register("hello", func(job *Job) Status {
		calls++
		job.Printf("hello %s\n", job.Args[0])
		return StatusOK
	}))
	job := eng.Job("hello", "world")
	var out strings.Builder
	job.Stdout.Add(&out)
	require.NoError(t, job.Run())
	assert.Equal(t, 1, calls, "the handler runs exactly once")
	assert.Equal(t, "hello world\n", out.String())
	assert.Equal(t, 0, job.StatusCode())
	assert.Equal(t, " = OK (0)", job.StatusString(), "a job that ran has an end, so its status shows")
}

// A failed job's error is the last line it wrote to stderr, as a shell
// shows the last words of a failed command.
func TestCh03JobRun_ErrorIsLastStderrLine(t *testing.T) {
	eng, _ := quietEngine()
	require.NoError(t, eng.Register("fail", func(job *Job) Status {
		job.Errorf("pulling the image")
		return job.Errorf("no such image: %s", job.Args[0])
	}))
	job := eng.Job("fail", "busybox")
	require.EqualError(t, job.Run(), "no such image: busybox")
	assert.Equal(t, 1, job.StatusCode())
	assert.Equal(t, " = ERR (1)", job.StatusString())

	require.NoError(t, eng.Register("quiet", func(*Job) Status { return 3 }))
	err := eng.Job("quiet").Run()
	require.Error(t, err, "a non-zero status is an error even with nothing on stderr")
	assert.Equal(t, "", err.Error())
}

// A job nobody registered is "command not found", status 127, and since
// it never ran it has no end.
func TestCh03JobRun_NotFound(t *testing.T) {
	eng, _ := quietEngine()
	job := eng.Job("nosuchjob")
	require.EqualError(t, job.Run(), "nosuchjob: command not found")
	assert.Equal(t, int(StatusNotFound), job.StatusCode())
	assert.Equal(t, "", job.StatusString())
}

// Run returns only when whoever reads the job's output has finished: a
// handler's env sent on stdout is decoded by the time Run returns.
func TestCh03JobRun_WaitsForOutputs(t *testing.T) {
	eng, _ := quietEngine()
	require.NoError(t, eng.Register("info", func(job *Job) Status {
		env := &Env{}
		env.Set("Containers", "3")
		env.SetBool("IPv4Forwarding", true)
		if _, err := env.WriteTo(job.Stdout); err != nil {
			return job.Error(err)
		}
		return StatusOK
	}))
	job := eng.Job("info")
	info, err := job.Stdout.AddEnv()
	require.NoError(t, err)
	require.NoError(t, job.Run())
	assert.Equal(t, 3, info.GetInt("Containers"), "Run closes stdout, which waits for AddEnv's decoder")
	assert.True(t, info.GetBool("IPv4Forwarding"))
}

// A job runs once; the engine's log shows its start and its status.
func TestCh03JobRun_OnceAndLogged(t *testing.T) {
	eng, log := quietEngine()
	require.NoError(t, eng.Register("once", func(*Job) Status { return StatusOK }))
	job := eng.Job("once", "a")
	require.NoError(t, job.Run())
	require.EqualError(t, job.Run(), "once: job has already completed")
	assert.Contains(t, log.String(), "+job once(a)")
	assert.Contains(t, log.String(), "-job once(a) = OK (0)")
}
