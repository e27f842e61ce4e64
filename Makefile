# The two commands README.md promises: `make demo` and `make test`.
VENV ?= .venv
PY := $(VENV)/bin/python
PMM := $(VENV)/bin/pmm
WORK ?= work

.PHONY: setup ocr browser postgres test-packages demo test bench clean

setup: $(VENV)/.installed ocr

$(VENV)/.installed: pyproject.toml
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $@

# Debian packages, installed with apt-get (as root) when missing. Tesseract reads scanned
# (image-only) pages, in Spanish and English; Debian's chromium drives the browser tests
# (Playwright never downloads a browser of its own); PostgreSQL's server binaries let the store
# tests start a throwaway cluster.
OCR_HAVE = command -v tesseract >/dev/null 2>&1 && tesseract --list-langs 2>/dev/null | grep -qx spa
OCR_PACKAGES = tesseract-ocr tesseract-ocr-spa tesseract-ocr-eng
OCR_LOSS = scanned pages will be refused and OCR tests skipped
BROWSER_HAVE = command -v chromium >/dev/null 2>&1
BROWSER_PACKAGES = chromium
BROWSER_LOSS = browser tests will be skipped
POSTGRES_HAVE = { ls /usr/lib/postgresql/*/bin/initdb || command -v initdb; } >/dev/null 2>&1
POSTGRES_PACKAGES = postgresql
POSTGRES_LOSS = PostgreSQL tests will be skipped

# $(call system_packages,FEATURES): install what FEATURES (OCR BROWSER POSTGRES) lack, with one
# `apt-get update` for all of them (none when nothing is missing) and one install each, so that
# a package apt cannot get costs only its own feature, with a warning saying what is lost.
define system_packages
	@missing=""; $(foreach f,$(1),$($(f)_HAVE) || { missing=1; need_$(f)=1; };) \
	[ -z "$$missing" ] || apt-get update -qq || true; \
	$(foreach f,$(1),[ -z "$$need_$(f)" ] \
	  || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $($(f)_PACKAGES) >/dev/null \
	  || echo "warning: could not install $($(f)_PACKAGES); $($(f)_LOSS)";)
endef

ocr:
	$(call system_packages,OCR)

browser:
	$(call system_packages,BROWSER)

postgres:
	$(call system_packages,POSTGRES)

# What `make test` needs beyond the venv, in one go (not `setup` + `browser` + `postgres`,
# which would run apt-get update once for each).
test-packages:
	$(call system_packages,OCR BROWSER POSTGRES)

demo: setup
	$(PMM) run corpus/samples/ --work $(WORK)

test: $(VENV)/.installed test-packages
	$(PY) -m pytest -q

# Each benchmark writes benchmarks/results/<name>.json; the last step rebuilds README's figures.
bench: setup
	$(PY) -m pip install --quiet -e '.[bench]'
	$(PY) benchmarks/run_all.py

clean:
	rm -rf $(VENV) $(WORK)
