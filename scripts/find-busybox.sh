#!/usr/bin/env bash
# find-busybox.sh — print the path of a static busybox for `make images`.
#
# Order: $DOCKERLAB_BUSYBOX; the file Debian's busybox-static package
# installs (dpkg -L busybox-static); as root, install that package once;
# otherwise fail with what to do. tools/mkimage checks that the binary is
# really static (a dynamic busybox would not run inside a rootfs that has
# no libc — reference docs/kernels.md §5).
set -euo pipefail

if [ -n "${DOCKERLAB_BUSYBOX:-}" ]; then
	if [ ! -x "$DOCKERLAB_BUSYBOX" ]; then
		echo "DOCKERLAB_BUSYBOX=$DOCKERLAB_BUSYBOX is not an executable file" >&2
		exit 1
	fi
	echo "$DOCKERLAB_BUSYBOX"
	exit 0
fi

from_dpkg() {
	command -v dpkg >/dev/null 2>&1 || return 1
	dpkg -L busybox-static 2>/dev/null | grep -E '/bin/busybox$' | head -n1
}

bb=$(from_dpkg || true)
if [ -z "$bb" ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
	echo "busybox-static is missing: installing it (apt-get)" >&2
	apt-get update -qq >&2
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq busybox-static >&2
	bb=$(from_dpkg || true)
fi
if [ -z "$bb" ] || [ ! -x "$bb" ]; then
	echo 'busybox-static is missing: run `sudo apt-get install busybox-static` (Debian/Ubuntu) or set DOCKERLAB_BUSYBOX=/path/to/static/busybox' >&2
	exit 1
fi
echo "$bb"
