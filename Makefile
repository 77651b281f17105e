# carekiosk — `make help` lists the targets.
.DEFAULT_GOAL := help
SHELL := /bin/bash

GO      ?= go
BIN     := bin/carekiosk
# The browser, beside the supervisor (installed: $(PREFIX)/lib/carekiosk/carekiosk-shell).
SHELLBIN = $(dir $(BIN))carekiosk-shell
VERSION := $(shell git describe --always --dirty 2>/dev/null || echo dev)
LDFLAGS := -X main.version=$(VERSION)
# Output of the display tests: screenshots of what the patient saw.
SHOTS   ?= $(CURDIR)/out/screens
# The WebKitGTK API: 4.0 (Debian 12) or 4.1 (Debian 13, Ubuntu 24.04), the installed one unless
# WEBKIT=4.0|4.1 says. scripts/webkit gives the go flags of that build (the build tag webkit2_41
# for 4.1); every go command gets them, the tests' own builds of the kiosk included.
WEBKIT  ?=
USER_GOFLAGS := $(GOFLAGS)
export GOFLAGS = $(strip $(USER_GOFLAGS) $(shell scripts/webkit $(WEBKIT)))

.PHONY: help deps build run test test-cage test-boot fuzz vet clean install deb deb-trixie debs screens bench-hardware bench soak

help: ## list the targets
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-14s %s\n", $$1, $$2}'

deps: ## install the Debian packages a build needs (only those missing; scripts/deps run|test|deb: more)
	@scripts/deps build

build: deps ## build bin/carekiosk and the browser beside it, bin/carekiosk-shell
	$(GO) build -ldflags "$(LDFLAGS)" -o $(BIN) ./cmd/carekiosk
	$(GO) build -ldflags "$(LDFLAGS)" -o $(SHELLBIN) ./cmd/carekiosk-shell

# The display stack of `make run`: x11 (this display, else Xvfb) or cage (headless cage on
# Wayland, the unit's own stack; as root, in the Debian 13 test root, since cage refuses root).
STACK ?= x11
# The roots (scripts/root) and systemd-nspawn need root.
SUDO    := $(if $(filter 0,$(shell id -u)),,sudo)
# In the Debian 13 root (scripts/root): the go flags of its WebKitGTK 4.1 build.
IN_ROOT := export GOFLAGS="$$GOFLAGS $$(scripts/webkit)";

run: build ## run the kiosk with its embedded demo (STACK=cage: under headless cage, as a unit does)
	@scripts/deps run
ifeq ($(STACK),cage)
	@if [ "$$(id -u)" -ne 0 ]; then exec scripts/with-display --cage $(BIN) run -dev; fi; \
	echo "make run: as root, so in the Debian 13 test root; from this machine: export WAYLAND_DISPLAY=$(CURDIR)/out/trixie/run/wayland-0"; \
	scripts/root trixie sh -c '$(IN_ROOT) go build -o /tmp/ck/ ./cmd/carekiosk ./cmd/carekiosk-shell && \
		CAGE_RUNTIME_DIR=/src/out/run scripts/with-display --cage /tmp/ck/carekiosk run -dev'
else
	scripts/with-display $(BIN) run -dev
endif

test: build ## every test: under Xvfb here (WebKitGTK 4.0 on Debian 12), then `make test-cage` and `make test-boot`
	@scripts/deps test deb
	$(GO) vet ./...
	CAREKIOSK_REQUIRE_DISPLAY=1 CAREKIOSK_SHOTS=$(SHOTS) scripts/with-display $(GO) test -count=1 -timeout 20m ./...
	scripts/fuzz 50000x
	$(MAKE) --no-print-directory test-cage
	$(MAKE) --no-print-directory test-boot

test-cage: ## every test in a Debian 13 root (WebKitGTK 4.1), the display tests under headless cage
	@scripts/deps test
	$(SUDO) scripts/root trixie sh -c '$(IN_ROOT) go vet ./... && \
		CAREKIOSK_REQUIRE_DISPLAY=1 CAREKIOSK_SHOTS=/src/out/screens scripts/with-display --cage go test -count=1 -timeout 20m ./...'

# The bench: figures of this machine, printed as markdown (bench/main.go says how each is taken).
RUNS ?= 20
IDLE ?= 30s
N    ?= 1000

bench: build ## the figures under Xvfb here, then under cage in the Debian 13 root, beside a bare webview and cog
	@scripts/deps run
	$(GO) build -o bin/bench ./bench
	$(GO) build -o bin/bench-bare ./bench/bare
	scripts/with-display bin/bench -bin $(BIN) -bare bin/bench-bare -runs $(RUNS) -idle $(IDLE)
	$(SUDO) scripts/root trixie sh -c '$(IN_ROOT) \
		go build -o /tmp/ck/ ./cmd/carekiosk ./cmd/carekiosk-shell && go build -o /tmp/ck/bench ./bench && \
		go build -o /tmp/ck/bench-bare ./bench/bare && \
		scripts/with-display --cage /tmp/ck/bench -bin /tmp/ck/carekiosk -bare /tmp/ck/bench-bare -runs $(RUNS) -idle $(IDLE)'
	@# The hardware figures (decoder throughput, swipe latency), where that target exists.
	@$(MAKE) -q bench-hardware >/dev/null 2>&1; if [ $$? -ne 2 ]; then $(MAKE) --no-print-directory bench-hardware; fi

soak: build ## N whole sessions (default 1000), each checked for residue and orphans; memory growth
	@scripts/deps run
	$(GO) build -o bin/bench ./bench
	scripts/with-display bin/bench -bin $(BIN) -soak $(N)

fuzz: ## fuzz every parser and decoder for longer (FUZZTIME, default 5m each)
	scripts/fuzz $${FUZZTIME:-5m}

bench-hardware: ## measure decoders and swipe-to-event latency (SWIPES, default 200); prints markdown
	@scripts/bench-hardware

clean: ## remove build and test output
	rm -rf bin out

# Installation: `make install DESTDIR=… PREFIX=/usr`. Units and udev rules go under /lib (Debian
# 12's systemd and udev paths), whatever PREFIX is; tmpfiles, sysusers and modules-load entries
# under /usr/lib.
PREFIX  ?= /usr
DESTDIR ?=
UNITDIR := /lib/systemd/system
UDEVDIR := /lib/udev/rules.d
DOCDIR   = $(PREFIX)/share/doc/carekiosk

install: build ## install the kiosk: binary, systemd unit, udev rule, config (DESTDIR, PREFIX=/usr)
	install -D -m 0755 $(BIN) $(DESTDIR)$(PREFIX)/bin/carekiosk
	install -D -m 0755 $(SHELLBIN) $(DESTDIR)$(PREFIX)/lib/carekiosk/carekiosk-shell
	install -d -m 0755 $(DESTDIR)$(UNITDIR) $(DESTDIR)$(UDEVDIR) $(DESTDIR)/usr/lib/tmpfiles.d \
		$(DESTDIR)/usr/lib/sysusers.d $(DESTDIR)/usr/lib/modules-load.d $(DESTDIR)$(DOCDIR)
	sed 's|/usr/bin/carekiosk|$(PREFIX)/bin/carekiosk|g' systemd/carekiosk.service \
		> $(DESTDIR)$(UNITDIR)/carekiosk.service
	chmod 0644 $(DESTDIR)$(UNITDIR)/carekiosk.service
	install -m 0644 systemd/60-carekiosk.rules $(DESTDIR)$(UDEVDIR)/60-carekiosk.rules
	install -m 0644 systemd/carekiosk.tmpfiles $(DESTDIR)/usr/lib/tmpfiles.d/carekiosk.conf
	install -m 0644 systemd/carekiosk.sysusers $(DESTDIR)/usr/lib/sysusers.d/carekiosk.conf
	install -m 0644 systemd/carekiosk.modules-load $(DESTDIR)/usr/lib/modules-load.d/carekiosk.conf
	install -m 0644 docs/install.md docs/config.md $(DESTDIR)$(DOCDIR)/
	install -D -m 0644 docs/carekiosk.1 $(DESTDIR)$(PREFIX)/share/man/man1/carekiosk.1
	@# The config is the provider's: installed only where there is none yet, never overwritten.
	install -d -m 0755 $(DESTDIR)/etc/carekiosk
	@if [ -e $(DESTDIR)/etc/carekiosk/kiosk.toml ]; then \
		echo "install: keeping the existing $(DESTDIR)/etc/carekiosk/kiosk.toml"; \
	else \
		install -m 0644 systemd/kiosk.toml $(DESTDIR)/etc/carekiosk/kiosk.toml; \
	fi

# The Debian packages (debian/, built with dpkg-buildpackage by scripts/deb): one per base, for
# that base's WebKitGTK, the base in the version. `make deb` builds this machine's (Debian 12:
# WebKitGTK 4.0, carekiosk_VERSION~deb12_ARCH.deb), `make deb-trixie` the Debian 13 one (4.1,
# ~deb13) in the Debian 13 root; both land in out/deb/, each checked by its base's lintian.
# Go is not a Debian package here (Debian's is too old): debian/rules takes /usr/local/go.
deb: deps ## build this base's package into out/deb/ (Debian 12: carekiosk_*~deb12_*.deb), then lintian
	@scripts/deps deb
	CAREKIOSK_GIT='$(VERSION)' GOFLAGS='$(USER_GOFLAGS)' scripts/deb

deb-trixie: ## build out/deb/carekiosk_*~deb13_*.deb (WebKitGTK 4.1) in the Debian 13 root, then its lintian
	rm -rf out/trixie/deb
	$(SUDO) scripts/root trixie sh -c "CAREKIOSK_GIT='$(VERSION)' scripts/deb"
	mkdir -p out/deb && rm -f out/deb/carekiosk_*~deb13_*.deb && cp out/trixie/deb/carekiosk_*~deb13_*.deb out/deb/
	@ls -l out/deb/

debs: deb deb-trixie ## both packages: Debian 12 (here) and Debian 13 (in its root), into out/deb/

# The boot test (boot/): each package installed with apt in a Debian root that boots with systemd
# (scripts/root boot-bookworm, boot-trixie), the unit driven as a technician would. Debian 12's
# screenshot is kept, not judged: cage 0.1.4 gives grim a stale frame there (docs/platforms.md).
# What each boot shows (console log, screenshot) goes to out/boot/BASE/.
BOOT = $(SUDO) env CAREKIOSK_BOOT_ROOT="$$($(SUDO) scripts/root --path boot-$(1))" \
	CAREKIOSK_BOOT_DEB="$$(ls out/deb/carekiosk_*~$(2)_*.deb)" CAREKIOSK_BOOT_OUT=$(CURDIR)/out/boot/$(1) $(3) \
	bin/boot.test -test.v -test.count=1 -test.timeout 15m

test-boot: debs ## both packages, each booted under systemd in a Debian 12 and a Debian 13 root
	@scripts/deps test
	$(GO) test -c -o bin/boot.test ./boot
	$(call BOOT,bookworm,deb12)
	$(call BOOT,trixie,deb13,CAREKIOSK_BOOT_DRAWS=1)

screens: build ## render every screen and prompt (both sizes, both languages) into docs/screens for the README
	@scripts/deps run
	rm -rf out/gallery && mkdir -p docs/screens
	CAREKIOSK_REQUIRE_DISPLAY=1 CAREKIOSK_SHOTS=$(CURDIR)/out/gallery scripts/with-display $(GO) test -count=1 -run 'TestScreens|TestOnScreenKeyboardGallery' ./e2e/
	scripts/gallery out/gallery docs/screens
