# Two commands do all the set-up on a fresh machine: `make demo` and `make test`.
# Both create .venv when missing, install the project with its dev extras and the
# system packages it needs (as root; otherwise they print what to install).

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.jiuzhu-installed
# Debian packages: CJK fonts for charts and reports, Chromium for PDF and browser tests.
APT_PACKAGES ?= fonts-noto-cjk chromium
# bubblewrap: the autograde sandbox (docs/sandbox.md); util-linux gives prlimit and setpriv.
APT_PACKAGES += bubblewrap
APT_PACKAGES += util-linux

# LibreOffice (Writer, Calc) and poppler-utils: the report and form tests render documents
# as an office would (docx → PDF, xlsx re-saved) and read the PDF's pages and text positions.
OFFICE_PACKAGES ?= libreoffice-writer libreoffice-calc poppler-utils

# The training hub: Debian's python3 venv for trainees' servers (tools/hub-runtime.sh).
APT_PACKAGES += python3-venv

# pytest-xdist workers: one per core of the 2-core CI machine. Tests that start a hub or a browser
# run one after another in one worker (tests/conftest.py); TEST_WORKERS=0 runs everything in one process.
TEST_WORKERS ?= 2

.PHONY: all setup system-deps e2e-deps office-deps hub-runtime demo test test-fast test-e2e bench clean

all: test

setup: $(STAMP) system-deps
	@# Bytecode of the editable toolkit package (pip compiles installed packages, not this one):
	@# sandboxed grading kernels cannot write it, and PYTHONDONTWRITEBYTECODE keeps others from it.
	@$(PY) -m compileall -q toolkit

$(STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	@# rfc3987-syntax is an optional jsonschema extra that adds ~2 s to every
	@# Jupyter start-up (see bench/cli_startup.py); nothing here needs it.
	-$(PY) -m pip uninstall --quiet --yes rfc3987-syntax
	@touch $(STAMP)

system-deps:
	@bash tools/system-deps.sh $(APT_PACKAGES)
	@bash tools/sandbox-user.sh

# Browser tests drive Debian's chromium through the playwright Python package (never a
# downloaded browser). As root this installs chromium and the CJK fonts by package name.
e2e-deps: setup
	@bash tools/system-deps.sh chromium fonts-noto-cjk
	@command -v chromium >/dev/null 2>&1 \
	  && echo "浏览器测试使用：$$(chromium --version 2>/dev/null)" \
	  || echo "提示：未找到 chromium，浏览器测试（tests/e2e）将报错；请执行 sudo apt-get install chromium" >&2

# As root this installs LibreOffice by package name (no recommends) and checks it runs headless.
office-deps: setup
	@bash tools/system-deps.sh $(OFFICE_PACKAGES)
	@command -v soffice >/dev/null 2>&1 \
	  && soffice --headless --version \
	  || echo "提示：未找到 LibreOffice，文档渲染测试将报错；请执行 sudo apt-get install --no-install-recommends $(OFFICE_PACKAGES)" >&2

# Trainees' servers on `jiuzhu hub` run as their own system accounts: they need a Python
# environment every account can read (Debian's python3 in /opt/jiuzhu-hub; see tools/hub-runtime.sh).
hub-runtime: setup
	@bash tools/hub-runtime.sh >/dev/null

demo: setup
	$(VENV)/bin/jiuzhu demo

test: setup e2e-deps office-deps hub-runtime
	@# PostgreSQL for the gradebook and shared inspection store tests (tests/pg_server.py)
	@bash tools/system-deps.sh postgresql
	$(PY) -m pytest -n $(TEST_WORKERS) --dist loadgroup

test-e2e: e2e-deps hub-runtime
	$(PY) -m pytest -m e2e tests/e2e

test-fast: setup
	$(PY) -m pytest -n $(TEST_WORKERS) --dist loadgroup -m "not slow and not e2e"

# Performance ratios against what a user would otherwise run; printed, never asserted.
# Every bench/*.py (convention in bench/README.md; tests/test_bench.py runs each on a tiny size).
bench: setup
	@set -e; for script in bench/*.py; do echo "== $$script"; $(PY) $$script; done

clean:
	rm -rf build data .pytest_cache
