# fanzha — the two set-up commands are `make run` and `make test` (see README.md).
SHELL := /bin/bash
.DEFAULT_GOAL := run
FANZHA := build/release/bin/fanzha
# Let ccache share results between clones in different directories (CI builds a fresh clone).
export CCACHE_BASEDIR := $(CURDIR)
export CCACHE_NOHASHDIR := true

.PHONY: deps build web run test test-release test-asan check-format format lint bench fuzz clean

deps:
	@scripts/bootstrap.sh

build: deps
	@cmake --preset release >/dev/null
	@cmake --build --preset release

# The web console (web/): `npm ci` only when package-lock.json changed or node_modules is
# missing, then a Vite build into web/dist whenever a source file changed.
WEB_SOURCES := $(shell find web/src -type f 2>/dev/null) web/index.html web/vite.config.js
web/node_modules/.package-lock.json: web/package-lock.json | deps
	cd web && npm ci --no-audit --no-fund
	@touch $@
web/dist/index.html: web/node_modules/.package-lock.json $(WEB_SOURCES)
	cd web && npm run build
web: web/dist/index.html

# Builds the product and the console and runs the embedded demo server on 127.0.0.1:8080
# (scripts/demo.sh): synthetic Yinchuan data, demo users (passwords printed on the first
# start), a live event stream, the console at http://127.0.0.1:8080/.
run: build web
	@FZ_WEB_ROOT=web/dist scripts/demo.sh

# Everything CI checks: formatting, then all CTest suites in release (g++) and asan (clang
# ASan+UBSan, with the fuzz corpora replayed) builds.
test: deps check-format test-release test-asan

test-release:
	@cmake --preset release >/dev/null
	@cmake --build --preset release
	ctest --preset release

test-asan:
	@cmake --preset asan >/dev/null
	@cmake --build --preset asan
	ctest --preset asan

check-format:
	@scripts/check_format.sh

format:
	git ls-files -- '*.cc' '*.h' | xargs clang-format -i

lint: deps
	@cmake --preset release >/dev/null
	git ls-files -- 'src/*.cc' | xargs clang-tidy -p build/release --quiet

bench: build
	@scripts/run_benchmarks.sh

# Runs each libFuzzer target for FUZZ_SECONDS (default 60) on its corpus.
FUZZ_SECONDS ?= 60
fuzz: deps
	@cmake --preset asan >/dev/null
	@cmake --build --preset asan
	@scripts/run_fuzzers.sh $(FUZZ_SECONDS)

clean:
	rm -rf build
