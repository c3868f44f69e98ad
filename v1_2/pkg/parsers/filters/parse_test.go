// Tests for the filter flags (own tests; upstream's parse_test.go came
// later than v1.2.0).
package filters

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseFlagAndRoundTrip(t *testing.T) {
	a, err := ParseFlag("dangling=true", nil)
	require.NoError(t, err)
	a, err = ParseFlag("status=exited", a)
	require.NoError(t, err)
	a, err = ParseFlag("status=running", a)
	require.NoError(t, err)
	a, err = ParseFlag("", a)
	require.NoError(t, err)
	assert.Equal(t, Args{"dangling": {"true"}, "status": {"exited", "running"}}, a)

	_, err = ParseFlag("novalue", a)
	assert.ErrorIs(t, err, ErrorBadFormat)

	p, err := ToParam(a)
	require.NoError(t, err)
	back, err := FromParam(p)
	require.NoError(t, err)
	assert.Equal(t, a, back)

	empty, err := ToParam(nil)
	require.NoError(t, err)
	assert.Equal(t, "", empty)
	none, err := FromParam("")
	require.NoError(t, err)
	assert.Empty(t, none)
}

func TestFromParamModernShape(t *testing.T) {
	a, err := FromParam(`{"dangling":{"true":true,"false":false}}`)
	require.NoError(t, err)
	assert.Equal(t, Args{"dangling": {"true"}}, a)
	_, err = FromParam(`[1,2]`)
	assert.ErrorContains(t, err, "neither")
}
