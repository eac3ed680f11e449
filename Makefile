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

.PHONY: install run test lint format viz mlflow-ui clean

install: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

# One MLflow run per experiment, named after its pipeline (`kedro run` alone runs __default__).
PIPELINES ?= data_preparation gaussian_2d text_lattice gradient_vanishing missing_modes \
	text_modes classifier mnist_stability stacked_mnist adda

run: install
	set -e; for p in $(PIPELINES); do $(BIN)/kedro run --pipelines $$p $(ARGS); done

test: install
	$(BIN)/pytest $(ARGS)

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

clean:
	rm -rf build .viz mlflow.db mlruns mlartifacts
