# Two entry points, each one command on a fresh Debian machine with Python 3.11:
#   make run    install into .venv, then build inputs/ -> exports/
#   make test   install the test tools (and Debian chromium for the browser tests), run pytest
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run test install install-test chromium

run: install
	$(BIN)/newsgraph build inputs/ --out exports/

test: install-test chromium
	$(BIN)/python -m pytest

install: $(VENV)/.installed

install-test: $(VENV)/.installed-test

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

# The browser tests drive Debian's chromium through playwright (never `playwright install`).
chromium:
	@command -v chromium >/dev/null 2>&1 || { \
	  SUDO=$$( [ "$$(id -u)" -eq 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium >/dev/null; }
