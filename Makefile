# The two commands the README starts with: `make demo` and `make test`.
SWIFT ?= swift
DEMO ?= captures/demo/demo.pcapng

.PHONY: setup build demo test bench docs fuzz

setup:
	@bash scripts/setup.sh

build: setup
	$(SWIFT) build -c release --product wirecheck

demo: build
	.build/release/wirecheck inspect $(DEMO) || test $$? -eq 1

test: setup
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build
	@bash scripts/replay-fuzz-corpus.sh
	@bash scripts/check-kernels.sh

bench: build
	$(SWIFT) build -c release --product scan-bench
	$(SWIFT) build -c release --product catalog-bench
	.build/release/catalog-bench | tee bench/out/catalog-bench.txt
	bash scripts/setup-bench.sh
	bash bench/run.sh

# libFuzzer harnesses, FUZZ_SECONDS each (default 600): Tests/Fuzz/README.md.
fuzz: setup
	bash scripts/fuzz.sh $(FUZZ_SECONDS)
