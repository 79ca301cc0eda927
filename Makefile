# Everything starts from a fresh clone: `make run` to use it, `make test` to check it.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell sha1sum pyproject.toml | cut -c1-12)

.PHONY: install run serve test lint typecheck unit bench demo clean messages

$(STAMP): pyproject.toml
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --disable-pip-version-check -U pip
	$(BIN)/pip install -q --disable-pip-version-check -e '.[dev]'
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

install: $(STAMP)

# Migrate the embedded database, load the demo only into an empty one, ensure an admin, serve.
run: install
	$(BIN)/events db upgrade
	$(BIN)/events demo --if-empty
	$(BIN)/events user ensure-admin
	$(BIN)/events serve

lint: install
	$(BIN)/ruff check events tests bench alembic
	$(BIN)/ruff format --check events tests bench alembic

typecheck: install
	$(BIN)/mypy events

test: lint typecheck
	$(BIN)/pytest -n 2 --dist loadgroup -q

bench: install
	$(BIN)/python -m bench

messages: install
	$(BIN)/python scripts/messages.py

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache
