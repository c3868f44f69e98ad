// Stand-ins for the Linux-only probes (sys_linux.go) on other systems,
// where the OS check already fails.

//go:build !linux

package doctor

import "errors"

var errNotLinux = errors.New("not Linux")

func cgroupMode() (string, error) { return "", errNotLinux }
func probeLinks() error           { return errNotLinux }
func probeDeviceFilter() error    { return errNotLinux }
