# Một Cửa Kiosk — the two commands: `make run` (the kiosk in demo mode) and `make test` (the suite).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: run run-windowed test test-campaigns lint screenshots translations system-deps-run system-deps-test clean

run: system-deps-run $(STAMP)
	$(BIN)/kiosk run $(ARGS)

run-windowed: system-deps-run $(STAMP)
	$(BIN)/kiosk run --windowed $(ARGS)

test: system-deps-test $(STAMP)
	$(BIN)/lint-imports
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# The long fault campaigns in full (1,000 submissions through faults, 200 SIGKILLs); `make test`
# runs the same tests bounded.
test-campaigns: system-deps-test $(STAMP)
	NETFAULT_SUBMISSIONS=1000 CRASH_KILLS=200 $(BIN)/python -m pytest -m campaign $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/lint-imports

screenshots: system-deps-test $(STAMP)
	xvfb-run -a -s "-screen 0 1280x800x24" $(BIN)/python -m kiosk.app.screenshots

translations: $(STAMP)
	scripts/update_translations.sh

system-deps-run:
	@scripts/system-deps.sh run

system-deps-test:
	@scripts/system-deps.sh test

# (Re)create the virtual environment when pyproject.toml changes.
$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed (set PYTHON=...)")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

clean:
	rm -rf $(VENV) build *.egg-info
