# Two commands do all set-up on a fresh machine:
#   make run    start the app on SQLite with a labelled demo ronde (http://localhost:8501)
#   make test   ruff, then every test, the browser tests included
# and for two replicas behind HAProxy on PostgreSQL (issue 14):
#   make run-schaal   http://localhost:8500 (scripts/run-schaal.sh; ports and database by env)
# and one for while you work:
#   make test-snel   ruff, then the logic tests only (see below)
PY ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8501
STAMP := $(VENV)/.installed
# The tests keep compiled modules, pytest's rewritten test modules included, in .cache/pyc
# (not next to the sources, not in the venv), also where PYTHONDONTWRITEBYTECODE is set:
# without that cache, rewriting the asserts costs about 2.5 s on every run.
PYCACHE := PYTHONDONTWRITEBYTECODE= PYTHONPYCACHEPREFIX=$(CURDIR)/.cache/pyc

.PHONY: run run-schaal test test-snel system bench clean-data

$(STAMP): requirements.txt
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $(STAMP)

system:
	bash scripts/system-packages.sh

# axe-core, IBM's accessibility-checker-engine and HTML_CodeSniffer for the accessibility audit
# in the browser tests (npm registry, locked); one `npm ci` makes all three (a grouped target)
NPM_AUDIT = node_modules/axe-core/axe.min.js node_modules/accessibility-checker-engine/ace.js \
	node_modules/@pa11y/html_codesniffer/build/HTMLCS.js
$(NPM_AUDIT) &: package.json package-lock.json
	npm ci --no-audit --no-fund --silent
	touch $(NPM_AUDIT)

run: $(STAMP) system
	ZBT_DEMO=1 $(BIN)/streamlit run server.py --server.port $(PORT) --server.headless true \
		--browser.gatherUsageStats false

# Two replicas of the same app (the flags above) behind HAProxy, one PostgreSQL database
# (ZBT_DATABASE_URL, default the test database on 127.0.0.1:5432): scripts/run-schaal.sh.
run-schaal: $(STAMP) system
	bash scripts/run-schaal.sh

test: $(STAMP) system $(NPM_AUDIT)
	$(BIN)/ruff check .
	$(PYCACHE) $(BIN)/python -m pytest

# Without the markers browser, pdf, db and traag (pytest.ini): no Chromium, WeasyPrint or database.
# Measured on the 2-core development container (29 Nov 2026, 433 tests): about 20 s, the first
# run about 26 s (while .cache/pyc fills); the whole suite without the browser tests takes ~4 min.
test-snel: $(STAMP)
	$(BIN)/ruff check .
	$(PYCACHE) $(BIN)/python -m pytest -q -m "not browser and not pdf and not db and not traag"

bench: $(STAMP)
	$(BIN)/python -m bench

clean-data:
	rm -rf data/
