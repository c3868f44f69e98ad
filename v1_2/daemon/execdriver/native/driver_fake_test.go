package native

import (
	"testing"

	"github.com/dockerlab/dockerlab/backend"
	"github.com/dockerlab/dockerlab/backend/fake"
)

func TestFake(t *testing.T) {
	runAll(t, func(t *testing.T) backend.Host { return fake.New() })
}
