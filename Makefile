# The two commands README.md promises: `make demo` and `make test`.
VENV ?= .venv
PY := $(VENV)/bin/python
PMM := $(VENV)/bin/pmm
WORK ?= work

.PHONY: setup ocr browser postgres demo test bench clean

setup: $(VENV)/.installed ocr

$(VENV)/.installed: pyproject.toml
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $@

# Tesseract reads scanned (image-only) pages, in Spanish and English.
ocr:
	@command -v tesseract >/dev/null 2>&1 && tesseract --list-langs 2>/dev/null | grep -qx spa || { \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq tesseract-ocr \
	     tesseract-ocr-spa tesseract-ocr-eng >/dev/null) \
	  || echo "warning: could not install Tesseract; scanned pages will be refused and OCR tests skipped"; }

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

test: setup ocr browser postgres
	$(PY) -m pytest -q

# Each benchmark writes benchmarks/results/<name>.json; the last step rebuilds README's figures.
bench: setup
	$(PY) -m pip install --quiet -e '.[bench]'
	$(PY) benchmarks/run_all.py

clean:
	rm -rf $(VENV) $(WORK)
