# The two commands from the README: `make run` and `make test`. Both install what is missing first.
SHELL := /bin/bash
.DEFAULT_GOAL := help

# Every Debian package the project needs (build, run, tests). Later features add theirs here.
APT_PACKAGES := pkg-config libpq-dev libssl-dev postgresql knot knot-dnsutils bind9-dnsutils unbound pebble nginx \
	python3 python3-venv chromium chromium-driver
# systemd-analyze verifies the units in deploy/systemd (Tests/CLITests/SystemdUnitTests.swift); installing the
# package in a container does not make systemd its init.
APT_PACKAGES += systemd
# Postfix is a real MTA for the mail door's relay test (Tests/ReportIntakeTests/PostfixRelayTests.swift), which runs
# its own private instance. The system's postfix is installed unconfigured (debconf "No configuration": no main.cf,
# no daemon started, port 25 left alone), so installing it needs no answers and changes nothing on the host.
APT_PACKAGES += postfix
POSTFIX_DEBCONF := postfix postfix/main_mailer_type select No configuration
# Python tools the end-to-end tests drive (a sender-side MTA-STS implementation, Selenium for the web form, an SMTP
# server for the SMTP client's probe and submission tests, checkdmarc to compare the check's verdicts with,
# Schemathesis for the OpenAPI contract, sys4's TLS-RPT reporter as a real report sender), pinned and installed into
# the project's own virtualenv, never the system Python.
PYTHON_PACKAGES := postfix-mta-sts-resolver==1.5.1 selenium==4.51.0 aiosmtpd==1.4.6 checkdmarc==6.0.4 \
	schemathesis==4.32.5 tlsrpt-reporter==0.6.0
VENV := .venv
# Exits 0 when every `name==version` argument is installed at exactly that version.
export PINNED_PRESENT := import sys, importlib.metadata as m; sys.exit(any(m.version(n) != v for n, v in (a.split("==") for a in sys.argv[1:])))
# For `make bench` only (Benchmarks/edge): the nginx reference, wrk, and the seed generator's crypto.
APT_PACKAGES += nginx-light wrk curl python3-cryptography
FUZZ_SECONDS ?= 15
SWIFT_BUILD_FLAGS ?=

.PHONY: help deps build release run demo test unit lint fuzz bench guide-screenshots

help:
	@echo "make run    build (release) and start API + edge + worker with an embedded PostgreSQL under .data/"
	@echo "make demo   the platform on loopback with a demo tenant (test DNS, Pebble, mtasts serve); Ctrl-C stops it"
	@echo "make test   install what is missing, build, run the whole test suite (with the Schemathesis contract run)"
	@echo "            and the bounded fuzz runs"
	@echo "make deps   install missing system packages (as root) or print the command; create $(VENV) for Python tools"
	@echo "make bench  edge vs nginx with wrk, and edge start-up/RSS with 10k and 100k domains (BENCH_FLAGS=--record)"
	@echo "make guide-screenshots  retake docs/guide/*.png (the tenant guide's pictures) with the browser journey"

deps:
	@missing=""; \
	for package in $(APT_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' "$$package" 2>/dev/null | grep -q "ok installed" || missing="$$missing $$package"; \
	done; \
	if [ -z "$$missing" ]; then echo "deps: all system packages present"; exit 0; fi; \
	if [ "$$(id -u)" = "0" ]; then \
	  echo "deps: installing$$missing"; \
	  export DEBIAN_FRONTEND=noninteractive; \
	  echo "$(POSTFIX_DEBCONF)" | debconf-set-selections && \
	  apt-get update -qq && apt-get install -y -qq --no-install-recommends $$missing; \
	else \
	  echo "deps: missing packages:$$missing"; \
	  echo "run:  echo '$(POSTFIX_DEBCONF)' | sudo debconf-set-selections && sudo apt-get update &&" \
	    "sudo DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends$$missing"; \
	  exit 1; \
	fi
	@# The packaged resolver must not hold port 53 or race the tests' own instance.
	@if command -v systemctl >/dev/null 2>&1 && systemctl is-active --quiet unbound 2>/dev/null; then systemctl stop unbound || true; fi
	@# Python tools live in a virtualenv (no root needed); pip runs only when a pinned version is missing.
	@if [ ! -x $(VENV)/bin/python ]; then echo "deps: creating $(VENV)"; python3 -m venv $(VENV) || exit 1; fi; \
	if $(VENV)/bin/python -c "$$PINNED_PRESENT" $(PYTHON_PACKAGES) 2>/dev/null; then \
	  echo "deps: $(VENV) has $(PYTHON_PACKAGES)"; \
	else \
	  echo "deps: installing $(PYTHON_PACKAGES) into $(VENV)"; \
	  $(VENV)/bin/pip install -q $(PYTHON_PACKAGES); \
	fi

build: deps
	swift build $(SWIFT_BUILD_FLAGS)

# Only the product operators run (the demo executable is built on the test harness and stays a debug tool).
release: deps
	swift build -c release --product mtasts $(SWIFT_BUILD_FLAGS)

run: release
	./.build/release/mtasts serve

# Knot + Unbound, Pebble, PostgreSQL and `mtasts serve` on loopback, a demo tenant with a verified domain and its
# certificate, then what to try next (Tests/Demo). DEMO_EXIT_AFTER_READY=1 stops it once ready.
demo: deps
	swift build $(SWIFT_BUILD_FLAGS)
	./.build/debug/mtasts-demo

test: deps lint
	swift build --build-tests $(SWIFT_BUILD_FLAGS)
	swift test --skip-build
	$(MAKE) --no-print-directory fuzz
	@# `make run` uses the release build: make sure it compiles too (whole-module optimisation sees imports differently).
	swift build -c release --product mtasts $(SWIFT_BUILD_FLAGS)

unit: deps
	swift build --build-tests $(SWIFT_BUILD_FLAGS)
	swift test --skip-build

# The committed .swift-format (SSWG style, 120 columns) over every Swift file, and the architecture rules
# (SQL only in Store/ and Database/, imports only of declared targets, one owner per C module); any finding fails.
lint:
	swift format lint --strict --recursive Sources Tests
	python3 Tests/Lint/check-architecture.py

# Bounded libFuzzer runs of the HTTP, DNS, SMTP reply, MIME and TLS report parsers, of the decompressors and of the
# SMTP server's session (Tests/Fuzz/); a crash fails the build.
fuzz:
	FUZZ_SECONDS=$(FUZZ_SECONDS) Tests/Fuzz/run-http-fuzz.sh
	FUZZ_SECONDS=$(FUZZ_SECONDS) Tests/Fuzz/run-dns-fuzz.sh
	FUZZ_SECONDS=$(FUZZ_SECONDS) Tests/Fuzz/run-dns-responder-fuzz.sh
	FUZZ_SECONDS=$(FUZZ_SECONDS) Tests/Fuzz/run-smtp-reply-fuzz.sh
	FUZZ_SECONDS=$(FUZZ_SECONDS) Tests/Fuzz/run-mime-fuzz.sh
	FUZZ_SECONDS=$(FUZZ_SECONDS) Tests/Fuzz/run-decompression-fuzz.sh
	FUZZ_SECONDS=$(FUZZ_SECONDS) Tests/Fuzz/run-smtp-session-fuzz.sh
	FUZZ_SECONDS=$(FUZZ_SECONDS) Tests/Fuzz/run-tlsrpt-fuzz.sh

# The edge benchmarks (docs/performance.md); never part of `make test`. BENCH_FLAGS=--record appends to
# Benchmarks/edge/results.md.
BENCH_FLAGS ?=
bench: deps
	Benchmarks/edge/run.sh $(BENCH_FLAGS)
	Benchmarks/edge/startup.sh $(BENCH_FLAGS) 10000 100000

# The pictures in docs/guide.md: the web form's browser journey (Tests/WebFormTests) saves each main screen at
# 1280 and 360 px into docs/guide/. Commit the result.
guide-screenshots: deps
	swift build --build-tests $(SWIFT_BUILD_FLAGS)
	rm -f docs/guide/*.png
	WEBFORM_GUIDE_DIR=$(CURDIR)/docs/guide swift test --skip-build --filter WebFormTests
