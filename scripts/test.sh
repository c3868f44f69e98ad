#!/usr/bin/env bash
# test.sh — what `make test` (and so CI, through .ci/run) runs. The rules
# are docs/testing.md's; in short:
#
#  1. lint: gofmt -l is empty, go vet ./... is clean;
#  2. go test ./... — the fake backend and everything else. Without root the
#     real-kernel suites skip themselves with a printed reason;
#  3. the docs check (tools/docsymbols);
#  4. as root only: the tools they need (deps) and the demo image, a
#     snapshot of the host's network state, then the real-kernel suites
#     (LINUX_PKGS) built with `go test -c` and run verbosely — under
#     `unshare -n` as a second wall unless DOCKERLAB_TEST_UNSHARE is set
#     empty — and a second snapshot, which must equal the first. With
#     CI=true, a real-kernel test that skipped is a failure.
set -euo pipefail
cd "$(dirname "$0")/.."

GO=${GO:-go}
logs=build/test-logs
bins=build/test-bin
mkdir -p "$logs" "$bins"

# The packages whose tests drive the real kernel. They run in step 4 when
# root (and in step 2, skipping, when not).
LINUX_PKGS=${LINUX_PKGS:-"./backend/linux/... ./walkthroughs/..."}
UNSHARE=${DOCKERLAB_TEST_UNSHARE-unshare -n}

is_root=no
[ "$(id -u)" = 0 ] && is_root=yes
linux_list=$($GO list $LINUX_PKGS 2>/dev/null || true)

step() { printf '\n=== make test: %s\n' "$*"; }

step "lint"
make --no-print-directory lint

if [ "$is_root" = yes ]; then
	step "deps and the demo image (root)"
	scripts/deps.sh
	make --no-print-directory images
	# After deps: the first iptables-save may load nf_tables modules, which
	# is not a change a test made.
	scripts/host-snapshot.sh "$logs/host-before.txt"
fi

step "go test (fake backend; real-kernel suites run later when root)"
all=$($GO list ./...)
if [ "$is_root" = yes ]; then
	# The real-kernel packages run once, in the root step below.
	pkgs=$(comm -23 <(echo "$all" | sort) <(echo "$linux_list" | sort))
else
	pkgs=$all
fi
set +e
$GO test $pkgs 2>&1 | tee "$logs/go-test.txt"
rc=${PIPESTATUS[0]}
set -e
[ "$rc" = 0 ] || { echo "make test: go test failed" >&2; exit 1; }
nok=$(grep -c '^ok ' "$logs/go-test.txt" || true)

step "check-docs"
make --no-print-directory check-docs

linux_summary="linux suites skipped: not root"
if [ "$is_root" = yes ]; then
	step "real-kernel suites (root${UNSHARE:+, under $UNSHARE})"
	failed=()
	: >"$logs/linux-tests.txt"
	for pkg in $linux_list; do
		name=$(echo "$pkg" | sed 's|.*/dockerlab/dockerlab/||; s|/|_|g')
		bin="$PWD/$bins/$name.test"
		rm -f "$bin"
		$GO test -c -o "$bin" "$pkg"
		[ -x "$bin" ] || { echo "?   	$pkg	[no test files]"; continue; }
		dir=$($GO list -f '{{.Dir}}' "$pkg")
		start=$(date +%s)
		set +e
		# A test binary runs in its package's directory, as go test runs it.
		(cd "$dir" && CI=${CI:-} DOCKERLAB_LINUX_TESTS=1 $UNSHARE "$bin" -test.v -test.count=1) \
			>"$logs/$name.txt" 2>&1
		rc=$?
		set -e
		cat "$logs/$name.txt" >>"$logs/linux-tests.txt"
		secs=$(($(date +%s) - start))
		if [ "$rc" = 0 ]; then
			printf 'ok  \t%s\t%ds (linux, root)\n' "$pkg" "$secs"
			nok=$((nok + 1))
		else
			grep -E '^(=== RUN|--- FAIL|FAIL|panic:)|_test.go:[0-9]+' "$logs/$name.txt" | tail -40 || true
			printf 'FAIL\t%s\t%ds (linux, root) — full log: %s\n' "$pkg" "$secs" "$logs/$name.txt"
			failed+=("$pkg")
		fi
	done

	scripts/host-snapshot.sh "$logs/host-after.txt"
	if ! diff -u "$logs/host-before.txt" "$logs/host-after.txt"; then
		echo "make test: the host's network/cgroup state changed during the root tests (diff above)" >&2
		exit 1
	fi
	echo "host unchanged: links, addresses, routes, iptables, ip_forward, dockerlab cgroups, /run/netns"

	[ ${#failed[@]} = 0 ] || { echo "make test: real-kernel suites failed: ${failed[*]}" >&2; exit 1; }

	skips=$(grep -E -e '--- SKIP' -e 'SKIP:' "$logs/linux-tests.txt" || true)
	nskip=$(printf '%s' "$skips" | grep -c . || true)
	if [ "$nskip" != 0 ]; then
		echo "real-kernel tests that skipped:"
		echo "$skips"
		if [ "${CI:-}" = true ]; then
			echo "make test: CI=true and $nskip real-kernel test(s) skipped; CI must run them all" >&2
			exit 1
		fi
	fi
	linux_summary="linux suites ran ($nskip skipped)"
fi

echo
echo "make test: $nok packages ok, $linux_summary"
