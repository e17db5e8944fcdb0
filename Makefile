# Two entry points, each one command on a fresh Debian machine with Python 3.11:
#   make run    install into .venv, then build inputs/ -> exports/
#   make test   install the test tools (and Debian's chromium and rapper, see debian-tools),
#               run pytest
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run test install install-test debian-tools

run: install
	$(BIN)/newsgraph build inputs/ --out exports/

test: install-test debian-tools
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

# Debian packages the tests drive, as command:package. The browser tests drive chromium through
# playwright (never `playwright install`); the RDF tests parse every export with rapper
# (raptor2-utils) as a third parser beside rdflib and pyoxigraph.
DEBIAN_TOOLS := chromium:chromium rapper:raptor2-utils

debian-tools:
	@missing=$$(for tool in $(DEBIAN_TOOLS); do \
	  command -v $${tool%%:*} >/dev/null 2>&1 || echo $${tool#*:}; done); \
	[ -z "$$missing" ] || { \
	  SUDO=$$( [ "$$(id -u)" -eq 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing >/dev/null; }
