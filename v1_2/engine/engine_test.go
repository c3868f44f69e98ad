// Tests for engine.go: the behaviours upstream's engine/engine_test.go (v1.2.0)
// checks, written anew for dockerlab.
package engine

import (
	"bytes"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// quietEngine is an engine whose log lines go to a buffer instead of os.Stderr.
func quietEngine() (*Engine, *bytes.Buffer) {
	eng := New()
	var log bytes.Buffer
	eng.Stderr = &log
	return eng, &log
}

func TestRegisterGlobalThenLocal(t *testing.T) {
	noop := func(*Job) Status { return StatusOK }
	require.NoError(t, Register("dockerlab_test_global", noop))
	defer unregister("dockerlab_test_global")
	err := Register("dockerlab_test_global", noop)
	require.EqualError(t, err, "Can't overwrite global handler for command dockerlab_test_global")

	eng := New()
	// Globals are copied into the engine, so the same name collides locally.
	err = eng.Register("dockerlab_test_global", noop)
	require.EqualError(t, err, "Can't overwrite handler for command dockerlab_test_global")

	require.NoError(t, eng.Register("local", noop))
	require.EqualError(t, eng.Register("local", noop), "Can't overwrite handler for command local")
}

func TestJobHandlerLookup(t *testing.T) {
	eng, _ := quietEngine()
	assert.Nil(t, eng.Job("dummy").handler, "an unknown name has no handler")

	require.NoError(t, eng.Register("dummy", func(*Job) Status { return 42 }))
	job := eng.Job("dummy")
	require.NotNil(t, job.handler)
	assert.Equal(t, Status(42), job.handler(job))
}

func TestCommandsListsHandlersSorted(t *testing.T) {
	eng, _ := quietEngine()
	for _, name := range []string{"foo", "bar", "echo", "die"} {
		require.NoError(t, eng.Register(name, func(*Job) Status { return StatusOK }))
	}
	var out bytes.Buffer
	job := eng.Job("commands")
	job.Stdout.Add(&out)
	require.NoError(t, job.Run())
	assert.Equal(t, "bar\ncommands\ndie\necho\nfoo\n", out.String())
}

func TestEngineStringIsShortID(t *testing.T) {
	a, b := New(), New()
	assert.Len(t, a.String(), 8)
	assert.Len(t, a.id, 64)
	assert.NotEqual(t, a.id, b.id, "two engines get different random ids")
}

func TestEngineLogf(t *testing.T) {
	eng, log := quietEngine()
	input := "Test log line"
	n, err := eng.Logf("%s\n", input)
	require.NoError(t, err)
	assert.GreaterOrEqual(t, n, len(input))
	assert.Equal(t, "["+eng.String()+"] Test log line\n", log.String())

	eng.Logging = false
	n, err = eng.Logf("silent")
	require.NoError(t, err)
	assert.Equal(t, 0, n)
}

func TestRunLogsPlusAndMinusJob(t *testing.T) {
	eng, log := quietEngine()
	require.NoError(t, eng.Register("echo", func(job *Job) Status { return StatusOK }))
	require.NoError(t, eng.Job("echo", "a", "b").Run())
	id := eng.String()
	assert.Equal(t,
		"["+id+"] +job echo(a, b)\n["+id+"] -job echo(a, b) = OK (0)\n",
		log.String())
}

func TestParseJob(t *testing.T) {
	eng, _ := quietEngine()
	var called bool
	require.NoError(t, eng.Register("echo", func(job *Job) Status {
		called = true
		return StatusOK
	}))
	job, err := eng.ParseJob("echo DEBUG=1 hello world VERBOSITY=42")
	require.NoError(t, err)
	assert.Equal(t, "echo", job.Name)
	assert.Equal(t, []string{"hello", "world"}, job.Args)
	assert.Equal(t, "1", job.Getenv("DEBUG"))
	assert.Equal(t, "42", job.Getenv("VERBOSITY"))
	assert.Len(t, job.Env().Map(), 2)
	require.NoError(t, job.Run())
	assert.True(t, called)

	_, err = eng.ParseJob("  A=1  ")
	require.EqualError(t, err, "empty command: '  A=1  '")
}

func TestCatchallNeverGetsEmptyName(t *testing.T) {
	eng, _ := quietEngine()
	var called bool
	eng.RegisterCatchall(func(*Job) Status {
		called = true
		return StatusOK
	})
	require.Error(t, eng.Job("").Run())
	assert.False(t, called)

	require.NoError(t, eng.Job("anything").Run())
	assert.True(t, called, "a non-empty unknown name goes to the catch-all")
}

func TestCommandNotFound(t *testing.T) {
	eng, _ := quietEngine()
	job := eng.Job("nosuch")
	err := job.Run()
	require.EqualError(t, err, "nosuch: command not found")
	assert.Equal(t, 127, job.StatusCode())
	assert.Equal(t, "", job.StatusString(), "a job that never ran has no end")
}

func TestNilHandlerIsNotFound(t *testing.T) {
	eng, _ := quietEngine()
	require.NoError(t, eng.Register("nilhandler", nil))
	require.EqualError(t, eng.Job("nilhandler").Run(), "nilhandler: command not found")
}

func TestHackGlobalVars(t *testing.T) {
	eng, _ := quietEngine()
	assert.Nil(t, eng.Hack_GetGlobalVar("httpapi.daemon"))
	eng.Hack_SetGlobalVar("httpapi.bridgeIP", "172.17.42.1")
	assert.Equal(t, "172.17.42.1", eng.Hack_GetGlobalVar("httpapi.bridgeIP"))
}

func TestLoggingOffDoesNotTouchEngineStderr(t *testing.T) {
	eng, log := quietEngine()
	eng.Logging = false
	require.NoError(t, eng.Register("warn", func(job *Job) Status {
		job.Errorf("careful")
		return StatusOK
	}))
	require.NoError(t, eng.Job("warn").Run())
	assert.False(t, strings.Contains(log.String(), "careful"))
}

func TestRegisterWhileJobsRun(t *testing.T) {
	eng, _ := quietEngine()
	eng.Logging = false
	require.NoError(t, eng.Register("ping", func(*Job) Status { return StatusOK }))
	done := make(chan struct{})
	go func() {
		defer close(done)
		for i := 0; i < 100; i++ {
			eng.Register("extra"+string(rune('a'+i%26))+string(rune('a'+i/26)), nil)
		}
	}()
	for i := 0; i < 100; i++ {
		require.NoError(t, eng.Job("ping").Run())
	}
	<-done
}
