# Inside Generative Models — two commands: `make lab` (set up + open the course) and `make test`.
# Both create .venv when it is missing or older than the pinned list, then reuse it.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
DEV_STAMP := $(VENV)/.installed-dev
PORT   ?= 8888
# Jupyter refuses to run as root (containers, some lab machines) unless told it is fine
ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root,)
NBVAL_DIRS := notebooks solutions exercises

.PHONY: lab test test-browser venv check-python clean-venv zoo slides site bench help

help:
	@echo "make lab    - set up .venv (first time only) and open the course in JupyterLab"
	@echo "make test   - set up .venv (first time only) and run the whole test suite"
	@echo "make zoo    - retrain every pretrained model (about 15 min on a 2-core CPU)"
	@echo "make slides - build offline reveal.js slides of the lessons into build/slides/"
	@echo "make site   - build the course as an offline HTML book into build/site/_build/html/"
	@echo "make test-browser - the real-browser test alone (installs Debian's chromium if missing)"
	@echo "make bench  - time every lesson, the slides, the site and the browser test against their budgets"

venv: $(STAMP)

# The pinned versions (keras 3.15, numpy 2.4, scipy 1.17, ...) publish wheels for Python 3.11 and 3.12.
check-python:
	@$(PYTHON) -c 'import sys; v = sys.version_info[:2]; \
	sys.exit(0) if (3, 11) <= v <= (3, 12) else sys.exit("Python 3.11 or 3.12 is needed (the pinned keras/numpy/scipy have no wheels for %d.%d); run e.g. make lab PYTHON=python3.11" % v)'

$(STAMP): requirements.txt pyproject.toml | check-python
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	$(PY) -m pip install --quiet --no-deps -e .
	@touch $(STAMP)

# Instructor and CI tools on top: Jupyter Book (make site) and Playwright (the browser test)
$(DEV_STAMP): requirements-dev.txt $(STAMP)
	$(PY) -m pip install --quiet -r requirements-dev.txt
	@touch $(DEV_STAMP)

lab: $(STAMP)
	$(VENV)/bin/jupyter lab --ip=127.0.0.1 --port=$(PORT) $(ROOT_FLAG) notebooks/00_start_here.ipynb

# Tests never touch the learner's own progress record.
test: export COURSE_PROGRESS_FILE := $(CURDIR)/.venv/test-progress.json
test: $(DEV_STAMP)
	$(PY) -m pytest tests -q --ignore=tests/browser
	$(PY) -m pytest -q --nbval-lax --nbval-current-env $(NBVAL_DIRS)
	@$(MAKE) --no-print-directory test-browser

# JupyterLab, the slides and the site in headless Chromium (Debian's package: Playwright never
# downloads a browser here). Installs chromium with apt-get when it is missing.
CHROMIUM ?= /usr/bin/chromium
SUDO := $(if $(filter 0,$(shell id -u)),,sudo)
$(CHROMIUM):
	@command -v apt-get >/dev/null || { echo "The browser test needs Chromium: install it, or run make test CHROMIUM=/path/to/chromium"; exit 1; }
	$(SUDO) apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium >/dev/null

test-browser: export COURSE_PROGRESS_FILE := $(CURDIR)/.venv/test-progress.json
test-browser: export COURSE_CHROMIUM := $(CHROMIUM)
test-browser: export COURSE_BROWSER_REQUIRED := 1
test-browser: $(DEV_STAMP) | $(CHROMIUM)
	$(PY) -m course_utils.slides vendor
	$(PY) -m course_utils.site vendor
	$(PY) -m pytest -q tests/browser

zoo: $(STAMP)
	$(PY) -m course_utils.zoo train --all

# reveal.js decks of the lessons in build/slides/ (npm fetches reveal.js and MathJax once)
slides: $(STAMP)
	$(PY) -m course_utils.slides build

# the whole course as a static HTML book (Jupyter Book 1) in build/site/_build/html/; MathJax local
site: $(DEV_STAMP)
	$(PY) -m course_utils.site build

# speed budgets (lesson < 90 s, slides/site <= 5 min cold, browser test <= 2 min); results in benchmarks/results/
bench: export COURSE_PROGRESS_FILE := $(CURDIR)/.venv/test-progress.json
bench: export COURSE_CHROMIUM := $(CHROMIUM)
bench: $(DEV_STAMP) | $(CHROMIUM)
	$(PY) benchmarks/run.py

clean-venv:
	rm -rf $(VENV)
