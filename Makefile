# The verbs of the course. `make site` and `make test` set everything up on a fresh machine.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export PATH := $(abspath $(BIN)):$(PATH)
# Course networks are small: one BLAS thread per process is 10-40x faster on a shared 2-core
# machine than OpenBLAS's default of one thread per core (measured in bench/README.md).
export OPENBLAS_NUM_THREADS ?= 1
export OMP_NUM_THREADS ?= 1

.PHONY: help setup sandbox postgres browser node site test test-fast lint bench release check grade formgrader grades clean

## help: list the verbs
help:
	@grep -E '^## ' $(MAKEFILE_LIST) | sed 's/^## /  /'

## setup: create .venv with the pinned course environment and nnlib installed in it (and bubblewrap, as root)
setup: $(STAMP) sandbox node

NODE_STAMP := node_modules/.package-lock.json

## node: install the site's pinned npm packages (Pyodide for the in-browser copy, axe-core for the tests)
node: $(NODE_STAMP)

$(NODE_STAMP): package.json package-lock.json
	@command -v npm >/dev/null 2>&1 || { echo "npm is not installed: the site is built without its in-browser copy and the browser tests fail"; exit 0; }; \
	  npm ci --no-audit --no-fund --loglevel=error

$(STAMP): requirements.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.lock
	$(BIN)/pip install --quiet --no-deps --no-build-isolation -e .
	@# Learners' JupyterLab: nbgrader's Validate stays; the instructor tools and the course list go.
	$(BIN)/jupyter server extension disable --sys-prefix nbgrader.server_extensions.formgrader nbgrader.server_extensions.course_list >/dev/null
	$(BIN)/jupyter labextension disable --level=sys_prefix @jupyter/nbgrader:formgrader @jupyter/nbgrader:course-list @jupyter/nbgrader:create-assignment >/dev/null
	touch $@

## sandbox: install Debian's bubblewrap, which grading runs learners' code in (needs root and apt)
sandbox:
	@command -v bwrap >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq bubblewrap >/dev/null; \
	  else \
	    echo "bubblewrap is not installed and cannot be installed here (needs root and apt): dld grade needs --no-sandbox"; \
	  fi; }

## postgres: install Debian's PostgreSQL server, which the test of grading into PostgreSQL starts (needs root and apt)
postgres:
	@command -v initdb >/dev/null 2>&1 || ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null; \
	  else \
	    echo "PostgreSQL is not installed and cannot be installed here (needs root and apt): its test is skipped (fails in CI)"; \
	  fi; }

## browser: install Debian's headless Chromium for the website tests (needs root and apt)
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else \
	    echo "chromium is not installed and cannot be installed here (needs root and apt): browser tests will be skipped"; \
	  fi; }

## site: build the website into _build/html (warnings are errors, references checked)
site: setup
	$(BIN)/jupyter-book build . -W -n --keep-going --all

## test: the whole suite: lint, nnlib, lessons and site (built here), exercises and grading, browser
test: setup browser postgres lint
	$(BIN)/python -m pytest

## test-fast: everything except the site build, real trainings, nbgrader runs and the browser
test-fast: setup
	$(BIN)/python -m pytest -m "not slow and not browser"

## lint: ruff's checks and formatting (rules and line length in pyproject.toml)
lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

## bench: nnlib vs scikit-learn's MLPClassifier, and grading throughput
bench: setup
	$(BIN)/python bench/bench_mlp.py
	$(BIN)/python bench/bench_matmul_limit.py
	$(BIN)/python bench/bench_grading.py

## release: regenerate book/NN_topic/exercises.ipynb from the masters in solutions/
release: setup
	$(BIN)/dld release

## check: check a learner's notebook, e.g. make check NB=book/02_neurons/exercises.ipynb
check: setup
	$(BIN)/dld check $(NB)

## grade: autograde new and changed submissions into OUT's grading course, e.g. make grade SUBMISSIONS=submitted OUT=grading [CHAPTER=02_neurons] [REGRADE=1] [FRESH=1] [DUE=02_neurons=2027-01-15T18:00] [CLUSTER=tcp://host:8786] [DB=postgresql+psycopg://...]
grade: setup
	$(BIN)/dld grade $(SUBMISSIONS) --out $(or $(OUT),grading) $(if $(CHAPTER),--chapter $(CHAPTER)) \
	  $(if $(REGRADE),--regrade) $(if $(FRESH),--fresh) $(foreach due,$(DUE),--due $(due)) \
	  $(if $(CLUSTER),--cluster $(CLUSTER)) $(if $(DB),--db '$(DB)')

## formgrader: grade written answers by hand in nbgrader's formgrader on OUT's grading course, e.g. make formgrader OUT=grading
formgrader: setup
	$(BIN)/dld formgrader $(or $(OUT),grading)

## grades: after grading by hand, write grades.csv, lms.csv, feedback and the report, e.g. make grades OUT=grading
grades: setup
	$(BIN)/dld export $(or $(OUT),grading)

## clean: remove the built site and test artefacts
clean:
	rm -rf _build tests/artifacts .pytest_cache .hypothesis
