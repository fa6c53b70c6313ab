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

.PHONY: help setup data report report-iro report-atv render test unit nbval lint format notebooks lab clean browser-deps validators-venv dfe-rules bench peers-venv

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
	@if [ -d .git ]; then git config core.hooksPath .githooks; fi

data: $(STAMP) ## Generate the deterministic synthetic dataset into data/raw/synthetic
	$(PY) -m analysis generate --out $(RAW)

report: data ## Build both reports (HTML, PDF, DOCX, tables) from synthetic data
	$(PY) -m analysis build --params $(IRO_PARAMS) $(ATV_PARAMS)

report-iro: data ## Build the IRO annual report 2023-24 (Middlesbrough)
	$(PY) -m analysis build --params $(IRO_PARAMS)

report-atv: data ## Build the ATV bi-annual report 2024-25 Q1-Q2
	$(PY) -m analysis build --params $(ATV_PARAMS)

render: $(STAMP) ## Re-render both reports from the executed notebooks (after a text change)
	$(PY) -m analysis render --params $(IRO_PARAMS) $(ATV_PARAMS)

test: data lint unit nbval ## Everything CI checks: lint, unit and render tests, nbval

browser-deps: ## Install Debian Chromium and poppler for the browser and PDF tests (once)
	@command -v chromium >/dev/null && command -v pdftoppm >/dev/null || \
	  (apt-get update && apt-get install -y chromium poppler-utils)

unit: $(STAMP) browser-deps ## Unit tests, hand-computed metric tables and a render of both reports
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

DFE_VENV := .venv-dfe-rules
REFERENCE_DIR ?= ../shared/reference
DFE_STAMP := $(DFE_VENV)/.installed
# DfE's validation rules coded by Social Finance; they pin pandas < 2, hence their own venv.
DFE_VALIDATORS := csc-validator-be-903==0.1.17 csc-validator-be-cin==0.1.13

$(DFE_STAMP):
	$(PYTHON) -m venv $(DFE_VENV)
	$(DFE_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(DFE_VENV)/bin/python -m pip install --quiet $(DFE_VALIDATORS)
	touch $(DFE_STAMP)

validators-venv: $(DFE_STAMP) ## Build .venv-dfe-rules with DfE's validators (optional; needs PyPI once)

dfe-rules: $(STAMP) $(DFE_STAMP) data ## Run DfE's validation rules on the synthetic data (optional, slow)
	$(PY) -m analysis.dfe_rules --raw $(RAW) --out data/processed/synthetic \
	  --reference $(REFERENCE_DIR) --venv $(DFE_VENV)

clean: ## Remove generated data, builds and outputs (keeps .venv)
	rm -rf build reports/_output data/processed/synthetic $(RAW)

PEERS_VENV := .venv-peers
PEERS_STAMP := $(PEERS_VENV)/.installed
# Social Finance's liiatools and cs-demand-model, benchmarked side by side (issue 6). Both pin
# pandas < 2, hence their own venv. liiatools 0.2.0 pins cchardet 2.1.7, which does not build on
# Python 3.11: faust-cchardet provides the same module, so liiatools goes in without its pins.
PEER_LIIATOOLS_DEPS := "PyYAML>=6,<7" "XlsxWriter>=3.0.3,<4" faust-cchardet "click>=8.1.2,<9" \
  "click-log>=0.4,<0.5" "dacite>=1.6,<2" "lxml>=4.9.1,<5" "more-itertools>=8.12,<9" \
  "openpyxl>=3.0.9,<4" "pandas>=1.4.2,<2" "python-decouple>=3.8,<4" "regex>=2022.4.24,<2023" \
  "sfdata-stream-parser==0.4.1" "tablib[cli,xlsx]>=3.2,<4" "xlrd>=2.0.1,<3" "xmlschema>=1.10,<2"

$(PEERS_STAMP):
	$(PYTHON) -m venv $(PEERS_VENV)
	$(PEERS_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(PEERS_VENV)/bin/python -m pip install --quiet $(PEER_LIIATOOLS_DEPS)
	$(PEERS_VENV)/bin/python -m pip install --quiet --no-deps liiatools==0.2.0
	$(PEERS_VENV)/bin/python -m pip install --quiet cs-demand-model==0.5.1
	touch $(PEERS_STAMP)

peers-venv: $(PEERS_STAMP) ## Side venv .venv-peers with liiatools and cs-demand-model (pandas < 2)

bench: $(STAMP) $(PEERS_STAMP) ## Benchmarks (minutes; not part of test): end to end, scale, peers
	$(PY) benchmarks/e2e.py
	$(PY) benchmarks/scale.py
	$(PY) benchmarks/peers.py
