#!/usr/bin/env bash
# test.sh — what `make test` (and so CI, through .ci/run) runs; the rules
# are docs/testing.md's. In short:
#
#  1. lint: gofmt -l is empty, go vet ./... is clean;
#  2. as root only: the tools the real-kernel suites use (deps), the demo
#     image, and a snapshot of the host's network state;
#  3. go test ./... — the fake backend and everything else. Without root
#     the real-kernel tests skip themselves with a printed reason; as root
#     the packages that hold them are left to step 5;
#  4. the docs check (tools/docsymbols), then `dockerlab lab verify`: every
#     classroom exercise's stub builds and fails, its wrong answers fail,
#     the original passes, and lab gen is exact (docs/teaching.md);
#  5. as root only: the real-kernel packages built with `go test -c` and run
#     verbosely — under `unshare -n` as a second wall unless
#     DOCKERLAB_TEST_UNSHARE is set empty — then a second snapshot, which
#     must equal the first; before that second snapshot, every exercise's
#     check runs on the real kernel too (`lab check --all --backend
#     linux`). With CI=true a real-kernel test that skipped is a failure.
#
# A failing step does not stop the later ones (the host check must always
# run); the script fails at the end, naming every step that failed.
# DOCKERLAB_TEST_ONLY=linux runs steps 2 and 5 only (make test-linux).
set -uo pipefail
cd "$(dirname "$0")/.."

GO=${GO:-go}
logs=build/test-logs
bins=build/test-bin
mkdir -p "$logs" "$bins"
UNSHARE=${DOCKERLAB_TEST_UNSHARE-unshare -n}
MODULE=$($GO list -m)

failures=()
fail() { failures+=("$1"); echo "make test: FAILED: $1" >&2; }
step() { printf '\n=== make test: %s\n' "$*"; }

# linux_packages lists the packages whose tests reach the real kernel:
# those importing backend/linux (or its linuxtest helpers, directly or
# through chapters/chapterutil/chaptertest's RunOnLinux) in tests, and the
# walkthroughs, which run `dockerlab --backend linux`. LINUX_PKGS
# overrides the list.
linux_packages() {
	if [ -n "${LINUX_PKGS:-}" ]; then
		$GO list $LINUX_PKGS
		return
	fi
	$GO list -f '{{.ImportPath}}{{range .TestImports}} {{.}}{{end}}{{range .XTestImports}} {{.}}{{end}}' ./... |
		awk -v m="$MODULE" '{for (i = 2; i <= NF; i++) if ($i == m"/backend/linux" || $i == m"/backend/linux/linuxtest" || $i == m"/chapters/chapterutil/chaptertest") {print $1; break}}'
	$GO list ./walkthroughs/...
}

is_root=no
[ "$(id -u)" = 0 ] && is_root=yes

only_linux=no
[ "${DOCKERLAB_TEST_ONLY:-}" = linux ] && only_linux=yes
if [ "$only_linux" = yes ] && [ "$is_root" != yes ]; then
	echo "make test-linux needs root: sudo make test-linux" >&2
	exit 1
fi

nok=0
if [ "$only_linux" = no ]; then
	step "lint"
	make --no-print-directory lint || fail "lint (gofmt -l / go vet)"
fi

if [ "$is_root" = yes ]; then
	step "deps, the demo image and a host snapshot (root)"
	scripts/deps.sh || fail "deps"
	make --no-print-directory images || fail "images"
	# After deps: the first iptables-save may load nf_tables modules, which
	# is not a change a test made.
	scripts/host-snapshot.sh "$logs/host-before.txt"
fi

all=$($GO list ./...)
linux_list=$(linux_packages | sort -u)
if [ "$only_linux" = no ]; then
	if [ "$is_root" = yes ]; then
		step "go test (the real-kernel packages run in the root step below)"
		pkgs=$(comm -23 <(echo "$all" | sort) <(echo "$linux_list"))
	else
		step "go test (not root: real-kernel tests skip, saying why)"
		pkgs=$all
	fi
	echo "make test: $(echo "$pkgs" | wc -w) packages; go test prints one line per package as it finishes (compiling comes first: the first run is silent for a few minutes)"
	$GO test $pkgs 2>&1 | tee "$logs/go-test.txt"
	[ "${PIPESTATUS[0]}" = 0 ] || fail "go test"
	nok=$(grep -c '^ok ' "$logs/go-test.txt")
	if [ "$is_root" = no ]; then
		# go test prints nothing of a passing package but its ok line, so
		# the reasons the real-kernel tests gave for skipping are read
		# back from a verbose run (cached, so it costs almost nothing).
		step "why the real-kernel tests skipped"
		$GO test -v $linux_list 2>&1 |
			sed -nE 's/^ +[A-Za-z0-9_]+\.go:[0-9]+: (.*(root|skipping).*)$/\1/p' | sort | uniq -c
	fi

	step "check-docs"
	make --no-print-directory check-docs || fail "check-docs"

	step "lab verify (the classroom exercises check what they claim to)"
	if $GO build -o "$bins/dockerlab" ./cmd/dockerlab; then
		"$bins/dockerlab" lab verify || fail "lab verify"
	else
		fail "build dockerlab for lab verify"
	fi
fi

linux_summary="linux suites skipped: not root (sudo make test runs them)"
if [ "$is_root" = yes ]; then
	step "real-kernel suites (root${UNSHARE:+, under $UNSHARE})"
	: >"$logs/linux-tests.txt"
	for pkg in $linux_list; do
		name=${pkg#"$MODULE"/}
		name=${name//\//_}
		bin="$PWD/$bins/$name.test"
		rm -f "$bin"
		printf '... \t%s: building its test binary, then running it\n' "$pkg"
		if ! $GO test -c -o "$bin" "$pkg"; then
			fail "build $pkg tests"
			continue
		fi
		[ -x "$bin" ] || { printf '?   \t%s\t[no test files]\n' "$pkg"; continue; }
		dir=$($GO list -f '{{.Dir}}' "$pkg")
		start=$(date +%s)
		# A test binary runs in its package's directory, as go test runs it.
		# The wall is a fresh network namespace whose lo is brought up, so
		# tests that talk over loopback see what any machine has.
		if [ -n "$UNSHARE" ]; then
			(cd "$dir" && $UNSHARE sh -c 'ip link set lo up && exec "$@"' sh "$bin" -test.v -test.count=1) >"$logs/$name.txt" 2>&1
		else
			(cd "$dir" && "$bin" -test.v -test.count=1) >"$logs/$name.txt" 2>&1
		fi
		rc=$?
		cat "$logs/$name.txt" >>"$logs/linux-tests.txt"
		secs=$(($(date +%s) - start))
		if [ "$rc" = 0 ]; then
			printf 'ok  \t%s\t%ds (linux, root)\n' "$pkg" "$secs"
			nok=$((nok + 1))
		else
			grep -E -e '--- FAIL' -e '^(FAIL|panic:)' -e '(Error|FAIL):' "$logs/$name.txt" | head -40
			printf 'FAIL\t%s\t%ds (linux, root); full log: %s\n' "$pkg" "$secs" "$logs/$name.txt"
			fail "$pkg (linux, root)"
		fi
	done

	step "the exercises' checks on the real kernel (lab check --all --backend linux)"
	if $GO build -o "$bins/dockerlab" ./cmd/dockerlab; then
		"$bins/dockerlab" lab check --all --backend linux >"$logs/lab-linux.txt" 2>&1
		rc=$?
		tail -1 "$logs/lab-linux.txt"
		if [ "$rc" != 0 ]; then
			grep -E -e '^(FAIL|NOT STARTED|SKIPPED) ' "$logs/lab-linux.txt"
			fail "lab check --backend linux (log: $logs/lab-linux.txt)"
		fi
	else
		fail "build dockerlab for lab check --backend linux"
	fi

	step "host unchanged?"
	scripts/host-snapshot.sh "$logs/host-after.txt"
	if diff -u "$logs/host-before.txt" "$logs/host-after.txt"; then
		echo "host unchanged: links, addresses, routes, iptables, ip_forward, dockerlab cgroups, named netns"
	else
		fail "the host's state changed during the tests (diff above)"
	fi

	skips=$(grep -E -e '--- SKIP' -e 'SKIP:' "$logs/linux-tests.txt")
	nskip=$(printf '%s' "$skips" | grep -c .)
	if [ "$nskip" != 0 ]; then
		echo "real-kernel tests that skipped:"
		echo "$skips"
		if [ "${CI:-}" = true ]; then
			fail "CI=true and $nskip real-kernel test(s) skipped; CI must run them all"
		fi
	fi
	linux_summary="linux suites ran ($nskip skipped)"
fi

echo
if [ ${#failures[@]} != 0 ]; then
	printf 'make test: FAILED: %s\n' "${failures[@]}"
	echo "make test: $nok packages ok, $linux_summary, ${#failures[@]} failure(s)"
	exit 1
fi
echo "make test: $nok packages ok, $linux_summary"
