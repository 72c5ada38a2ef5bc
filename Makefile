# xerotui — `make help` lists the targets. A fresh clone needs only `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.DEFAULT_GOAL := help
.PHONY: help run test lint typecheck pytest sandbox fuzz screenshots snapshots-update readme-keys bench

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-18s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q -e '.[dev]'
	@touch $(STAMP)

run: $(STAMP) ## the dashboard on a local sandbox with demo data (reseed: make run ARGS=--reset)
	$(BIN)/xerotui --demo $(ARGS)

test: lint typecheck pytest ## lint, type check and run every test (what CI runs)

lint: $(STAMP) ## ruff: lint and import rules (api/, config/, sandbox/ never import textual)
	$(BIN)/ruff check xerotui tests benchmarks
	$(BIN)/ruff format --check xerotui tests benchmarks

# Test modules import their helpers by bare name (pytest puts each test's folder on the path),
# and several folders hold a conftest.py: mypy checks one folder at a time, the same way.
CHECKED_DIRS := tests tests/api tests/sandbox tests/snapshots tests/tui tests/unit benchmarks

typecheck: $(STAMP) ## mypy --strict over xerotui/, then over tests/ and benchmarks/ folder by folder
	$(BIN)/mypy
	@for dir in $(CHECKED_DIRS); do \
		MYPYPATH=tests:$$dir $(BIN)/mypy --no-namespace-packages $$dir/*.py || exit 1; \
	done

pytest: $(STAMP) ## the test suite: unit, API against the sandbox, TUI with Pilot and snapshots
	$(BIN)/pytest -q

sandbox: $(STAMP) ## run the local Xerotier emulator on 127.0.0.1:8000 (prints its base URL and keys)
	$(BIN)/xerotui sandbox --port 8000

fuzz: $(STAMP) ## Schemathesis against a fresh sandbox on an ephemeral port (more: FUZZ_ARGS="--max-examples 200")
	$(BIN)/python tests/sandbox/fuzz.py $(FUZZ_ARGS)

screenshots: $(STAMP) ## write an SVG of every screen to screenshots/ (the snapshot scenarios)
	$(BIN)/pytest -q tests/snapshots --screenshots screenshots

snapshots-update: $(STAMP) ## accept the current look as the snapshot baselines (check snapshot_report.html first)
	$(BIN)/pytest -q tests/snapshots --snapshot-update

readme-keys: $(STAMP) ## regenerate the README key table from the live bindings
	$(BIN)/python -m xerotui.tui.keytable --write README.md

bench: $(STAMP) ## measure the targets of design.md section 8 (prints figures; not part of make test)
	$(BIN)/python benchmarks/bench_sandbox.py
	$(BIN)/python benchmarks/bench_startup.py
	$(BIN)/python benchmarks/bench_table.py
	$(BIN)/python benchmarks/bench_table.py --models 100000 --runs 2
	$(BIN)/python benchmarks/bench_watch.py
	$(BIN)/python benchmarks/bench_jobs.py
	$(BIN)/python benchmarks/bench_chat.py
