//go:build !linux

// Elsewhere than Linux the real-kernel rows skip (see needRootLinux).
package main

import (
	"errors"

	"github.com/dockerlab/dockerlab/backend/linux"
)

const isLinux = false

func throwawayLinuxHost() (*linux.Host, func(), error) {
	return nil, nil, errors.New("the linux backend needs Linux")
}

// unmountUnder has nothing to do where the container rows never run.
func unmountUnder(string) {}
