"""Settings from the environment and an optional `.env` file (never printed: it holds the token)."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from bot.core.knowledge.loader import default_knowledge_dir
from bot.core.study.store import data_dir, database_path
from bot.core.study.timezones import unknown_zone_message, zone_name

_TIME = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")
_LINE = re.compile(r"^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*?)\s*$")


class SettingsError(ValueError):
    """A setting that cannot be used; the message names it and says what to write."""


def load_dotenv(path: Path | str = ".env") -> None:
    """Read KEY=VALUE lines into the environment; values already set win."""
    path = Path(path)
    if not path.is_file():
        return
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError as error:
        raise SettingsError(f"cannot read {path}: {error.strerror}") from None
    for line in text.splitlines():
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


def _default_timezone(text: str) -> str:
    """DEFAULT_TIMEZONE as an IANA name; a typo is refused rather than posting in UTC
    while admins are shown the typo."""
    name = text.strip() or "UTC"
    known = zone_name(name)
    if known is None:
        raise SettingsError(f"DEFAULT_TIMEZONE: {unknown_zone_message(name)}")
    return known


@dataclass(frozen=True)
class Settings:
    token: str | None = field(default=None, repr=False)
    dev_guild_id: int | None = None
    database_path: Path = field(default_factory=database_path)
    knowledge_dir: Path = field(default_factory=default_knowledge_dir)
    default_quiz_time: str = "09:00"
    default_timezone: str = "UTC"
    log_level: str = "INFO"
    heartbeat_path: Path = field(default_factory=lambda: data_dir() / "heartbeat")
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
            default_timezone=_default_timezone(env.get("DEFAULT_TIMEZONE", "")),
            log_level=(env.get("LOG_LEVEL", "").strip() or "INFO").upper(),
            heartbeat_path=Path(env.get("HEARTBEAT_PATH", "").strip() or data_dir() / "heartbeat"),
            owner_ids=frozenset(
                int(part)
                for part in re.split(r"[,\s]+", env.get("OWNER_IDS", ""))
                if part.isdecimal()
            ),
        )
