"""Liveness file of a long-running Puruto process, read by `puruto doctor`.

The cron loop calls beat() after each tick; the bot calls start() once, which beats
from a daemon thread. db/heartbeat.json holds the pid, the time of the last beat and
the interval the next one is due in (plus, for cron, the time of its last tick), so a
reader can tell a live process from a stopped or stuck one. Stdlib only; a failing
write never stops the process it reports on.
"""

from __future__ import annotations

import json
import os
import threading
import time
from pathlib import Path

FILE = Path("db") / "heartbeat.json"


def beat(root: Path, every: float, **extra: float) -> None:
    """Write the heartbeat now (atomically: a reader never sees half a file)."""
    path = Path(root) / FILE
    data = {"pid": os.getpid(), "at": time.time(), "every": every, **extra}
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp.write_text(json.dumps(data) + "\n", encoding="utf-8")
        os.replace(tmp, path)
    except OSError:
        pass


def start(root: Path, every: float = 30.0) -> threading.Thread:
    """Beat now, then every `every` seconds from a daemon thread, for the process' life."""

    def loop() -> None:
        while True:
            beat(root, every)
            time.sleep(every)

    thread = threading.Thread(target=loop, name="heartbeat", daemon=True)
    thread.start()
    return thread
