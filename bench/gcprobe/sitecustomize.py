"""Benchmark-only: time the garbage collector of the process this is imported into.

bench/chat.py puts this directory on the server's PYTHONPATH with TISKI_BENCH_GC_FILE set;
Python imports ``sitecustomize`` at start-up. Every collection's duration is added up, and
a thread writes the totals to that file four times a second, so each benchmark step reads
how much of the server's time went to collections (the ``gc`` column).
"""

from __future__ import annotations

import gc
import json
import os
import threading
import time
from typing import Any

_PATH = os.environ.get("TISKI_BENCH_GC_FILE")


class _Clock:
    def __init__(self, path: str) -> None:
        self.path = path
        self.started = 0.0
        self.seconds = [0.0, 0.0, 0.0]
        self.count = [0, 0, 0]
        self.longest = 0.0

    def __call__(self, phase: str, info: dict[str, Any]) -> None:
        if phase == "start":
            self.started = time.perf_counter()
            return
        took = time.perf_counter() - self.started
        generation = info["generation"]
        self.seconds[generation] += took
        self.count[generation] += 1
        self.longest = max(self.longest, took)

    def write(self) -> None:
        data = {"seconds": self.seconds, "count": self.count, "longest": self.longest}
        temporary = f"{self.path}.tmp"
        with open(temporary, "w") as out:
            json.dump(data, out)
        os.replace(temporary, self.path)  # the reader never sees half a file

    def run(self) -> None:
        while True:
            self.write()
            time.sleep(0.25)


if _PATH:
    _clock = _Clock(_PATH)
    gc.callbacks.append(_clock)
    threading.Thread(target=_clock.run, name="bench-gc-clock", daemon=True).start()
