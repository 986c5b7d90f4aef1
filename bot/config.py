"""Settings from the environment and an optional `.env` file (never printed: it holds the token)."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from bot.core.knowledge.loader import default_knowledge_dir
from bot.core.study.store import database_path

_TIME = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")
_LINE = re.compile(r"^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*?)\s*$")


def load_dotenv(path: Path | str = ".env") -> None:
    """Read KEY=VALUE lines into the environment; values already set win."""
    path = Path(path)
    if not path.is_file():
        return
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        match = _LINE.match(line)
        if not match:
            continue
        key, value = match.groups()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
            value = value[1:-1]
        os.environ.setdefault(key, value)


def parse_time(text: str) -> str | None:
    """'7:30' -> '07:30'; None when it is not a time of day."""
    match = _TIME.match(text.strip())
    if not match:
        return None
    return f"{int(match.group(1)):02d}:{match.group(2)}"


@dataclass(frozen=True)
class Settings:
    token: str | None = field(default=None, repr=False)
    dev_guild_id: int | None = None
    database_path: Path = field(default_factory=database_path)
    knowledge_dir: Path = field(default_factory=default_knowledge_dir)
    default_quiz_time: str = "09:00"
    default_timezone: str = "UTC"
    log_level: str = "INFO"
    heartbeat_path: Path = Path("data") / "heartbeat"
    heartbeat_seconds: float = 30.0  # how often the heartbeat file is written
    owner_ids: frozenset[int] = frozenset()

    @classmethod
    def from_env(cls) -> Settings:
        load_dotenv()
        env = os.environ
        guild = env.get("DEV_GUILD_ID", "").strip()
        return cls(
            token=env.get("DISCORD_TOKEN", "").strip() or None,
            dev_guild_id=int(guild) if guild.isdecimal() else None,
            database_path=database_path(),
            knowledge_dir=default_knowledge_dir(),
            default_quiz_time=parse_time(env.get("DEFAULT_QUIZ_TIME", "")) or "09:00",
            default_timezone=env.get("DEFAULT_TIMEZONE", "").strip() or "UTC",
            log_level=(env.get("LOG_LEVEL", "").strip() or "INFO").upper(),
            heartbeat_path=Path(env.get("HEARTBEAT_PATH", "") or Path("data") / "heartbeat"),
            owner_ids=frozenset(
                int(part)
                for part in re.split(r"[,\s]+", env.get("OWNER_IDS", ""))
                if part.isdecimal()
            ),
        )
