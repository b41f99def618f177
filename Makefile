# `make run` and `make test` set everything up on first use (a .venv beside this file), then run.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test test-fast lint typecheck bench mutation wheel clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	# torch first, pinned: this installs the CPU wheel; any other spec can pull a multi-GB CUDA build.
	$(PY) -m pip install --quiet torch==2.13.0
	$(PY) -m pip install --quiet -e '.[dev,syntax]'
	touch $(STAMP)

run: $(STAMP)
	$(VENV)/bin/quizforge $(ARGS)

# ruff, then the layer contracts of pyproject.toml's [tool.importlinter]
lint: $(STAMP)
	$(VENV)/bin/ruff check quizforge tests benchmarks
	$(VENV)/bin/lint-imports

typecheck: $(STAMP)
	$(VENV)/bin/mypy

test: lint typecheck
	$(VENV)/bin/quizforge validate
	$(PY) -m pytest -n 2 $(PYTEST_ARGS)

# the edit-test loop (under 2 minutes): the whole suite but the slow tier (fault injection, many seeds,
# packaging, whole screens driven through Pilot); the TUI snapshots stay in it
test-fast: $(STAMP)
	$(PY) -m pytest -n 2 -m "not slow" $(PYTEST_ARGS)

# the peer comparison needs Anki's backend (the `bench` extra: no torch, no CUDA); installed on first use
bench: $(STAMP)
	$(PY) -c "import anki" 2>/dev/null || $(PY) -m pip install --quiet 'anki>=25'
	$(PY) benchmarks/run.py

# mutation testing of the core (not part of `make test`): mutmut, installed on first use; hours on a shared 2-core machine,
# so pick TARGETS (benchmarks/mutation.py --list)
mutation: $(STAMP)
	$(PY) -c "import mutmut" 2>/dev/null || $(PY) -m pip install --quiet 'mutmut>=3.3,<4'
	$(PY) benchmarks/mutation.py $(TARGETS)

wheel: $(STAMP)
	$(PY) -m build --wheel --outdir dist .

clean:
	rm -rf $(VENV) dist build *.egg-info .pytest_cache .mypy_cache .ruff_cache
