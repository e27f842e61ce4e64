# The two commands README.md promises: `make demo` and `make test`.
VENV ?= .venv
PY := $(VENV)/bin/python
PMM := $(VENV)/bin/pmm
WORK ?= work

.PHONY: setup browser demo test bench clean

setup: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $@

# Debian's chromium drives the browser tests; Playwright never downloads a browser of its own.
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
	  || echo "warning: could not install chromium; browser tests will be skipped"; }

demo: setup
	$(PMM) run corpus/samples/ --work $(WORK)

test: setup browser
	$(PY) -m pytest -q

# Each benchmark writes benchmarks/results/<name>.json; the last step rebuilds README's figures.
bench: setup
	$(PY) -m pip install --quiet -e '.[bench]'
	$(PY) benchmarks/run_all.py

clean:
	rm -rf $(VENV) $(WORK)
