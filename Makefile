# The README's two commands: `make demo` and `make test`. Each sets up .venv itself.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
READY := $(VENV)/.ready

.PHONY: demo test lint typecheck unit fuzz screenshots clean

demo: $(READY)
	PYTHON=$(PYTHON) scripts/bootstrap --desktop
	$(BIN)/agent-toolbar demo

# The README's screenshots, of the real window on a virtual X display, and of the
# dialogs, the tray menu and a notification in English and Russian (trayer, dunst).
screenshots: $(READY)
	PYTHON=$(PYTHON) scripts/bootstrap --tests
	scripts/with-xvfb $(BIN)/python scripts/screenshots.py
	scripts/with-xvfb $(BIN)/python scripts/desktop_screenshots.py

test: lint typecheck unit

lint: $(READY)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(READY)
	$(BIN)/mypy

unit: $(READY)
	PYTHON=$(PYTHON) scripts/bootstrap --tests
	$(BIN)/pytest

# Long property-test hunt (20,000 examples a property, about 6 minutes here);
# run it after changing domain/.
fuzz: $(READY)
	HYPOTHESIS_PROFILE=fuzz $(BIN)/pytest -p no:cacheprovider --timeout=0 tests/unit/test_properties.py

$(READY): pyproject.toml scripts/bootstrap
	PYTHON=$(PYTHON) scripts/bootstrap
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

clean:
	rm -rf $(VENV) build dist *.egg-info .mypy_cache .ruff_cache .pytest_cache .hypothesis
