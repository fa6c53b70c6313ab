# Children's social care statutory reports. `make help` lists the targets.
SHELL := /bin/bash
.DEFAULT_GOAL := help
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
RAW := data/raw/synthetic
IRO_PARAMS ?= params/iro_annual_2023-24.yml
ATV_PARAMS ?= params/atv_biannual_2024-25_h1.yml
NOTEBOOKS := $(sort $(wildcard notebooks/[0-9]*.ipynb))

.PHONY: help setup data report report-iro report-atv render test unit nbval lint format notebooks lab clean

help: ## List the targets with what they do
	@grep -hE '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | \
	  awk 'BEGIN {FS = ":.*## "}; {printf "  \033[36m%-12s\033[0m %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	@if [ -d .git ]; then git config core.hooksPath .githooks; fi
	touch $(STAMP)

setup: $(STAMP) ## Create .venv, install the suite with its tools, and install the git guard

data: $(STAMP) ## Generate the deterministic synthetic dataset into data/raw/synthetic
	$(PY) -m analysis generate --out $(RAW)

report: report-iro report-atv ## Build both reports (HTML, PDF, DOCX, tables) from synthetic data

report-iro: data ## Build the IRO annual report 2023-24 (Middlesbrough)
	$(PY) -m analysis build --params $(IRO_PARAMS)

report-atv: data ## Build the ATV bi-annual report 2024-25 Q1-Q2
	$(PY) -m analysis build --params $(ATV_PARAMS)

render: $(STAMP) ## Re-render both reports from the executed notebooks (after a text change)
	$(PY) -m analysis render --params $(IRO_PARAMS)
	$(PY) -m analysis render --params $(ATV_PARAMS)

test: data lint unit nbval ## Everything CI checks: lint, unit and render tests, nbval

unit: $(STAMP) ## Unit tests, hand-computed metric tables and a render of both reports
	$(PY) -m pytest tests

nbval: data ## Re-execute the committed notebooks and compare their outputs (nbval)
	$(PY) -m pytest --nbval $(NOTEBOOKS) -p no:cacheprovider

lint: $(STAMP) ## ruff lint and format check
	$(VENV)/bin/ruff check analysis tests
	$(VENV)/bin/ruff format --check analysis tests

format: $(STAMP) ## Apply ruff formatting and safe fixes
	$(VENV)/bin/ruff check --fix analysis tests
	$(VENV)/bin/ruff format analysis tests

notebooks: data ## Refresh the committed notebooks' outputs from the synthetic data
	$(PY) -m analysis notebooks

lab: $(STAMP) ## Open the notebooks in JupyterLab
	$(VENV)/bin/jupyter lab notebooks

clean: ## Remove generated data, builds and outputs (keeps .venv)
	rm -rf build reports/_output data/processed/synthetic $(RAW)
