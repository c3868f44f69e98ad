package execdriver

import (
	"syscall"

	"github.com/dockerlab/dockerlab/backend"
)

// resizeRecorder is a backend.Process with a terminal.
type resizeRecorder struct{ size [2]int }

func (r *resizeRecorder) Pid() int                          { return 1 }
func (r *resizeRecorder) Wait() (backend.ExitStatus, error) { return backend.ExitStatus{}, nil }
func (r *resizeRecorder) Signal(syscall.Signal) error       { return nil }
func (r *resizeRecorder) NetNS() backend.NSRef              { return backend.NSRef{} }
func (r *resizeRecorder) Resize(h, w int) error {
	r.size = [2]int{h, w}
	return nil
}
