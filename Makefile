# Convenience targets; each works from a fresh clone (dev.py builds .venv on demand).
PY := python3
VENV_BIN := .venv/bin

.PHONY: start test check ci messages bench bench-inbox bench-chat bench-mail bench-shop bench-help bench-data clean

start:            ## migrate, seed the demo shops, run the desk
	$(PY) dev.py start

test:             ## the test suite (services that are missing are skipped, with a reason)
	$(PY) dev.py test

check:            ## ruff, ruff format --check, mypy, makemigrations --check, catalogues
	$(PY) dev.py check

ci:               ## what CI runs
	.ci/run

messages:         ## extract UI strings and compile the catalogues (needs GNU gettext)
	$(PY) dev.py env >/dev/null
	cd tiski && ../$(VENV_BIN)/tiski makemessages -l fi -l pl -l sv -l en --no-obsolete --ignore='demo/*'
	cd tiski && ../$(VENV_BIN)/tiski compilemessages
	$(VENV_BIN)/python -m tiski.i18n_check

bench: bench-inbox bench-chat bench-mail bench-shop bench-help ## every benchmark

bench-data:       ## generate the 1M-conversation data set in PostgreSQL (once)
	$(PY) dev.py env >/dev/null
	$(VENV_BIN)/python bench/inbox.py --generate-only

bench-inbox:      ## inbox list and conversation page latency on PostgreSQL
	$(PY) dev.py env >/dev/null
	$(VENV_BIN)/python bench/inbox.py

bench-chat:       ## chat: idle connections, delivery latency, throughput vs a bare relay
	$(PY) dev.py env >/dev/null
	$(VENV_BIN)/python bench/chat.py

bench-mail:       ## email ingest rate on SQLite and PostgreSQL, beside django-helpdesk
	$(PY) dev.py env >/dev/null
	$(VENV_BIN)/python bench/mail.py

bench-shop:       ## webhook throughput beside a bare receiver; order lookups at 1M orders
	$(PY) dev.py env >/dev/null
	$(VENV_BIN)/python bench/shop.py

bench-help:       ## help center search and article pages, 5,000 articles per language, SQLite and PostgreSQL
	$(PY) dev.py env >/dev/null
	$(VENV_BIN)/python bench/helpcenter.py

clean:
	rm -rf .venv var .pytest_cache .mypy_cache .ruff_cache
