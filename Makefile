# XieYu: `make run` serves the demo county, `make test` runs every test.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
export XIEYU_DEMO ?= 1

.PHONY: run test setup browser node lint typecheck bench messages clean

$(BIN)/.installed: requirements.txt requirements-dev.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -r requirements-dev.txt
	touch $@

setup: $(BIN)/.installed

# npm packages served from our own files, never a CDN (echarts for charts, axe-core for the accessibility tests), from the lock file.
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

node: node_modules/.installed

# Debian's Chromium for the browser tests and gettext for the translation check, when missing.
browser:
	@command -v chromium >/dev/null && command -v xgettext >/dev/null && [ -d /usr/share/fonts/truetype/wqy ] || \
	  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium gettext fonts-wqy-zenhei >/dev/null; }

run: setup node
	$(BIN)/python manage.py migrate --noinput -v0
	$(BIN)/python manage.py seed_demo
	$(BIN)/python manage.py collectstatic --noinput -v0
	$(BIN)/python manage.py serve --port $(PORT)

test: setup browser node
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# CI runs this: ruff, the layers contract, the type check and a migrations check.
lint: setup
	$(BIN)/ruff check .
	$(BIN)/lint-imports
	$(BIN)/mypy xieyu
	$(BIN)/python manage.py makemigrations --check --dry-run -v0

# The type check alone (also part of `make lint`); mypy needs no environment (xieyu/typecheck_settings.py).
typecheck: setup
	$(BIN)/mypy xieyu

# The load generator of the peak-evening benchmark is installed for the benchmarks only, not for tests or CI.
$(BIN)/.bench-installed: requirements-bench.txt $(BIN)/.installed
	$(BIN)/python -m pip install -q -r requirements-bench.txt
	touch $@

bench: setup browser $(BIN)/.bench-installed
	$(BIN)/python bench/run.py $(if $(BENCH),--only $(BENCH),) $(if $(BENCH_DB),--db $(BENCH_DB),)

# After changing user-facing strings: extract every app's msgids into its .po (existing msgstrs are kept), compile
# the .mo files and list what is untranslated or fuzzy (then translate those in the .po and run it again).
messages: setup
	for app in $$(ls -d xieyu/*/locale | cut -d/ -f2); do \
	  (cd xieyu/$$app && DJANGO_SETTINGS_MODULE=xieyu.settings PYTHONPATH=$(CURDIR) $(CURDIR)/$(BIN)/django-admin \
	    makemessages -l zh_Hans --no-obsolete --add-location file -i "tests/*" -v0) || exit 1; \
	done
	$(BIN)/python -m xieyu.core.i18n

clean:
	rm -rf $(VENV) staticfiles var node_modules
