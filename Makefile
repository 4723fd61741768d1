# sellerbot: `make demo` runs the bot locally, `make test` runs everything CI runs.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: demo test unit lint package lint-cfn bench clean deploy

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	touch $(STAMP)

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --ignore-scripts

demo: $(STAMP)
	$(PY) tools/seed_health_history.py  # 90 days of health history, once (idempotent)
	$(PY) tools/seed_attribution.py  # 90 days of Amazon Attribution rows for the fake (idempotent)
	$(VENV)/bin/sellerbot serve --demo

test: $(STAMP) lint package
	$(PY) tools/run_pytest.py

# Habits, checked on every run: lint and format (ruff), types (mypy; strict flags on handlers/ and
# infra/), and the import contracts (layers bot -> handlers -> infra, listeners and workers apart).
lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy
	$(VENV)/bin/lint-imports

unit: $(STAMP)
	$(PY) tools/run_pytest.py tests/unit

package: $(STAMP) node_modules/.package-lock.json
	$(PY) tools/build_lambda_zip.py
	AWS_ACCESS_KEY_ID=offline AWS_SECRET_ACCESS_KEY=offline SLS_TELEMETRY_DISABLED=1 \
		npx --no-install osls package --stage ci --region us-east-1
	$(PY) tools/lint_cfn.py .serverless/cloudformation-template-update-stack.json

# Deploy: make deploy STAGE=prod REGION=eu-west-1 OPS_EMAIL=ops@example.com [SPAPI_APP_ID=.. OPS_CHANNEL=..]
# [ADMINS=U01..,U02..] (the app id and channel on a stage's first deploy; ADMINS defaults to the workspace's
# admins and owners; DRY_RUN=1 prints the commands). tools/deploy.py says each step.
deploy: $(STAMP) node_modules/.package-lock.json
	SPAPI_APP_ID="$(SPAPI_APP_ID)" OPS_CHANNEL="$(OPS_CHANNEL)" ADMINS="$(ADMINS)" $(PY) tools/deploy.py --stage "$(STAGE)" \
		--region "$(REGION)" --ops-email "$(OPS_EMAIL)" $(if $(DRY_RUN),--dry-run)

bench: $(STAMP)
	for b in bench/*.py; do echo "== $$b"; $(PY) $$b || exit 1; done

clean:
	rm -rf build .serverless .demo
