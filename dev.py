#!/usr/bin/env python3
"""Bootstrap for newcomers: needs nothing but Python 3.11+.

    python3 dev.py start    create .venv, migrate, seed the demo shops, run the desk
    python3 dev.py test     run the test suite (extra arguments go to pytest)
    python3 dev.py check    linters, type checks and the migrations check

The environment is (re)installed whenever pyproject.toml changes, so the two
commands in the README stay true after every change.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = Path(os.environ.get("TISKI_VENV", ROOT / ".venv"))
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
STAMP = VENV / ".tiski-installed"


def _say(text: str) -> None:
    print(f"\033[1m[tiski]\033[0m {text}", flush=True)


def ensure_environment() -> None:
    # Deliberately checked at run time: this file is run by whatever python3 is on PATH.
    if sys.version_info < (3, 11):  # noqa: UP036
        sys.exit("Tiski needs Python 3.11 or newer; this is " + sys.version.split()[0])
    wanted = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if STAMP.exists() and STAMP.read_text().strip() == wanted:
        return
    if not (BIN / "python").exists():
        _say(f"creating the virtual environment in {VENV}")
        venv.EnvBuilder(with_pip=True, upgrade_deps=False).create(VENV)
    _say("installing Tiski and its dependencies (first run takes a minute)")
    subprocess.run(
        # -qq: errors only; a mirror's warnings are noise to someone trying Tiski.
        [str(BIN / "python"), "-m", "pip", "install", "-qq", "-e", f"{ROOT}[dev]"],
        check=True,
    )
    STAMP.write_text(wanted)


def run(*args: str) -> int:
    return subprocess.call(list(args), cwd=ROOT)


def main(argv: list[str]) -> int:
    command = argv[0] if argv else "help"
    rest = argv[1:]
    if command == "start":
        ensure_environment()
        return run(str(BIN / "tiski"), "start", *rest)
    if command == "test":
        ensure_environment()
        return run(str(BIN / "python"), "-m", "pytest", *rest)
    if command == "check":
        ensure_environment()
        steps = [
            [str(BIN / "ruff"), "check", "."],
            [str(BIN / "ruff"), "format", "--check", "."],
            [str(BIN / "mypy"), *[d for d in ("tiski", "tests", "bench") if (ROOT / d).is_dir()]],
            [str(BIN / "tiski"), "makemigrations", "--check", "--dry-run"],
            [str(BIN / "python"), "-m", "tiski.i18n_check"],
        ]
        for step in steps:
            _say(" ".join(Path(step[0]).name if i == 0 else a for i, a in enumerate(step)))
            if run(*step) != 0:
                return 1
        return 0
    if command == "env":
        ensure_environment()
        print(BIN)
        return 0
    print(__doc__)
    return 0 if command in ("help", "-h", "--help") else 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
