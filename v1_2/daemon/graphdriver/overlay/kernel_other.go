//go:build !linux

// Off Linux there is no overlayfs; Init refuses before it gets here
// (the linux backend only exists on Linux), but the package still builds.
//
// Not upstream: Docker 1.2.0 had no overlay driver, and built for Linux.
package overlay

func kernelHasOverlay() bool    { return false }
func onOverlay(dir string) bool { return false }
