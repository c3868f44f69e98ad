package units

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

func TestHumanDuration(t *testing.T) {
	for d, want := range map[time.Duration]string{
		500 * time.Millisecond: "Less than a second",
		45 * time.Second:       "45 seconds",
		90 * time.Second:       "About a minute",
		30 * time.Minute:       "30 minutes",
		70 * time.Minute:       "About an hour",
		5 * time.Hour:          "5 hours",
		3 * 24 * time.Hour:     "3 days",
		20 * 24 * time.Hour:    "2 weeks",
		200 * 24 * time.Hour:   "6 months",
	} {
		assert.Equal(t, want, HumanDuration(d), d.String())
	}
	assert.True(t, strings.HasSuffix(HumanDuration(3*365*24*time.Hour), " years"))
}

func TestHumanSize(t *testing.T) {
	for size, want := range map[int64]string{
		0: "0 B", 999: "999 B", 1000: "1 kB", 2433303: "2.433 MB", 1986560: "1.987 MB", 5e9: "5 GB",
	} {
		assert.Equal(t, want, HumanSize(size), size)
	}
}
