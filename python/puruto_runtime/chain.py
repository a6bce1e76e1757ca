"""The chain of a call: the variables a call sets for the agent it runs, and the hop of a call
made from here (which no agent can lower by editing its own environment)."""

from __future__ import annotations

import os

from .errors import IpcError

CORRELATION_VAR, HOP_VAR, CALLER_VAR = "PURUTO_IPC_CORRELATION_ID", "PURUTO_IPC_HOP", "PURUTO_IPC_CALLER"


def env_hop() -> int:
    """The hop of a call made from here: the largest PURUTO_IPC_HOP set by a parent call, in
    this process's environment or in the environment any ancestor started with (Linux
    /proc/<pid>/environ). An agent that unsets or lowers the variable for its own child cannot
    rewrite its ancestors', so max_hops holds against a tampering agent. None: 0."""
    raw = os.environ.get(HOP_VAR, "").strip()
    own = 0
    if raw:
        try:
            own = max(int(raw), 0)
        except ValueError:
            raise IpcError("IPC_ERROR", f"{HOP_VAR}={raw!r} is not a whole number") from None
    return max([own, *ancestor_hops()])


def ancestor_hops(limit: int = 64) -> list[int]:
    """PURUTO_IPC_HOP of each ancestor's starting environment (unreadable ones skipped)."""
    hops: list[int] = []
    pid, key = os.getppid(), HOP_VAR.encode() + b"="
    for _ in range(limit):
        if pid <= 1:
            break
        try:
            with open(f"/proc/{pid}/environ", "rb") as fh:
                environ = fh.read(1 << 20).split(b"\0")
            with open(f"/proc/{pid}/stat", "rb") as fh:
                stat = fh.read(4096)
        except OSError:
            break
        for item in environ:
            if item.startswith(key):
                try:
                    hops.append(max(int(item.removeprefix(key).strip() or b"0"), 0))
                except ValueError:
                    pass
        try:
            pid = int(stat.rsplit(b")", 1)[1].split()[1])
        except (ValueError, IndexError):
            break
    return hops
