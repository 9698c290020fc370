# The README's two commands: `make demo` and `make test`. Each installs the system packages
# it needs first (`bootstrap`) and sets up .venv itself; every other target expects them.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
READY := $(VENV)/.ready
PACKAGE_TOOLS := $(VENV)/.package-tools

.PHONY: bootstrap demo test lint typecheck audit unit fuzz screenshots clean frozen deb deb-test bench-package bench \
	reliability soak netem

# The missing system packages, through apt (as root, or with sudo): for the window
# (`demo`), or for the window and everything the tests drive (`test`).
bootstrap:
	PYTHON=$(PYTHON) scripts/bootstrap $(BOOTSTRAP)

demo: BOOTSTRAP = --desktop
demo: bootstrap $(READY)
	$(BIN)/agent-toolbar demo

# The README's screenshots, of the real window on a virtual X display, and of the
# dialogs, the tray menu and a notification in English and Russian (trayer, dunst).
screenshots: $(READY)
	PYTHON=$(PYTHON) scripts/bootstrap --tests
	scripts/with-xvfb $(BIN)/python scripts/screenshots.py
	scripts/with-xvfb $(BIN)/python scripts/desktop_screenshots.py

test: BOOTSTRAP = --tests
test: bootstrap lint typecheck unit audit

lint: $(READY)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(READY)
	$(BIN)/mypy

# Known vulnerabilities in the pins and the environment (packaging/audit-policy.md); about
# 10 s, and one line saying nothing was checked where the database cannot be reached.
audit: $(READY)
	$(BIN)/python scripts/audit

unit: $(READY)
	$(BIN)/pytest

# Long property-test hunt (20,000 examples a property, about 6 minutes here);
# run it after changing domain/.
fuzz: $(READY)
	HYPOTHESIS_PROFILE=fuzz $(BIN)/pytest -p no:cacheprovider --timeout=0 tests/unit/domain/test_properties.py

# The reliability suite with its long faults (refused for 120 s, replies after 30 s) and a
# million fuzz inputs a target, about 5 minutes; its counts go into RELIABILITY.md's table.
reliability: $(READY)
	mkdir -p build
	rm -f build/reliability.json
	AGENT_TOOLBAR_RELIABILITY_JSON=build/reliability.json $(BIN)/pytest -m 'not soak' tests/reliability
	$(BIN)/python scripts/reliability_report.py build/reliability.json

# An hour of simulated time with random faults (seeded), in a few real minutes; its counts
# are added to RELIABILITY.md's table. Run it before a release and after changing session.py.
soak: $(READY)
	mkdir -p build
	rm -f build/soak.json
	AGENT_TOOLBAR_RELIABILITY_JSON=build/soak.json $(BIN)/pytest -m soak tests/soak
	$(BIN)/python scripts/reliability_report.py $(wildcard build/reliability.json) build/soak.json

# Degraded links (two network namespaces and a wire; root) and skewed clocks (libfaketime):
# every condition of tests/network, the default suite's and the netem-marked rest (about
# 8 minutes); its counts are added to RELIABILITY.md's table. Run it after make reliability.
netem: $(READY)
	PYTHON=$(PYTHON) scripts/bootstrap --tests
	mkdir -p build
	rm -f build/netem.json
	AGENT_TOOLBAR_RELIABILITY_JSON=build/netem.json $(BIN)/pytest -m 'netem or not netem' tests/network
	$(BIN)/python scripts/reliability_report.py $(wildcard build/reliability.json) \
		$(wildcard build/soak.json) build/netem.json

# The frozen app, one folder, with PyInstaller (about 30 s): dist/agent-toolbar/.
frozen: $(PACKAGE_TOOLS)
	PYTHON=$(PYTHON) scripts/bootstrap --packaging
	rm -rf build/pyinstaller dist/agent-toolbar
	$(BIN)/pyinstaller --noconfirm --clean --log-level WARN --workpath build/pyinstaller \
		--distpath dist packaging/agent-toolbar.spec

# The Debian package of the frozen app (about 40 s more): dist/agent-toolbar_VERSION_ARCH.deb.
deb: frozen
	$(BIN)/python packaging/linux/build_deb.py

# Unpacks that package and runs, validates, installs and removes it (as root; slow).
deb-test: deb
	$(BIN)/pytest tests/packaging

# The performance figures against their budgets, each beside a baseline (about 5 minutes).
bench: $(READY)
	for script in pipeline memory latency reconnect startup idle_cpu; do \
		$(BIN)/python benchmarks/$$script.py || exit 1; done

# Sizes of the package against its budgets, and cold starts frozen and not (Xvfb).
bench-package: deb
	$(BIN)/python benchmarks/package_size.py
	$(BIN)/python benchmarks/cold_start.py

# The frozen build installs the exact versions that were tested and audited.
$(PACKAGE_TOOLS): $(READY)
	$(BIN)/pip install --quiet -c packaging/constraints.txt -e '.[dev,package]'
	touch $@

$(READY): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip 'setuptools>=78.1.1'
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

clean:
	rm -rf $(VENV) build dist *.egg-info .mypy_cache .ruff_cache .pytest_cache .hypothesis
