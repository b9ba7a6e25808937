# dlbook: the two commands of the README, and a few helpers.
#   make book   build the HTML book into _build/html, its Chinese edition into
#               _build/html/zh (sets everything up first)
#   make test   run every test: unit tests, doctests, nbval, the book build, the browsers
#   make check  the inner loop: the package's unit tests and doctests (goal: 2 minutes)
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

# MNIST: where this repository sits beside the project's shared data (this machine, CI),
# read that file; elsewhere dlbook_utils.data downloads it into the Keras cache once.
SHARED_MNIST := $(abspath ../shared/data/mnist.npz)
ifneq ($(wildcard $(SHARED_MNIST)),)
export DLBOOK_MNIST_PATH ?= $(SHARED_MNIST)
endif

.PHONY: book catalogs test check chapter matrix lab bench screenshot vendor env clean

$(STAMP): requirements.txt pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	$(BIN)/python -m pip install --quiet --no-deps -e .
	$(BIN)/python -m pip check
	touch $@

env: $(STAMP)

vendor:
	scripts/ensure_system_deps.sh npm node
	scripts/fetch_vendor.sh

# The execution cache is keyed on each notebook's code only: when dlbook_utils changes, or
# DLBOOK_QUICK (the MNIST chapter's reduced setting) differs from the cached run's, the
# cached outputs would be stale, so drop them.
UTILS_STAMP := _build/.dlbook_utils-stamp-quick$(DLBOOK_QUICK)
$(UTILS_STAMP): $(shell find dlbook_utils -name '*.py' -o -name '*.js' -o -name '*.css')
	rm -rf _build/.jupyter_cache _build/.dlbook_utils-stamp*
	mkdir -p _build && touch $@

# The English edition executes the notebooks (or reuses its cache); the Chinese edition is
# built from the same sources through locales/zh_CN's catalogs and executes nothing.
book: env vendor $(UTILS_STAMP)
	$(BIN)/jupyter-book build . -W -n --keep-going
	$(BIN)/python scripts/build_edition.py .
	@echo "The book is in _build/html/index.html (中文版: _build/html/zh/index.html)"

# After a change to the English text: the English messages (_build/gettext), merged into
# the Chinese catalogs (a changed message becomes fuzzy, a new one empty), then the list
# of what is left to translate (tests/test_catalogs.py fails until it is empty).
catalogs: env vendor $(UTILS_STAMP)
	$(BIN)/jupyter-book build . -W -n --keep-going
	$(BIN)/python scripts/build_edition.py . --gettext
	$(BIN)/sphinx-intl update -p _build/gettext -l zh_CN -d locales
	$(BIN)/python tests/catalogs.py --drop-obsolete --pot _build/gettext

# Two pytest-xdist workers, each taking whole files (nbval runs a notebook's cells in one
# kernel): first the chapters, longest first, and the unit tests; then the built book's
# tests on one worker and JupyterLab's on the other, both reading nbval's runs
# (tests/conftest.py orders the files, tests/notebook_outputs.py shares the runs).
XDIST := -n 2 --dist loadfile

test: env vendor
	scripts/ensure_system_deps.sh chromium node cjk-fonts
	$(BIN)/python -m pytest $(XDIST)

# The inner loop: unit tests and doctests of dlbook_utils (the Node.js parity of the digit
# lab and the widget checks in Chromium included), no chapter, no book build.
check: env vendor
	scripts/ensure_system_deps.sh chromium node cjk-fonts
	$(BIN)/python -m pytest $(XDIST) -q tests dlbook_utils --ignore=tests/test_book.py \
	    --ignore=tests/test_book_browser.py --ignore=tests/test_jupyterlab.py \
	    --ignore=tests/test_editions.py

# One chapter top to bottom under nbval in the test suite's setting (DLBOOK_QUICK=1, oneDNN on;
# tests/conftest.py is not loaded for a chapter alone): make chapter NB=regularization
chapter: env
	@test -n "$(NB)" || { echo "usage: make chapter NB=<name> (one of: $(notdir $(basename $(wildcard chapters/*.ipynb))))"; exit 2; }
	@test -f chapters/$(NB).ipynb || { echo "no chapter chapters/$(NB).ipynb"; exit 2; }
	DLBOOK_QUICK=1 TF_ENABLE_ONEDNN_OPTS=$${TF_ENABLE_ONEDNN_OPTS:-1} $(BIN)/python -m pytest -q chapters/$(NB).ipynb

# The unit tests and chapters under other TensorFlow settings (oneDNN on/off, 1/2 threads).
matrix: env
	scripts/test_matrix.sh

lab: env
	$(BIN)/jupyter lab chapters/

bench: env vendor
	$(BIN)/python benchmarks/bench_build.py
	$(BIN)/python benchmarks/bench_chapters.py

screenshot: book
	scripts/ensure_system_deps.sh chromium cjk-fonts
	$(BIN)/python scripts/screenshot.py _build/html docs

clean:
	rm -rf _build
