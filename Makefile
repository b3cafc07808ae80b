# xiaodian: `make run` for a local console, `make test` for the whole suite on PostgreSQL.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
DEV_ENV := DEBUG=1

.PHONY: run run-pg test bench lint messages deps clean

$(VENV)/.installed: pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

deps: $(VENV)/.installed node_modules/.installed

messages: deps
	$(DEV_ENV) $(PY) manage.py compilemessages --ignore=.venv --ignore=node_modules -v0

run: messages
	mkdir -p var
	$(DEV_ENV) $(PY) manage.py migrate --no-input -v0
	$(DEV_ENV) $(PY) manage.py seed_demo
	@echo "xiaodian console: http://127.0.0.1:8000/   (admin: http://127.0.0.1:8000/admin/)"
# The order timers run every minute beside the server and stop with it.
	$(DEV_ENV) $(PY) manage.py run_timers --loop 60 & timers=$$!; \
	$(DEV_ENV) $(PY) manage.py settle_due --loop 300 & settle=$$!; \
	trap 'kill $$timers $$settle 2>/dev/null' EXIT; \
	$(DEV_ENV) $(PY) manage.py runserver 127.0.0.1:8000

# The same demo on a throwaway PostgreSQL cluster: 订单导入 and 订单导出 need PostgreSQL.
run-pg: messages
	bash scripts/run_pg.sh

test: messages
	bash scripts/test.sh

# bench/*.py on a throwaway PostgreSQL cluster (bench/run.sh); `make bench BENCH="bench/x.py --opt v"` for one, with options
bench: deps
	bash bench/run.sh $(BENCH)

lint: deps
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

clean:
	rm -rf $(VENV) node_modules var
