package builtins

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dockerlab/dockerlab/v1_2/engine"
)

func TestRegister(t *testing.T) {
	eng := engine.New()
	eng.Logging = false
	require.NoError(t, Register(eng))
	for _, name := range Names {
		err := eng.Register(name, nil)
		assert.Error(t, err, "%s should be registered already", name)
	}
	assert.Error(t, Register(eng), "registering twice is refused")

	// The registry jobs check their input before they talk to a registry
	// (v1_2/registry's tests run them against one).
	assert.ErrorContains(t, eng.Job("search").Run(), "Usage: search TERM")
	assert.ErrorContains(t, eng.Job("search", "Not Valid").Run(), "Invalid repository name")
	bad := eng.Job("auth")
	bad.Setenv("authConfig", "{not json")
	assert.ErrorContains(t, bad.Run(), "not valid JSON")
}

func TestVersionJob(t *testing.T) {
	eng := engine.New()
	eng.Logging = false
	require.NoError(t, Register(eng))
	job := eng.Job("version")
	env, err := job.Stdout.AddEnv()
	require.NoError(t, err)
	require.NoError(t, job.Run())
	// Decoding the JSON env turns the SetJson strings back into plain ones.
	assert.Equal(t, "1.2.0", env.Get("Version"))
	assert.Equal(t, "1.14", env.Get("ApiVersion"))
	assert.Equal(t, "fa7b24f", env.Get("GitCommit"))
}
