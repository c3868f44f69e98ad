#!/usr/bin/env bash
# host-snapshot.sh OUT — write the host namespace's state to OUT.
#
# Why: dockerlab's real-kernel tests promise never to touch the machine they
# run on (docs/design.md "Testing"; reference docs/kernels.md §7).
# `make test` takes a snapshot before and after the root suites and diffs
# them; any difference means a test leaked a link, an address, a route, a
# rule, ip_forward, a cgroup or a named netns onto the host.
#
# Only stable facts go in: counters, lifetimes and other values that change
# by themselves are stripped so that an untouched host gives an empty diff.
set -euo pipefail

out=${1:?usage: host-snapshot.sh OUT}

section() { printf '\n## %s\n' "$1"; }

{
	section "ip -o link"
	# Without -s link lines carry no counters; qlen is dropped because some
	# drivers report it lazily. A new or vanished link shows here.
	ip -o link | sed -E 's/ +qlen [0-9]+//'

	section "ip -o addr"
	# valid_lft/preferred_lft count down on dynamic addresses.
	ip -o addr | sed -E 's/ +valid_lft [^ ]+ preferred_lft [^ ]+//; s/\\ *$//; s/ +$//'

	section "ip route"
	ip route | sed -E 's/ +$//; s/ expires [0-9]+sec//'

	section "iptables-save"
	if command -v iptables-save >/dev/null 2>&1; then
		# Comments carry timestamps; [packets:bytes] counters change with traffic.
		iptables-save 2>&1 | grep -v '^#' | sed -E 's/\[[0-9]+:[0-9]+\]/[-]/g' || true
	else
		echo "iptables not installed"
	fi

	section "sysctl net.ipv4.ip_forward"
	cat /proc/sys/net/ipv4/ip_forward

	section "cgroups named dockerlab*"
	# Names only: the cgroups dockerlab could create, v1 (per controller) and v2.
	shopt -s nullglob
	for d in /sys/fs/cgroup/dockerlab* /sys/fs/cgroup/*/dockerlab*; do
		echo "$d"
		for sub in "$d"/*/; do
			echo "  $(basename "$sub")"
		done
	done

	section "ls /run/netns /run/dockerlab/netns"
	# iproute2's named namespaces (the sandboxes) and the linux backend's own.
	for d in /run/netns /run/dockerlab/netns; do
		if [ -d "$d" ]; then ls -1 "$d" | sed "s|^|$d/|"; fi
	done
} >"$out"
