#!/usr/bin/python3
"""Drive an interactive command in a pseudo-terminal (Python stdlib only).

Usage: pty_driver.py SCRIPT.json -- COMMAND [ARGS...]

SCRIPT.json is {"steps": [{"expect": "regex", "send": "text", "timeout": 30}, ...],
"timeout": 60}. For each step the driver waits until `expect` (if any) matches the
screen text captured since the previous match (ANSI escapes and CR stripped), then
types `send` (if any).
A step with "expect_eof": true waits for the command to exit.

On exit it prints one JSON object on stdout:
{"ok": bool, "exit_code": int|null, "failed_step": int|null, "reason": str,
 "screen": "...all output, ANSI stripped..."}
and exits 0 (the caller asserts on the JSON). Exit 3 = driver misuse.
"""
import json
import os
import pty
import re
import select
import signal
import sys
import time

ANSI = re.compile(r"\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b[()][0-9A-Za-z]|\x1b[=>78]|\x1b\][^\x07]*\x07|\r")


def strip(text):
    return ANSI.sub("", text)


def main(argv):
    if len(argv) < 4 or argv[2] != "--":
        print(__doc__, file=sys.stderr)
        return 3
    with open(argv[1], encoding="utf-8") as f:
        script = json.load(f)
    command = argv[3:]
    overall = float(script.get("timeout", 120))

    pid, fd = pty.fork()
    if pid == 0:  # child: the pty slave is our controlling terminal and stdio
        env = dict(os.environ, TERM="xterm", COLUMNS="120", LINES="40")
        try:
            os.execvpe(command[0], command, env)
        except OSError as e:
            os.write(2, f"exec failed: {e}\n".encode())
            os._exit(127)

    raw = bytearray()
    consumed = 0  # index in the stripped screen where the next `expect` search starts
    started = time.monotonic()
    eof = False
    result = {"ok": False, "exit_code": None, "failed_step": None, "reason": ""}

    def pump(deadline):
        """Read what is available until deadline; returns False at EOF."""
        nonlocal eof
        while not eof:
            left = deadline - time.monotonic()
            if left <= 0:
                return True
            r, _, _ = select.select([fd], [], [], min(left, 0.1))
            if not r:
                return True
            try:
                chunk = os.read(fd, 65536)
            except OSError:  # EIO: the slave side closed (child exited)
                chunk = b""
            if not chunk:
                eof = True
                return False
            raw.extend(chunk)
            return True
        return False

    def screen():
        return strip(raw.decode("utf-8", "replace"))

    try:
        for i, step in enumerate(script["steps"]):
            limit = min(time.monotonic() + float(step.get("timeout", 30)), started + overall)
            if step.get("expect_eof"):
                while not eof and time.monotonic() < limit:
                    pump(limit)
                if not eof:
                    result.update(failed_step=i, reason="timed out waiting for the command to exit")
                    raise StopIteration
                continue
            pattern = re.compile(step["expect"]) if "expect" in step else None
            while pattern is not None:
                m = pattern.search(screen(), consumed)
                if m:
                    consumed = m.end()
                    break
                if eof:
                    result.update(failed_step=i, reason=f"command exited before /{step['expect']}/ appeared")
                    raise StopIteration
                if time.monotonic() >= limit:
                    result.update(failed_step=i, reason=f"timed out waiting for /{step['expect']}/")
                    raise StopIteration
                pump(limit)
            if "send" in step:
                time.sleep(float(step.get("delay", 0.15)))  # let the prompt finish rendering
                os.write(fd, step["send"].encode("utf-8"))
        result["ok"] = True
    except StopIteration:
        pass

    # Collect the rest of the output and the exit status.
    deadline = time.monotonic() + (10 if result["ok"] else 1)
    while not eof and time.monotonic() < deadline:
        pump(deadline)
    status = None
    for _ in range(50 if result["ok"] else 0):
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            break
        time.sleep(0.1)
    else:
        try:
            os.killpg(pid, signal.SIGKILL)  # the child leads its own session and group
        except OSError:
            os.kill(pid, signal.SIGKILL)
        _, status = os.waitpid(pid, 0)
        if result["ok"]:
            result.update(ok=False, reason="the command did not exit; killed")
    result["exit_code"] = os.waitstatus_to_exitcode(status)
    result["screen"] = screen()
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
