#!/usr/bin/env bash
# bench-tools.sh — fetch runc, dockerd and containerd for `make bench`
# without installing anything (issue #5 item 8: the rows that compare the
# v1.2 daemon with `runc run` and with a real Docker engine).
#
# `apt-get download` puts Debian's runc, docker.io and containerd .debs in
# build/bench-debs/, and `dpkg-deb -x` unpacks them into build/bench-tools/
# (usr/sbin/runc, usr/sbin/dockerd, usr/bin/containerd, ...). Nothing is
# installed on the machine and no service starts: the benchmark runs these
# binaries itself, in namespaces of its own, and stops them afterwards.
#
# It never fails `make bench`: when the packages cannot be fetched it says
# why and exits 0, and the rows that need them print that they were skipped.
set -uo pipefail

debs=build/bench-debs
tools=build/bench-tools
packages=(runc docker.io containerd)

if [ -x "$tools/usr/sbin/runc" ] && [ -x "$tools/usr/sbin/dockerd" ] && [ -x "$tools/usr/bin/containerd" ]; then
	exit 0
fi
if ! command -v apt-get >/dev/null 2>&1 || ! command -v dpkg-deb >/dev/null 2>&1; then
	echo "bench-tools: no apt-get/dpkg-deb here: the runc and real-engine rows will be skipped" >&2
	exit 0
fi
mkdir -p "$debs" "$tools"
if ! (cd "$debs" && apt-get download "${packages[@]}" >/dev/null 2>&1); then
	echo "bench-tools: apt-get download ${packages[*]} failed (no network or no such package?):" \
		"the runc and real-engine rows will be skipped" >&2
	exit 0
fi
for deb in "$debs"/*.deb; do
	dpkg-deb -x "$deb" "$tools" || echo "bench-tools: could not unpack $deb" >&2
done
echo "bench-tools: unpacked ${packages[*]} into $tools (nothing installed)" >&2
exit 0
