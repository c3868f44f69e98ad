#!/usr/bin/env bash
# deps.sh — make sure the tools the real-kernel suites use are installed:
# iptables (go-iptables runs it), iproute2 (ip, for host snapshots and
# `ip netns`), util-linux (unshare, nsenter) and busybox-static (the demo
# image), docker-registry and skopeo (the v2 registry the pull tests fill
# and pull from, on loopback). As root, missing packages are installed
# with one apt-get update and one apt-get install; otherwise the missing
# ones are listed.
set -euo pipefail

missing=()
need() { # need COMMAND PACKAGE
	command -v "$1" >/dev/null 2>&1 || missing+=("$2")
}
need iptables iptables
need iptables-save iptables
need ip iproute2
need unshare util-linux
need nsenter util-linux
need docker-registry docker-registry
need skopeo skopeo
if [ -z "${DOCKERLAB_BUSYBOX:-}" ] && ! dpkg -L busybox-static >/dev/null 2>&1; then
	missing+=(busybox-static)
fi

# unique, in order
pkgs=$(printf '%s\n' "${missing[@]}" | awk 'NF && !seen[$0]++' | tr '\n' ' ')
if [ -z "${pkgs// /}" ]; then
	echo "deps: iptables, iproute2, util-linux, busybox-static, docker-registry and skopeo are installed"
	exit 0
fi
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
	echo "deps: missing packages: $pkgs" >&2
	echo "deps: install them with: sudo apt-get install -y $pkgs (Debian/Ubuntu)" >&2
	exit 1
fi
echo "deps: installing $pkgs"
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $pkgs
# Debian's docker-registry ships a service listening on :5000 with
# htpasswd auth; the tests start their own on 127.0.0.1, so a service the
# install may have started is stopped and left disabled.
if printf '%s\n' $pkgs | grep -qx docker-registry && command -v systemctl >/dev/null 2>&1; then
	systemctl disable --now docker-registry >/dev/null 2>&1 || true
fi
