package sysinfo

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/dockerlab/dockerlab/backend/fake"
)

func TestNewOnFake(t *testing.T) {
	h := fake.New()
	var warn bytes.Buffer
	info := New(h, false, &warn)
	assert.False(t, info.AppArmor, "the fake machine has no AppArmor")

	fwd, err := h.Root().Sysctl("net.ipv4.ip_forward")
	require.NoError(t, err)
	assert.Equal(t, fwd != "1", info.IPv4ForwardingDisabled)

	require.NoError(t, h.Root().SetSysctl("net.ipv4.ip_forward", "1"))
	assert.False(t, New(h, true, &warn).IPv4ForwardingDisabled)
}
