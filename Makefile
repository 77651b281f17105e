# carekiosk — `make help` lists the targets.
.DEFAULT_GOAL := help
SHELL := /bin/bash

GO      ?= go
BIN     := bin/carekiosk
VERSION := $(shell git describe --always --dirty 2>/dev/null || echo dev)
LDFLAGS := -X main.version=$(VERSION)
# Output of the display tests: screenshots of what the patient saw.
SHOTS   ?= $(CURDIR)/out/screens

.PHONY: help deps build run test fuzz vet clean screens

help: ## list the targets
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-8s %s\n", $$1, $$2}'

deps: ## install the Debian packages needed (only those missing)
	@scripts/deps

build: deps ## build bin/carekiosk
	$(GO) build -ldflags "$(LDFLAGS)" -o $(BIN) ./cmd/carekiosk

run: build ## run the kiosk with its embedded demo (on a virtual display when there is none)
	scripts/with-display $(BIN) run -dev

test: build ## run every test; the display tests run under Xvfb when there is no display
	$(GO) vet ./...
	CAREKIOSK_REQUIRE_DISPLAY=1 CAREKIOSK_SHOTS=$(SHOTS) scripts/with-display $(GO) test -count=1 -timeout 20m ./...
	scripts/fuzz 10s

fuzz: ## fuzz every parser and decoder for longer (FUZZTIME, default 5m each)
	scripts/fuzz $${FUZZTIME:-5m}

clean: ## remove build and test output
	rm -rf bin out

screens: build ## render every screen and prompt (both sizes, both languages) into docs/screens for the README
	rm -rf out/gallery && mkdir -p docs/screens
	CAREKIOSK_REQUIRE_DISPLAY=1 CAREKIOSK_SHOTS=$(CURDIR)/out/gallery scripts/with-display $(GO) test -count=1 -run 'TestScreens' ./e2e/
	scripts/gallery out/gallery docs/screens
