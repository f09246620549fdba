# Two commands do all the set-up on a fresh machine: `make demo` and `make test`.
# Both create .venv when missing, install the project with its dev extras and the
# system packages it needs (as root; otherwise they print what to install).

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.jiuzhu-installed
# Debian packages: CJK fonts for charts and reports, Chromium for PDF and browser tests.
APT_PACKAGES ?= fonts-noto-cjk chromium

.PHONY: all setup system-deps demo test test-fast bench clean

all: test

setup: $(STAMP) system-deps

$(STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	@# rfc3987-syntax is an optional jsonschema extra that adds ~2 s to every
	@# Jupyter start-up (see bench/startup.py); nothing here needs it.
	-$(PY) -m pip uninstall --quiet --yes rfc3987-syntax
	@touch $(STAMP)

system-deps:
	@bash tools/system-deps.sh $(APT_PACKAGES)

demo: setup
	$(VENV)/bin/jiuzhu demo

test: setup
	$(PY) -m pytest

test-fast: setup
	$(PY) -m pytest -m "not slow and not e2e"

bench: setup
	$(PY) bench/cli_startup.py

clean:
	rm -rf build data .pytest_cache
