# Two commands: `make run` (the whole default study) and `make test` (the test suite).
# Both create .venv with pip when it is absent and install the project in it (editable);
# a second call reuses .venv and takes seconds.
VENV ?= .venv
PYTHON ?= python3
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

# No run or test may call the network: Kedro's and MLflow's usage telemetry stay off.
export KEDRO_DISABLE_TELEMETRY := true
export DO_NOT_TRACK := true
export MLFLOW_DISABLE_TELEMETRY := true

.PHONY: install run test lint format viz mlflow-ui browser-check clean

install: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

# `kedro run` alone runs every study in turn (pipeline_registry.STUDY_ORDER), each in its own
# MLflow run and experiment (shall_we_gans.<study>), then `report`. Inside a study, ParallelRunner
# trains its (variant, seed) nodes one per core, one torch thread each: 12 min 22 s on 2 cores
# against 19 min 8 s for SWG_RUNNER=SequentialRunner (2-D studies: the same numbers either way).
SWG_RUNNER ?= ParallelRunner
run: install
	$(BIN)/kedro run --runner $(SWG_RUNNER) $(ARGS)

# Two pytest-xdist workers: the suite is mostly process start-up, imports and tiny pipeline
# runs, which the workers share (tests/conftest.py: tiny_run): 5 min 20 s on 2 cores
# (2026-12-06; 6 min 11 s when each worker made its own). TEST_WORKERS=0 runs it in one process.
TEST_WORKERS ?= 2
test: install
	$(BIN)/pytest -n $(TEST_WORKERS) $(ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

viz: install
	$(BIN)/kedro viz build

mlflow-ui: install
	$(BIN)/mlflow ui --backend-store-uri sqlite:///mlflow.db --port 5000

# Kedro-Viz and the MLflow UI in headless Chromium (Debian's, installed when absent); after
# `make run`. Screenshots: data/08_reporting/screenshots/.
browser-check: install
	command -v chromium >/dev/null || (apt-get update && apt-get install -y chromium)
	$(BIN)/python -m pip install --quiet -e '.[browser]'
	$(BIN)/python scripts/browser_check.py

clean:
	rm -rf build .viz mlflow.db mlruns mlartifacts
