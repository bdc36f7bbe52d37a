# Set-up, run, test. Every target creates the virtual environment first when it is missing.
VENV   := .venv
PY     := $(VENV)/bin/python
STORE  ?= conclusio-data
PORT   ?= 8501
export HF_HUB_OFFLINE := 1

.PHONY: setup run ingest ui test bench docs clean-store

# torch first, pinned to the CPU build, so that no dependency pulls the CUDA wheels.
$(VENV)/.installed: pyproject.toml
	@test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install -q torch==2.13.0
	$(PY) -m pip install -q -e '.[test]'
	@touch $@

setup: $(VENV)/.installed

ingest: setup
	@# exit 2 means some files failed and the others were ingested: the UI is still worth starting
	$(VENV)/bin/conclusio ingest corpora/ --store $(STORE) || test $$? -eq 2

ui: setup
	$(VENV)/bin/conclusio ui --store $(STORE) --port $(PORT)

run: ingest ui

test: setup
	@# exit code 5 means pytest collected no tests, which is not a failure of the set-up
	$(PY) -m pytest -q $(PYTEST_ARGS); rc=$$?; if [ $$rc -eq 5 ]; then echo "no tests collected"; exit 0; fi; exit $$rc

# bench_scale.py: 10k passages by default; BENCH_PASSAGES="10000 100000" for both sizes (see BENCHMARKS.md).
BENCH_PASSAGES ?= 10000
bench: setup
	$(PY) -m pip install -q -e '.[bench]'
	@for script in benchmarks/bench_*.py; do echo "== $$script"; \
	  if [ $$script = benchmarks/bench_scale.py ]; then $(PY) $$script --passages $(BENCH_PASSAGES) || exit 1; \
	  else $(PY) $$script || exit 1; fi; done

docs: setup
	$(PY) -m application.cli --write-docs

clean-store:
	rm -rf $(STORE)
