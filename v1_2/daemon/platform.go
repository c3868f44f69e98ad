// 检测系统支持及用户权限: may a daemon run here?
//
// Upstream: daemon/daemon.go at v1.2.0 (NewDaemonFromDirectory's runtime.GOOS
// and euid checks, checkKernelAndArch). See docs/upstream/v1.2.0.md §2.3 step
// 4.
// Book: ch.4 §4.4.
//
// Divergences: upstream needed linux, root and amd64. dockerlab needs
// linux and root only on the linux backend: the fake backend is an
// in-memory machine that any user on any OS may drive. Another
// architecture gets a warning instead of a refusal (upstream refused
// because its images were amd64-only; nothing here depends on it).
package daemon

import (
	"fmt"
	"os"
	"runtime"
	"strconv"
	"strings"
)

// checkPlatform returns the trace line, or an error worded as upstream's
// fatal messages.
func checkPlatform(backendName string) (string, error) {
	if backendName != "linux" {
		return fmt.Sprintf("platform: %s/%s on the %s backend: no root needed, no kernel version check (the in-memory machine stands in for Linux)",
			runtime.GOOS, runtime.GOARCH, backendName), nil
	}
	if runtime.GOOS != "linux" {
		return "", fmt.Errorf("The Docker daemon is only supported on linux")
	}
	if os.Geteuid() != 0 {
		return "", fmt.Errorf("The Docker daemon needs to be run as root")
	}
	line := fmt.Sprintf("platform: linux/%s, root", runtime.GOARCH)
	if runtime.GOARCH != "amd64" {
		line += fmt.Sprintf("; WARNING: upstream supported only amd64, this is %s", runtime.GOARCH)
	}
	kv := kernelRelease()
	line += ", kernel " + kv
	if old(kv) && os.Getenv("DOCKER_NOWARN_KERNEL_VERSION") == "" {
		line += fmt.Sprintf("; WARNING: You are running linux kernel version %s, which might be unstable running docker. Please upgrade your kernel to 3.8.0.", kv)
	}
	return line, nil
}

// old says whether a release such as "6.18.0-1-amd64" is below 3.8.
func old(release string) bool {
	parts := strings.SplitN(release, ".", 3)
	if len(parts) < 2 {
		return false
	}
	major, err1 := strconv.Atoi(parts[0])
	minor, err2 := strconv.Atoi(strings.TrimFunc(parts[1], func(r rune) bool { return r < '0' || r > '9' }))
	if err1 != nil || err2 != nil {
		return false
	}
	return major < 3 || (major == 3 && minor < 8)
}
