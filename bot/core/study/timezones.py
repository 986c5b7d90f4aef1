"""Time zone names typed by people: the canonical IANA name, or a refusal with suggestions.

Shared by the settings (DEFAULT_TIMEZONE) and the `/study` commands, so that a typo such
as "Europe/Pari" is refused where it is typed instead of silently meaning UTC."""

from __future__ import annotations

import functools
import zoneinfo

from rapidfuzz import fuzz, process


@functools.cache
def _zones() -> dict[str, str]:
    """Every known zone by its lower-case name."""
    return {name.lower(): name for name in zoneinfo.available_timezones()}


def zone_name(text: str) -> str | None:
    """The IANA name `text` means ("europe/paris" → "Europe/Paris"), or None if unknown."""
    return _zones().get(text.strip().lower())


def zone_suggestions(text: str, limit: int = 3) -> list[str]:
    """The known zones closest to `text`, best first."""
    wanted = text.strip().lower()
    if not wanted:
        return []
    found = process.extract(wanted, list(_zones()), scorer=fuzz.WRatio, limit=limit)
    return [_zones()[name] for name, _score, _index in found]


def unknown_zone_message(text: str) -> str:
    """One line refusing `text`, with the nearest names."""
    suggestions = zone_suggestions(text)
    hint = f" Did you mean {', '.join(suggestions)}?" if suggestions else ""
    return f"unknown time zone {text.strip()!r}.{hint} Use an IANA name such as Europe/Paris."
