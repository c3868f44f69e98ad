// Tests for job.go: the behaviours upstream's engine/job_test.go (v1.2.0)
// checks, written anew for dockerlab.
package engine

import (
	"bytes"
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestJobStatuses(t *testing.T) {
	eng, _ := quietEngine()
	for _, status := range []Status{StatusOK, StatusErr, StatusNotFound, 3} {
		name := "return_" + string(rune('a'+int(status)%26))
		s := status
		require.NoError(t, eng.Register(name, func(*Job) Status { return s }))
		err := eng.Job(name).Run()
		if status == StatusOK {
			assert.NoError(t, err)
		} else {
			assert.Error(t, err, "status %d must be an error", status)
		}
	}
}

func TestJobErrorIsLastStderrLine(t *testing.T) {
	eng, _ := quietEngine()
	require.NoError(t, eng.Register("fail", func(job *Job) Status {
		job.Errorf("first line")
		return job.Errorf("the %s", "reason")
	}))
	require.EqualError(t, eng.Job("fail").Run(), "the reason")

	require.NoError(t, eng.Register("silentfail", func(*Job) Status { return StatusErr }))
	err := eng.Job("silentfail").Run()
	require.Error(t, err)
	assert.Equal(t, "", err.Error(), "no stderr means an error with an empty message")

	require.NoError(t, eng.Register("goerr", func(job *Job) Status {
		return job.Error(errors.New("boom"))
	}))
	require.EqualError(t, eng.Job("goerr").Run(), "boom")
}

func TestJobStdoutString(t *testing.T) {
	eng, _ := quietEngine()
	require.NoError(t, eng.Register("say_something_in_stdout", func(job *Job) Status {
		job.Printf("Hello world\n")
		return StatusOK
	}))
	job := eng.Job("say_something_in_stdout")
	var out bytes.Buffer
	job.Stdout.Add(&out)
	require.NoError(t, job.Run())
	assert.Equal(t, "Hello world", Tail(&out, 1))
}

func TestJobStderrWarningWithStatusOK(t *testing.T) {
	eng, _ := quietEngine()
	require.NoError(t, eng.Register("say_something_in_stderr", func(job *Job) Status {
		job.Errorf("Warning, something might happen\nHere it comes!\nOh no...\nSomething happened\n")
		return StatusOK
	}))
	job := eng.Job("say_something_in_stderr")
	var errOut bytes.Buffer
	job.Stderr.Add(&errOut)
	require.NoError(t, job.Run())
	assert.Equal(t, "Something happened", Tail(&errOut, 1))
}

func TestJobRunsOnce(t *testing.T) {
	eng, _ := quietEngine()
	require.NoError(t, eng.Register("once", func(*Job) Status { return StatusOK }))
	job := eng.Job("once")
	require.NoError(t, job.Run())
	assert.Equal(t, " = OK (0)", job.StatusString())
	require.EqualError(t, job.Run(), "once: job has already completed")
}

func TestJobStringAndLogf(t *testing.T) {
	eng, _ := quietEngine()
	job := eng.Job("create", "busybox", "ls")
	assert.Equal(t, "create(busybox, ls)", job.CallString())
	assert.Equal(t, eng.String()+".create(busybox, ls)", job.String())

	var errOut bytes.Buffer
	job.Stderr.Add(&errOut)
	_, err := job.Logf("pulling %s\n", "busybox")
	require.NoError(t, err)
	assert.Contains(t, errOut.String(), "["+job.String()+"] pulling busybox\n")
}

func TestErrorfEmptyFormatDoesNotPanic(t *testing.T) {
	eng, _ := quietEngine()
	job := eng.Job("x")
	assert.Equal(t, StatusErr, job.Errorf(""))
}

func TestJobEnvWrappers(t *testing.T) {
	eng, _ := quietEngine()
	job := eng.Job("init_networkdriver")
	job.SetenvBool("EnableIptables", true)
	job.Setenv("BridgeIface", "docker0")
	job.SetenvInt64("Mtu", 1500)
	require.NoError(t, job.SetenvJson("Ports", map[string]int{"80/tcp": 8080}))

	assert.True(t, job.GetenvBool("EnableIptables"))
	assert.Equal(t, "docker0", job.Getenv("BridgeIface"))
	assert.Equal(t, 1500, job.GetenvInt("Mtu"))
	assert.True(t, job.EnvExists("BridgeIface"))
	assert.False(t, job.EnvExists("BridgeIP"))
	var ports map[string]int
	require.NoError(t, job.GetenvJson("Ports", &ports))
	assert.Equal(t, 8080, ports["80/tcp"])

	sub := &Env{}
	sub.Set("Name", "web")
	require.NoError(t, job.SetenvSubEnv("Config", sub))
	assert.Equal(t, "web", job.GetenvSubEnv("Config").Get("Name"))
	assert.Nil(t, job.GetenvSubEnv("Missing"))
}
