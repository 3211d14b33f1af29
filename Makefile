# iomodels — `make help` lists the targets.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
UV := $(VENV)/bin/uv
UV_VERSION := 0.13.8
export UV_PYTHON_DOWNLOADS := never
export UV_PROJECT_ENVIRONMENT := $(VENV)
# Byte-code is compiled at install: start-up (dlt alone is ~2 s to compile) must not depend
# on Python being allowed to write .pyc files later (PYTHONDONTWRITEBYTECODE).

.DEFAULT_GOAL := help
.PHONY: help install demo load report feed test test-unit lint bench clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

install: $(VENV)/.installed ## create .venv with iomodels and its dev tools (from uv.lock)

$(VENV)/.installed: pyproject.toml uv.lock
	@test -x $(PY) || python3 -m venv $(VENV)
	@test -x $(UV) || $(PY) -m pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)
	@$(UV) sync --frozen --inexact --quiet --compile-bytecode
	@touch $@

demo: install ## the replica, two loads (the catalogue changes), one in the live shape, the report
	@$(PY) scripts/demo.py

load: install ## one load from the real API into data/ (IOINTELLIGENCE_API_KEY if you have one)
	@$(VENV)/bin/iomodels load

report: install ## the report of data/ in the terminal, and as HTML in data/report.html
	@$(VENV)/bin/iomodels report
	@$(VENV)/bin/iomodels report --html data/report.html

feed: install ## the Atom feed of the last 30 days' changes in data/changes.atom
	@$(VENV)/bin/iomodels changes --format atom > data/changes.atom.tmp \
		|| { rm -f data/changes.atom.tmp; exit 2; }
	@mv data/changes.atom.tmp data/changes.atom
	@echo "wrote data/changes.atom"

test: install ## run the test suite (both tiers, 2 workers)
	@$(PY) -m pytest -q -n 2

test-unit: install ## the fast tier: pure modules only, no replica, no load (seconds)
	@$(PY) -m pytest -q tests/unit

lint: install ## ruff and mypy
	@$(VENV)/bin/ruff check pipelines tests scripts bench
	@$(VENV)/bin/ruff format --check pipelines tests scripts bench
	@$(VENV)/bin/mypy
	@$(VENV)/bin/mypy --strict bench

bench: install ## measure iomodels against dlt's rest_api and a naive loop (a few minutes)
	@$(PY) bench/run.py

clean: ## remove .venv, caches and everything under data/
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
	find data -mindepth 1 ! -name .gitkeep -exec rm -rf {} +
