# Rueang: `make run` serves the demo, `make test` runs the suite (CONTRACT.md).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app app
HOST ?= 127.0.0.1
PORT ?= 8080
SIM_PORT ?= 8090
DEMO_CASES ?= 5000
DEMO_PASSWORD ?= rueang-demo
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: run test test-postgres install db demo serve clean lint

$(BIN)/activate: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.txt
	touch $(BIN)/activate

install: $(BIN)/activate

db: install
	$(FLASK) db upgrade
	$(FLASK) roles sync

# Demo data only when the database holds no case yet.
demo: db
	@count=$$($(FLASK) cases count) || exit 1; \
	if [ "$$(echo "$$count" | tail -n 1)" = "0" ]; then \
		DEPARTMENTS_URL=http://127.0.0.1:$(SIM_PORT) $(FLASK) demo-data --cases $(DEMO_CASES) --password $(DEMO_PASSWORD); \
	else echo "Database already has cases: demo data not loaded again."; fi

run: demo
	@bash scripts/run-demo.sh "$(HOST)" "$(PORT)" "$(SIM_PORT)" "$(DEMO_PASSWORD)"

test: install
	@bash scripts/ensure-chromium.sh
	RUEANG_ENV=test $(BIN)/python -m pytest -q

test-postgres: install
	RUEANG_ENV=test DATABASE_URL=$${DATABASE_URL:-postgresql+psycopg://postgres@127.0.0.1:5432/test} $(BIN)/python -m pytest -q

clean:
	rm -rf $(VENV) instance .pytest_cache
