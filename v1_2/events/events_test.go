package events

import (
	"bytes"
	"encoding/json"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dockerlab/dockerlab/v1_2/engine"
)

func newEngine(t *testing.T) (*engine.Engine, *Events) {
	eng := engine.New()
	eng.Logging = false
	e := New()
	require.NoError(t, e.Install(eng))
	return eng, e
}

func TestLogThenGetSince(t *testing.T) {
	eng, _ := newEngine(t)
	for i := 0; i < 70; i++ {
		require.NoError(t, eng.Job("log", "create", "id"+strconv.Itoa(i), "busybox").Run())
	}
	job := eng.Job("events")
	job.Setenv("since", "1")
	job.Setenv("until", strconv.FormatInt(time.Now().Unix()-0, 10))
	var out bytes.Buffer
	job.Stdout.Add(&out)
	// until is now: the past is printed, then the job ends at once or
	// within the second.
	require.NoError(t, job.Run())
	dec := json.NewDecoder(&out)
	var got []Message
	for dec.More() {
		var m Message
		require.NoError(t, dec.Decode(&m))
		got = append(got, m)
	}
	require.Len(t, got, eventsLimit, "only the last 64 are kept")
	assert.Equal(t, "id6", got[0].ID)
	assert.Equal(t, "create", got[0].Status)
}

func TestLogUsage(t *testing.T) {
	eng, _ := newEngine(t)
	assert.ErrorContains(t, eng.Job("log", "create").Run(), "usage")
}

func TestSubscribersCount(t *testing.T) {
	eng, _ := newEngine(t)
	env, err := func() (*engine.Env, error) {
		job := eng.Job("subscribers_count")
		env, err := job.Stdout.AddEnv()
		if err != nil {
			return nil, err
		}
		return env, job.Run()
	}()
	require.NoError(t, err)
	assert.Equal(t, 0, env.GetInt("count"))
}
