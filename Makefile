# The two commands of the README:
#   make        builds everything (PDF, EPUB, report, site) into build/
#   make test   runs the whole test suite
# Both install what they need first: Debian packages where missing, and the
# Python packages (Pandoc included, from the pypandoc-binary wheel) in .venv/.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: all build test setup setup-test bench clean

all: build

$(BIN)/grantpress: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[test]'
	touch $@

setup: $(BIN)/grantpress
	tools/setup-system.sh build

setup-test: $(BIN)/grantpress
	tools/setup-system.sh test

build: setup
	$(BIN)/grantpress build

test: setup-test
	$(BIN)/python -m pytest -q

bench: setup
	$(BIN)/python -m grantpress.bench

clean:
	rm -rf build site
