"""Email ingest rate: `tiski mail ingest` on SQLite and PostgreSQL, beside baselines.

    make bench-mail                                   2,000 mails, both databases
    .venv/bin/python bench/mail.py --mails 500 --database sqlite --no-helpdesk   quick

The same generated mails (typical 20 KB text + HTML in Finnish and Polish, a third of
them replies with quoted history, 10% with a 200 KB attachment) go through:

- `tiski mail ingest` (one process): store the raw source, parse, thread, sanitise,
  store the message and its attachments, publish;
- the standard library's parser alone (`email` with `policy.default`, every part read):
  the floor any Python desk pays;
- django-helpdesk from PyPI in a throwaway environment (bench/helpdesk_baseline), unless
  `--no-helpdesk`.

The target is 300 mails/s per process. The exit status is 1 when it is missed.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from email.utils import format_datetime, make_msgid
from pathlib import Path
from typing import Any

from chat import Postgres, say

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
TARGET = 300.0
STORE_SLUG = "bench-mail"
SUPPORT = "support@bench-mail.example"
DEFAULT_POSTGRES = "postgres://postgres@127.0.0.1:5432/tiski_bench_mail"

FI = [
    "tilaus",
    "paketti",
    "toimitus",
    "palautus",
    "kiitos",
    "hei",
    "missä",
    "viikko",
    "sitten",
    "maksoin",
    "kortilla",
    "koko",
    "väri",
    "kengät",
    "takki",
    "vaihto",
    "hyvitys",
    "kuitti",
    "osoite",
    "posti",
    "noutopiste",
    "seuranta",
]
PL = [
    "zamówienie",
    "paczka",
    "dostawa",
    "zwrot",
    "dziękuję",
    "dzień",
    "dobry",
    "gdzie",
    "tydzień",
    "temu",
    "zapłaciłem",
    "kartą",
    "rozmiar",
    "kolor",
    "buty",
    "kurtka",
    "wymiana",
    "faktura",
    "adres",
    "kurier",
    "paczkomat",
    "śledzenie",
]


def paragraph(rng: random.Random, words: list[str], length: int) -> str:
    text = " ".join(rng.choice(words) for _ in range(length))
    return text[0].upper() + text[1:] + "."


def body(rng: random.Random, words: list[str], size: int) -> str:
    parts: list[str] = []
    while sum(len(p) + 2 for p in parts) < size:
        parts.append(paragraph(rng, words, rng.randint(12, 40)))
    return "\n\n".join(parts)


def generate(folder: Path, count: int, seed: int = 7) -> int:
    """Write ``count`` mails as .eml files; returns their total size in bytes."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    customers = [f"asiakas{i}@example.{'fi' if i % 2 else 'pl'}" for i in range(count // 4 + 1)]
    last: dict[str, tuple[str, str, str]] = {}  # customer -> (message id, subject, text)
    start = datetime(2026, 11, 1, 8, 0, tzinfo=UTC)
    total = 0
    for index in range(count):
        customer = rng.choice(customers)
        words = FI if customer.endswith(".fi") else PL
        message = EmailMessage()
        message["From"] = f"{customer.split('@')[0].title()} <{customer}>"
        message["To"] = f"Bench Mail <{SUPPORT}>"
        message["Date"] = format_datetime(start + timedelta(seconds=index * 7))
        message["Message-ID"] = make_msgid(idstring=str(index), domain=customer.split("@")[1])
        text = body(rng, words, 6_000)
        html = "".join(f"<p>{p}</p>" for p in text.split("\n\n"))
        previous = last.get(customer)
        if previous is not None and rng.random() < 0.6:
            message_id, subject, earlier = previous
            message["Subject"] = f"Re: {subject}"
            message["In-Reply-To"] = message_id
            message["References"] = message_id
            attribution = f"ma 3.11.2026 klo 10.00 {customer} kirjoitti:"
            quoted = "\n".join(f"> {line}" for line in earlier.splitlines()[:40])
            text = f"{text[:3_000]}\n\n{attribution}\n{quoted}"
            # As Gmail quotes: the history in a blockquote under its attribution line.
            kept = "".join(f"<p>{p}</p>" for p in text[:3_000].split("\n\n"))
            history = "".join(f"<p>{p}</p>" for p in earlier.split("\n\n")[:12])
            html = (
                f'<div dir="ltr">{kept}</div><br><div class="gmail_quote">'
                f'<div class="gmail_attr">{attribution}<br></div>'
                f'<blockquote class="gmail_quote">{history}</blockquote></div>'
            )
        else:
            message["Subject"] = paragraph(rng, words, 5)[:60]
        message.set_content(text)
        message.add_alternative(f"<html><body>{html}</body></html>", subtype="html")
        if rng.random() < 0.10:
            message.add_attachment(
                b"%PDF-1.7\n" + rng.randbytes(200_000),
                maintype="application",
                subtype="pdf",
                filename=f"kuitti-{index}.pdf",
            )
        last[customer] = (str(message["Message-ID"]), str(message["Subject"]), text)
        data = message.as_bytes()
        total += len(data)
        (folder / f"{index:06d}.eml").write_bytes(data)
    return total


def parse_only(folder: Path) -> float:
    """Seconds the standard library takes to parse every mail and read every part."""
    parser = BytesParser(policy=policy.default)
    started = time.perf_counter()
    for path in sorted(folder.iterdir()):
        message = parser.parsebytes(path.read_bytes())
        for part in message.walk():
            if not part.is_multipart():
                part.get_content()
    return time.perf_counter() - started


def tiski(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(BIN / "tiski"), *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        timeout=3600,
    )


SETUP = f"""
from tiski.core.actors import Actor
from tiski.stores.actions import create_store
from tiski.stores.models import Store
if not Store.objects.filter(slug={STORE_SLUG!r}).exists():
    create_store(actor=Actor.system("bench"), name="Bench Mail", slug={STORE_SLUG!r},
                 reference_prefix="BML", country="FI", default_language="fi",
                 support_email={SUPPORT!r})
"""


def measure_tiski(database: str, env: dict[str, str], folder: Path, count: int) -> dict[str, Any]:
    for step in (("migrate", "-v", "0"), ("shell", "-c", SETUP)):
        done = tiski(env, *step)
        if done.returncode:
            sys.exit(f"{database}: tiski {step[0]} failed:\n{done.stderr[-3000:]}")
    # What the command costs before the first mail (Python, Django, the apps).
    startup = []
    for _ in range(3):
        started = time.perf_counter()
        tiski(env, "mail", "list", "--limit", "0")
        startup.append(time.perf_counter() - started)
    started = time.perf_counter()
    done = tiski(env, "mail", "ingest", "--store", STORE_SLUG, "--json", str(folder))
    elapsed = time.perf_counter() - started
    lines = [json.loads(line) for line in done.stdout.splitlines() if line.startswith("{")]
    statuses = Counter(str(line["status"]) for line in lines)
    seconds = max(elapsed - sorted(startup)[1], 1e-9)
    return {
        "database": database,
        "mails": len(lines),
        "statuses": dict(statuses),
        "seconds": seconds,
        "per_second": count / seconds,
        "startup": sorted(startup)[1],
        "exit": done.returncode,
        "stderr": done.stderr[-2000:],
    }


def measure_helpdesk(database: str, folder: Path, postgres_url: str) -> dict[str, Any] | None:
    runner = ROOT / "bench" / "helpdesk_baseline" / "run.py"
    if not runner.exists():
        say("  django-helpdesk: bench/helpdesk_baseline/run.py is missing; skipped")
        return None
    argv = ["python3", str(runner), "--mails", str(folder), "--database", database, "--json"]
    if database == "postgres":
        argv += ["--postgres-url", postgres_url]
    done = subprocess.run(argv, capture_output=True, text=True, check=False, timeout=3600)
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    if done.returncode or not lines:
        say(f"  django-helpdesk ({database}) failed:\n{done.stderr[-2000:]}")
        return None
    result: dict[str, Any] = json.loads(lines[-1])
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mails", type=int, default=2000)
    parser.add_argument("--database", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--no-helpdesk", action="store_true", help="skip django-helpdesk")
    parser.add_argument(
        "--postgres-url",
        default=os.environ.get("BENCH_MAIL_DATABASE_URL", DEFAULT_POSTGRES),
        help="created fresh and dropped at the end; the name must start with tiski_bench_mail",
    )
    parser.add_argument(
        "--helpdesk-postgres-url",
        default="postgres://postgres@127.0.0.1:5432/tiski_bench_helpdesk",
    )
    parser.add_argument(
        "--repeat",
        type=int,
        default=3,
        help="tiski runs per database, each into a fresh database; the median is reported",
    )
    parser.add_argument("--keep", action="store_true", help="keep the mails and the databases")
    args = parser.parse_args()
    databases = ["sqlite", "postgres"] if args.database == "both" else [args.database]

    work = Path(tempfile.mkdtemp(prefix="tiski-bench-mail-"))
    folder = work / "mails"
    size = generate(folder, args.mails)
    with_files = sum(1 for p in folder.iterdir() if p.stat().st_size > 150_000)
    say(
        f"{args.mails:,} mails, {size / args.mails / 1024:.0f} KB on average, "
        f"{with_files} with a 200 KB attachment, in {folder}"
    )
    floor = parse_only(folder)
    say(f"standard library parse only: {args.mails / floor:,.0f} mails/s")

    rows: list[tuple[str, str, dict[str, Any]]] = []
    postgres = Postgres(args.postgres_url, prefix="tiski_bench_mail")
    try:
        for database in databases:
            say(f"--- {database} ---")
            runs = []
            for run in range(args.repeat):
                # A fresh database each time: every run imports into an empty desk.
                data = work / f"{database}-{run}"
                data.mkdir(parents=True)
                env = {**os.environ, "TISKI_DATA_DIR": str(data)}
                env.pop("REDIS_URL", None)
                if database == "postgres":
                    postgres.create()
                    env["DATABASE_URL"] = args.postgres_url
                else:
                    env["DATABASE_URL"] = f"sqlite:///{data / 'tiski.sqlite3'}"
                runs.append(measure_tiski(database, env, folder, args.mails))
                say(
                    f"  tiski run {run + 1}: {runs[-1]['per_second']:,.0f} mails/s "
                    f"({runs[-1]['seconds']:.1f} s, startup {runs[-1]['startup']:.1f} s "
                    f"excluded), {runs[-1]['statuses']}"
                )
            result = sorted(runs, key=lambda r: r["per_second"])[len(runs) // 2]
            rates = [r["per_second"] for r in runs]
            result["spread"] = (min(rates), max(rates))
            say(f"  tiski: median {result['per_second']:,.0f} mails/s of {len(runs)} runs")
            if result["exit"] and "failed" not in result["statuses"]:
                say(result["stderr"])
            rows.append(("tiski", database, result))
            if not args.no_helpdesk:
                helpdesk = measure_helpdesk(database, folder, args.helpdesk_postgres_url)
                if helpdesk is not None:
                    say(f"  django-helpdesk: {helpdesk['per_second']:,.0f} mails/s")
                    rows.append(("django-helpdesk", database, helpdesk))
    finally:
        if not args.keep:
            if "postgres" in databases:
                postgres.drop()
            shutil.rmtree(work, ignore_errors=True)

    say()
    say(
        f"Ingest of {args.mails:,} mails, one process; parse-only floor {args.mails / floor:,.0f}/s"
    )
    say(
        f"{'tool':<16} {'database':<9} {'mails':>6} {'seconds':>8} {'mails/s':>8} "
        f"{'runs min-max':>13} {'x helpdesk':>10} {'target':>7} {'met':>4}"
    )
    missed = False
    for tool, database, result in rows:
        helpdesk = next((r for t, d, r in rows if t == "django-helpdesk" and d == database), None)
        ratio = (
            f"{result['per_second'] / helpdesk['per_second']:.1f}"
            if helpdesk and tool == "tiski"
            else "-"
        )
        met = "-"
        if tool == "tiski":
            ok = result["per_second"] >= TARGET and result["statuses"].get("failed", 0) == 0
            met = "yes" if ok else "NO"
            missed |= not ok
        spread = result.get("spread")
        span = f"{spread[0]:,.0f}-{spread[1]:,.0f}" if spread else "-"
        say(
            f"{tool:<16} {database:<9} {result['mails']:>6,} {result['seconds']:>8.1f} "
            f"{result['per_second']:>8,.0f} {span:>13} {ratio:>10} "
            f"{'>=300' if tool == 'tiski' else '':>7} {met:>4}"
        )
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
