# dlbook: the two commands of the README, and a few helpers.
#   make book   build the HTML book into _build/html (sets everything up first)
#   make test   run every test: unit tests, doctests, nbval, the book build, the browsers
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

.PHONY: book test matrix lab bench screenshot vendor env clean

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
$(UTILS_STAMP): $(wildcard dlbook_utils/*.py)
	rm -rf _build/.jupyter_cache _build/.dlbook_utils-stamp*
	mkdir -p _build && touch $@

book: env vendor $(UTILS_STAMP)
	$(BIN)/jupyter-book build . -W -n --keep-going
	@echo "The book is in _build/html/index.html"

test: env vendor
	scripts/ensure_system_deps.sh chromium node
	$(BIN)/python -m pytest

# The unit tests and chapters under other TensorFlow settings (oneDNN on/off, 1/2 threads).
matrix: env
	scripts/test_matrix.sh

lab: env
	$(BIN)/jupyter lab chapters/

bench: env vendor
	$(BIN)/python benchmarks/bench_build.py
	$(BIN)/python benchmarks/bench_chapters.py

screenshot: book
	$(BIN)/python scripts/screenshot.py _build/html docs

clean:
	rm -rf _build
