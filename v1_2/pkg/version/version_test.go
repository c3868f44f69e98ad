package version

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestCompare(t *testing.T) {
	cases := []struct {
		a, b Version
		want int
	}{
		{"1", "1", 0},
		{"1.14", "1.14.0", 0},
		{"1.9", "1.14", -1},
		{"1.14", "1.9", 1},
		{"1.2.1", "1.2", 1},
		{"1.0.0", "1", 0},
		{"0.9", "1", -1},
		{"1.x", "1.0", 0}, // a part that is not a number counts as 0
	}
	for _, c := range cases {
		assert.Equal(t, c.want, c.a.compareTo(c.b), "%s vs %s", c.a, c.b)
	}
}

func TestMethods(t *testing.T) {
	v := Version("1.14")
	assert.True(t, v.LessThan("1.24"))
	assert.False(t, v.LessThan("1.14"))
	assert.True(t, v.LessThanOrEqualTo("1.14"))
	assert.True(t, v.GreaterThan("1.9"))
	assert.True(t, v.GreaterThanOrEqualTo("1.14"))
	assert.True(t, v.Equal("1.14.0"))
	assert.False(t, v.Equal("1.15"))
}
