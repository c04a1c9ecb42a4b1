# The two commands: `make run` and `make test`. Both set up everything they need.
# The first interpreter that really runs and is 3.11+ (a pyenv shim may exist without one).
PYTHON ?= $(shell for p in python3.13 python3.12 python3.11 python3; do \
	$$p -c 'import sys; sys.exit(sys.version_info < (3, 11))' >/dev/null 2>&1 && \
	{ command -v $$p; break; }; done)
VENV   ?= .venv
BIN    := $(VENV)/bin
LOCK      := requirements.lock
TEST_LOCK := requirements-test.lock
UV_COMPILE = $(BIN)/uv pip compile pyproject.toml --universal --python-version 3.11 -q
HASH   := $(shell cat pyproject.toml $(LOCK) $(TEST_LOCK) | sha1sum | cut -c1-12)
RUN_STAMP  := $(VENV)/.run-$(HASH)
TEST_STAMP := $(VENV)/.test-$(HASH)
# Test processes side by side (pytest-xdist): one more than the cores, at least 3 (many tests
# wait on a homeserver, PostgreSQL or a subprocess); the Synapse tests take two of them
# (tests/conftest.py). PYTEST_WORKERS=0 runs them in this process, one after another.
PYTEST_WORKERS ?= $(shell $(PYTHON) -c 'import os; print(max(3, (os.cpu_count() or 2) + 1))' 2>/dev/null || echo 3)

.PHONY: run test lock bench clean

run: $(RUN_STAMP)
	$(BIN)/samverkan run

test: $(TEST_STAMP)
	$(BIN)/ruff check bot storage tests bench
	$(BIN)/mypy
	$(BIN)/lint-imports
	$(BIN)/pytest -n $(PYTEST_WORKERS)

$(BIN)/python:
	@test -n "$(PYTHON)" || { echo "Python 3.11 or newer is needed; none was found"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

# Installs come from the lock files (exact versions), then the project itself without deps.
$(RUN_STAMP): pyproject.toml $(LOCK) | $(BIN)/python
	$(BIN)/pip install -q -r $(LOCK)
	$(BIN)/pip install -q --no-deps -e .
	touch $@

$(TEST_STAMP): pyproject.toml $(TEST_LOCK) | $(BIN)/python
	$(BIN)/pip install -q -r $(TEST_LOCK)
	$(BIN)/pip install -q --no-deps -e .
	touch $@ $(RUN_STAMP)

# Upgrading is this one command: the newest versions inside pyproject.toml's ranges.
lock: | $(BIN)/python
	$(BIN)/pip install -q 'uv>=0.9,<1'
	$(UV_COMPILE) --upgrade -o $(LOCK)
	$(UV_COMPILE) --upgrade --extra test -o $(TEST_LOCK)

bench: $(TEST_STAMP)
	$(BIN)/python bench/core.py

clean:
	rm -rf $(VENV) .mypy_cache .pytest_cache .ruff_cache samverkan.db
