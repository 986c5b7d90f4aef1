"""The heartbeat file the running bot writes and `python -m bot health` reads.

Two lines: when the bot last wrote it while connected, and when its scheduler last
finished a tick. A bot whose daily loop died keeps writing the first line; the second
goes stale, and the health check fails. A time in the future is a lie (a clock jumped
back, or a copied file) and fails too.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

FUTURE_SLACK = timedelta(seconds=5)  # clocks of two processes may differ a little


@dataclass(frozen=True)
class Heartbeat:
    written: datetime
    scheduler: datetime | None


def format_heartbeat(written: datetime, scheduler: datetime | None) -> str:
    lines = [written.isoformat()]
    if scheduler is not None:
        lines.append(f"scheduler {scheduler.isoformat()}")
    return "\n".join(lines) + "\n"


def parse_heartbeat(text: str) -> Heartbeat | None:
    lines = text.strip().splitlines()
    try:
        written = datetime.fromisoformat(lines[0].strip())
        scheduler = None
        for line in lines[1:]:
            if line.startswith("scheduler "):
                scheduler = datetime.fromisoformat(line.removeprefix("scheduler ").strip())
    except (IndexError, ValueError):
        return None
    if written.tzinfo is None or (scheduler is not None and scheduler.tzinfo is None):
        return None
    return Heartbeat(written, scheduler)


def check(path: Path, now: datetime, max_age: float, max_scheduler_age: float) -> str | None:
    """None when healthy, else what is wrong (one line)."""
    try:
        beat = parse_heartbeat(path.read_text(encoding="utf-8"))
    except OSError:
        return f"no heartbeat file at {path}"
    if beat is None:
        return f"the heartbeat file {path} is unreadable"
    if beat.written > now + FUTURE_SLACK or (
        beat.scheduler is not None and beat.scheduler > now + FUTURE_SLACK
    ):
        return "the heartbeat lies in the future"
    age = (now - beat.written).total_seconds()
    if age > max_age:
        return f"no recent heartbeat (last {age:.0f}s ago)"
    if beat.scheduler is None:
        return "the scheduler has not finished a tick yet"
    stale = (now - beat.scheduler).total_seconds()
    if stale > max_scheduler_age:
        return f"the daily scheduler is stale (last tick {stale:.0f}s ago)"
    return None
