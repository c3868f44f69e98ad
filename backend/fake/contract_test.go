// The backend contract suite (backend/backendtest) on the fake kernel:
// every check, no root, on any OS (docs/design.md "Testing"; reference
// docs/kernels.md §6). NewBare gives a machine whose root
// namespace looks like a brand-new network namespace, as the linux run's
// throwaway namespace does.
package fake_test

import (
	"testing"

	"github.com/dockerlab/dockerlab/backend"
	"github.com/dockerlab/dockerlab/backend/backendtest"
	"github.com/dockerlab/dockerlab/backend/fake"
)

func TestContract(t *testing.T) {
	backendtest.Run(t, func(t *testing.T) backend.Host {
		k := fake.NewBare()
		t.Cleanup(func() { _ = k.Close() })
		return k
	})
}
