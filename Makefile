# dockerlab — build, demo image, tests, docs check, benchmarks.
# `make demo` and `make test` are the whole set-up on a fresh machine
# (README.md "Quick start"); docs/testing.md says what each suite does.

GO      ?= go
BIN     := build/bin
IMAGES  := build/images
ROOTFS  := $(IMAGES)/busybox-rootfs
IMAGE   := $(IMAGES)/busybox.tar
DOCKERLAB := $(BIN)/dockerlab
# The fake backend's shared machine for `make demo`: a file in build/, so
# the demo never mixes with a state file of your own.
DEMO_STATE := build/demo-fake.json

MKIMAGE_SRC := $(wildcard tools/mkimage/*.go)

.PHONY: all build images deps demo test test-fake test-linux walkthroughs \
	check-docs upstream-map bench lint clean

all: build

build:
	@echo "make: building $(DOCKERLAB) (the first build compiles every dependency: a minute or two, silently)"
	$(GO) build -o $(DOCKERLAB) ./cmd/dockerlab

# The demo image. scripts/find-busybox.sh finds (or, as root, installs)
# busybox-static; the image is rebuilt only when mkimage's source or the
# busybox binary is newer than it.
images:
	@test -e $(ROOTFS)/bin/busybox || rm -f $(IMAGE)
	@bb=$$(scripts/find-busybox.sh) && \
	$(MAKE) --no-print-directory $(IMAGE) BUSYBOX="$$bb"

$(IMAGE): $(MKIMAGE_SRC) $(BUSYBOX)
	@test -n "$(BUSYBOX)" || { echo "run: make images" >&2; exit 1; }
	$(GO) run ./tools/mkimage -busybox "$(BUSYBOX)" -rootfs $(ROOTFS) -tar $(IMAGE)

deps:
	scripts/deps.sh

# The main demo, on the fake backend (no root needed). Later chapters
# replace it with their own tour.
demo: build
	$(DOCKERLAB) --backend fake --fake-state $(DEMO_STATE) fake reset
	$(DOCKERLAB) --backend fake --fake-state $(DEMO_STATE) net scenario bridge-veth-netns
	$(DOCKERLAB) --backend fake --fake-state $(DEMO_STATE) net show

# Everything CI runs; see scripts/test.sh.
test:
	scripts/test.sh

# Every package's tests; run as yourself, every real-kernel test skips
# (as root they run too, each in its own throwaway namespace).
test-fake:
	$(GO) test ./...

# The real-kernel suites alone, as make test runs them (root).
test-linux:
	DOCKERLAB_TEST_ONLY=linux scripts/test.sh

walkthroughs:
	$(GO) test -count=1 -v ./walkthroughs/

# The docs check: code citations, .md citations, chapter READMEs, the
# headers of v0_1/ and v1_2/ and docs/upstream-map.md (tools/docsymbols).
check-docs:
	$(GO) run ./tools/docsymbols

# Regenerate docs/upstream-map.md from the headers, then check.
upstream-map:
	$(GO) run ./tools/docsymbols -write-upstream-map

# scripts/bench-tools.sh unpacks Debian's runc, dockerd and containerd into
# build/bench-tools (nothing installed); the rows that need them skip, with
# the reason, when that was not possible.
bench: images build
	scripts/bench-tools.sh
	$(GO) build -o $(BIN)/benchtable ./tools/benchtable
	$(BIN)/benchtable -rootfs $(ROOTFS) -image $(IMAGE) -dockerlab $(DOCKERLAB) -tools build/bench-tools

lint:
	@echo "make: gofmt -l, then go vet ./... (vet type-checks every package: the first run takes a minute)"
	@out=$$(git ls-files --cached --others --exclude-standard '*.go' | xargs -r gofmt -l); \
	if [ -n "$$out" ]; then echo "gofmt -l: these files need gofmt -w:"; echo "$$out"; exit 1; fi
	$(GO) vet ./...

clean:
	@# mkimage leaves read-only directories (proc, sys) that rm -rf handles as root only.
	-chmod -R u+w build 2>/dev/null
	rm -rf build
