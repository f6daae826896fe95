"""The ``tiski`` command: Django's management commands plus Tiski's own.

tiski start               migrate, seed the demo shops if the desk is empty, run
tiski run                 web server + in-process task worker (one machine)
tiski run --no-worker     web server only (scaled: run `tiski worker` elsewhere)
tiski worker              task worker only
tiski demo [--conversations N]
tiski <any Django management command>   e.g. migrate, createsuperuser, shell
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tiski.settings")
    args = list(sys.argv if argv is None else ["tiski", *argv])
    if len(args) < 2 or args[1] in ("-h", "--help", "help"):
        print(__doc__)
        if len(args) < 2:
            return
    from django.core.management import execute_from_command_line

    execute_from_command_line(args)


if __name__ == "__main__":
    main()
