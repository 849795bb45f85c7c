# The two commands the README starts with: `make demo` and `make test`.
SWIFT ?= swift
DEMO ?= captures/demo/demo.pcapng

.PHONY: setup build demo test bench docs

setup:
	@bash scripts/setup.sh

build: setup
	$(SWIFT) build -c release --product wirecheck

demo: build
	.build/release/wirecheck inspect $(DEMO) || test $$? -eq 1

test: setup
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build
	@bash scripts/check-kernels.sh

bench: build
	$(SWIFT) build -c release --product scan-bench
	bash scripts/setup-bench.sh
	bash bench/run.sh
