# The two commands README.md promises: `make demo` and `make test`.
VENV ?= .venv
PY := $(VENV)/bin/python
PMM := $(VENV)/bin/pmm
WORK ?= work

.PHONY: setup browser postgres demo test bench clean

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

# Debian's PostgreSQL server binaries: the store tests start a throwaway cluster with them.
postgres:
	@ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || command -v initdb >/dev/null 2>&1 || { \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null) \
	  || echo "warning: could not install postgresql; PostgreSQL tests will be skipped"; }

demo: setup
	$(PMM) run corpus/samples/ --work $(WORK)

test: setup browser postgres
	$(PY) -m pytest -q

# Each benchmark writes benchmarks/results/<name>.json; the last step rebuilds README's figures.
bench: setup
	$(PY) -m pip install --quiet -e '.[bench]'
	$(PY) benchmarks/run_all.py

clean:
	rm -rf $(VENV) $(WORK)
