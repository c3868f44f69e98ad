package api

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/dockerlab/dockerlab/v1_2/engine"
)

func TestMatchesContentType(t *testing.T) {
	assert.True(t, MatchesContentType("application/json", "application/json"))
	assert.True(t, MatchesContentType("application/json; charset=utf-8", "application/json"))
	assert.False(t, MatchesContentType("text/plain", "application/json"))
	assert.False(t, MatchesContentType("", "application/json"))
	assert.False(t, MatchesContentType(";;", "application/json"))
}

func TestDisplayablePorts(t *testing.T) {
	ports := engine.NewTable("", 0)
	for _, p := range []struct {
		ip           string
		public, priv int
	}{{"0.0.0.0", 49154, 443}, {"", 0, 22}, {"0.0.0.0", 49153, 80}} {
		env := &engine.Env{}
		env.Set("IP", p.ip)
		env.SetInt("PublicPort", p.public)
		env.SetInt("PrivatePort", p.priv)
		env.Set("Type", "tcp")
		ports.Add(env)
	}
	assert.Equal(t, "22/tcp, 0.0.0.0:49153->80/tcp, 0.0.0.0:49154->443/tcp", DisplayablePorts(ports))
}
