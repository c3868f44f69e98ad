// Tests of the chapter 3 exercises in package engine: ch03.job-run (the
// heart of Job.Run: call the handler, wait for the outputs, turn the status
// into an error), `dockerlab lab check ch03.job-run` or
// `go test ./v1_2/engine -run TestCh03JobRun`; and ch03.env-json (below).
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

// Tests of the exercise ch03.env-json (Env.Encode and Env.SetAuto: a job's
// env as one JSON object, the form it has in an API request's body and in
// a job's output): `dockerlab lab check ch03.env-json`, or
// `go test ./v1_2/engine -run TestCh03EnvJson`.

// lab03Encode is env as Encode writes it.
func lab03Encode(t *testing.T, env *Env) string {
	t.Helper()
	var b strings.Builder
	require.NoError(t, env.Encode(&b))
	return b.String()
}

// Every value is text in an Env; what is valid JSON goes out as JSON, the
// rest as a string. So SetInt gives a number, SetBool the number 1, and
// SetList an array.
func TestCh03EnvJson(t *testing.T) {
	env := &Env{}
	env.Set("Image", "busybox")
	env.SetInt64("Memory", 67108864)
	env.SetBool("Tty", true)
	require.NoError(t, env.SetList("Cmd", []string{"sh", "-c", "echo hi"}))
	env.Set("Hostname", "")
	assert.Equal(t, `{"Cmd":["sh","-c","echo hi"],"Hostname":"","Image":"busybox","Memory":67108864,"Tty":1}`+"\n",
		lab03Encode(t, env), "one JSON object, keys sorted, a newline at the end; text that parses as JSON is sent as JSON")
}

// Set only appends: the last value of a key is the one that is sent.
func TestCh03EnvJson_LastValueWins(t *testing.T) {
	env := &Env{}
	env.Set("Name", "first")
	env.SetBool("Detach", false)
	env.Set("Name", "second")
	assert.Equal(t, `{"Detach":0,"Name":"second"}`+"\n", lab03Encode(t, env), "the last value set for a key wins, as in Get")
}

// A request's body becomes a job's env: numbers as integers, strings as
// they are, anything else as its JSON text.
func TestCh03EnvJson_Decode(t *testing.T) {
	env := &Env{}
	require.NoError(t, env.Decode(strings.NewReader(
		`{"Image":"busybox","Memory":67108864,"CpuShares":1.7,"Tty":true,"Cmd":["sh"],"Volumes":{"/data":{}},"Entrypoint":null}`)))
	assert.Equal(t, "busybox", env.Get("Image"), "a string is stored as it is, without quotes")
	assert.Equal(t, "67108864", env.Get("Memory"), "a number is stored as an integer in decimal, not as 6.7108864e+07")
	assert.Equal(t, "1", env.Get("CpuShares"), "every number the daemon receives is a count: 1.7 is stored as 1")
	assert.Equal(t, "true", env.Get("Tty"), "a bool is stored as its JSON text")
	assert.True(t, env.GetBool("Tty"))
	assert.Equal(t, `["sh"]`, env.Get("Cmd"), "a list is stored as its JSON text")
	assert.Equal(t, []string{"sh"}, env.GetList("Cmd"))
	assert.Equal(t, `{"/data":{}}`, env.Get("Volumes"), "an object is stored as its JSON text")
	assert.Equal(t, "null", env.Get("Entrypoint"))
	assert.Nil(t, env.GetList("Entrypoint"))
}

// What Encode writes, Decode reads back: a nested env (SetSubEnv, the
// HostConfig of a start request) keeps its big numbers exact.
func TestCh03EnvJson_RoundTrip(t *testing.T) {
	host := &Env{}
	host.SetInt64("Memory", 536870912)
	require.NoError(t, host.SetList("Binds", []string{"/srv:/srv:ro"}))
	env := &Env{}
	env.Set("Name", "web")
	require.NoError(t, env.SetSubEnv("HostConfig", host))
	text := lab03Encode(t, env)
	assert.Equal(t, `{"HostConfig":{"Binds":["/srv:/srv:ro"],"Memory":536870912},"Name":"web"}`+"\n", text,
		"numbers inside a nested object are written as integers too (decoded JSON numbers are float64: turn them back)")

	back := &Env{}
	require.NoError(t, back.Decode(strings.NewReader(text)))
	assert.Equal(t, "web", back.Get("Name"))
	sub := back.GetSubEnv("HostConfig")
	require.NotNil(t, sub, "the nested object comes back as its JSON text, which GetSubEnv reads")
	assert.Equal(t, int64(536870912), sub.GetInt64("Memory"))
	assert.Equal(t, []string{"/srv:/srv:ro"}, sub.GetList("Binds"))

	// As in 1.2, every number an Env sends is an integer, nested ones too.
	raw := &Env{}
	require.NoError(t, raw.SetJson("Limits", map[string]interface{}{"CpuRatio": 0.5, "Memory": 1e9}))
	assert.Equal(t, `{"Limits":{"CpuRatio":0,"Memory":1000000000}}`+"\n", lab03Encode(t, raw),
		"decoded JSON numbers are float64: changeFloats turns them into integers at every depth")
}
