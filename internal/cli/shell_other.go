// `dockerlab sandbox shell` elsewhere than Linux: checkSandboxUse has
// already refused; this keeps the package compiling.

//go:build !linux

package cli

import "errors"

func execInNetNS(path, shell, name string) error {
	return errors.New("network namespaces are Linux's")
}
