# Two commands do all set-up on a fresh machine:
#   make run    start the app on SQLite with a labelled demo ronde (http://localhost:8501)
#   make test   run every test, the browser tests included
PY ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8501
STAMP := $(VENV)/.installed

.PHONY: run test system bench clean-data

$(STAMP): requirements.txt
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $(STAMP)

system:
	bash scripts/system-packages.sh

# axe-core for the accessibility audit in the browser tests (npm registry, locked)
node_modules/axe-core/axe.min.js: package.json package-lock.json
	npm ci --no-audit --no-fund --silent
	touch $@

run: $(STAMP) system
	ZBT_DEMO=1 $(BIN)/streamlit run app.py --server.port $(PORT) --server.headless true \
		--browser.gatherUsageStats false

test: $(STAMP) system node_modules/axe-core/axe.min.js
	$(BIN)/python -m pytest

bench: $(STAMP)
	$(BIN)/python -m bench

clean-data:
	rm -rf data/
