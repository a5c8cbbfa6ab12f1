# Một Cửa Kiosk — the two commands: `make run` (the kiosk in demo mode) and `make test` (the suite).
# Both install what they need: Debian packages (scripts/system-deps.sh) and a venv from the lock
# (requirements/*.txt, every file hash-checked). `make lock` refreshes the lock from pyproject.toml.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
LOCKED := requirements/build.txt requirements/test.txt
# pip runs with the venv's bin first on PATH: pyscard's sdist calls `swig` from the locked swig wheel.
PIP    := PATH="$(abspath $(BIN)):$$PATH" $(BIN)/python -m pip --quiet
UV_VENV := build/uv
UV      := $(UV_VENV)/bin/uv

.PHONY: run run-windowed test test-campaigns lint screenshots translations lock lock-upgrade wheel \
        system-deps-run system-deps-test clean

run: system-deps-run $(STAMP)
	$(BIN)/kiosk run $(ARGS)

run-windowed: system-deps-run $(STAMP)
	$(BIN)/kiosk run --windowed $(ARGS)

# pytest-xdist workers, one more than the machine's cores: many tests wait (a card read, a portal
# answer, a subprocess) and the extra worker fills those waits. The tests that use the machine's
# pcscd run one after another in one worker; each worker has its own data folders.
# PYTEST_ARGS="-n 0" runs everything in one process.
WORKERS ?= $(shell echo $$(( $$(nproc) + 1 )))
PYTEST_ARGS ?= -n $(WORKERS) --dist loadgroup
# The suite writes compiled bytecode (pytest's rewritten test modules too; __pycache__ folders,
# which git ignores) even where PYTHONDONTWRITEBYTECODE is set: each worker, and each kiosk
# process a test starts, then compiles a module once instead of at every import.
TEST_ENV := env -u PYTHONDONTWRITEBYTECODE

# The static checks (`make lint`: mypy alone is single-threaded) run beside the suite and report
# after it; either failing fails `make test`.
test: system-deps-test $(STAMP)
	@mkdir -p build; \
	$(MAKE) --no-print-directory lint > build/lint.log 2>&1 & lint=$$!; \
	$(TEST_ENV) $(BIN)/python -m pytest $(PYTEST_ARGS); tests=$$?; \
	wait $$lint; checks=$$?; \
	echo "== static checks (make lint): $$([ $$checks -eq 0 ] && echo passed || echo FAILED)"; \
	cat build/lint.log; \
	[ $$tests -eq 0 ] && [ $$checks -eq 0 ]

# The long fault campaigns in full (1,000 submissions through faults, 200 SIGKILLs); `make test`
# runs the same tests bounded.
test-campaigns: system-deps-test $(STAMP)
	NETFAULT_SUBMISSIONS=1000 CRASH_KILLS=200 CHAOS_SUBMISSIONS=400 $(TEST_ENV) $(BIN)/python -m pytest -m campaign $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/lint-imports
	$(BIN)/ruff check .
	$(BIN)/mypy

screenshots: system-deps-test $(STAMP)
	xvfb-run -a -s "-screen 0 1280x800x24" $(BIN)/python -m kiosk.app.screenshots
	$(BIN)/python scripts/escpos_receipts.py

translations: $(STAMP)
	scripts/update_translations.sh

# The kiosk's wheel in dist/ (install it on a kiosk with requirements/kiosk.txt, see docs/operations.md).
wheel: $(STAMP)
	$(BIN)/python -m build --wheel --no-isolation --outdir dist .

system-deps-run:
	@scripts/system-deps.sh run

system-deps-test:
	@scripts/system-deps.sh test

# (Re)create the venv from the lock whenever the lock or pyproject.toml changes: the build tools
# first, then every locked package without build isolation (nothing unpinned is fetched), then the
# kiosk itself, editable.
$(STAMP): pyproject.toml $(LOCKED)
	@$(PYTHON) -c 'import sys; sys.exit(0 if (3, 11) <= sys.version_info[:2] <= (3, 13) else "CPython 3.11 to 3.13 is needed (set PYTHON=...)")'
	rm -rf $(VENV)
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --require-hashes -r requirements/build.txt
	$(PIP) install --require-hashes --no-build-isolation -r requirements/test.txt
	$(PIP) install --no-deps --no-build-isolation -e .
	touch $(STAMP)

# Refresh the lock after a change to pyproject.toml (keeps every pin that still fits);
# `make lock-upgrade` moves every pin to the newest release that fits. Needs the network.
lock: $(UV)
	$(UV) lock
	$(MAKE) --no-print-directory lock-export

lock-upgrade: $(UV)
	$(UV) lock --upgrade
	$(MAKE) --no-print-directory lock-export

.PHONY: lock-export
lock-export: $(UV)
	$(UV) export --quiet --frozen --no-emit-project --format requirements-txt --no-dev -o requirements/kiosk.txt
	$(UV) export --quiet --frozen --no-emit-project --format requirements-txt --extra test -o requirements/test.txt
	$(UV) pip compile --quiet --universal --generate-hashes --python-version 3.11 \
	    -c requirements/test.txt requirements/build.in -o requirements/build.txt
	$(UV) pip compile --quiet --universal --generate-hashes --python-version 3.11 \
	    requirements/uv.in -o requirements/uv.txt

$(UV): requirements/uv.txt
	$(PYTHON) -m venv $(UV_VENV)
	$(UV_VENV)/bin/python -m pip --quiet install --require-hashes -r requirements/uv.txt
	touch $(UV)

clean:
	rm -rf $(VENV) build dist *.egg-info
