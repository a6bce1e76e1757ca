"""A sleeping agent for the bot tests, run by invoker.py's `command` adapter as
`python3 tests/fake_agent.py {prompt}`. The prompt is a label (e.g. "a1"); files in
$FAKE_AGENT_DIR steer it and record what it did, so the tests assert on events, not times:

  hold-<label>    present at start: wait until the test deletes it (at most 30 s)
  spawn-<label>   present at start: also start a child process (its pid in child-<label>)
  answer-<label>  present: its content is the answer (else "answer to <label>")
  pid-<label>     written at start: this agent's pid
  events.log      one line per event: "start <label> <channel folder>", "end <label>"

It prints one JSON object {"summary": ...}, as the command adapter expects.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

MAX_HOLD_SEC = 30.0


def event(folder: Path, text: str) -> None:
    with open(folder / "events.log", "a", encoding="utf-8") as fh:  # one short write: lines never mix
        fh.write(text + "\n")


def main() -> int:
    folder = Path(os.environ["FAKE_AGENT_DIR"])
    label = re.sub(r"[^A-Za-z0-9_-]", "_", (sys.argv[1] if len(sys.argv) > 1 else "x").strip())[:40] or "x"
    (folder / f"pid-{label}").write_text(str(os.getpid()))
    child = None
    if (folder / f"spawn-{label}").exists():
        child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
        (folder / f"child-{label}").write_text(str(child.pid))
    event(folder, f"start {label} {Path.cwd().name}")  # cwd: the channel it was sent to
    deadline = time.monotonic() + MAX_HOLD_SEC
    while (folder / f"hold-{label}").exists() and time.monotonic() < deadline:
        time.sleep(0.02)
    answer_file = folder / f"answer-{label}"
    answer = answer_file.read_text(encoding="utf-8") if answer_file.exists() else f"answer to {label}"
    if child is not None:
        child.kill()
        child.wait()
    event(folder, f"end {label}")
    print(json.dumps({"summary": answer}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
