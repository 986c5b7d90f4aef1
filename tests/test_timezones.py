"""Time zone names as people type them (shared by DEFAULT_TIMEZONE and /study time)."""

from __future__ import annotations

import pytest

from bot.config import Settings, SettingsError
from bot.core.study.timezones import unknown_zone_message, zone_name, zone_suggestions


@pytest.mark.parametrize(
    ("typed", "name"),
    [("Europe/Paris", "Europe/Paris"), ("europe/paris", "Europe/Paris"), (" UTC ", "UTC"),
     ("Europe/Pari", None), ("Mars/Olympus", None), ("", None), ("../../etc/passwd", None)],
)  # fmt: skip
def test_zone_name(typed: str, name: str | None) -> None:
    assert zone_name(typed) == name


def test_a_typo_is_refused_with_the_nearest_names() -> None:
    assert zone_suggestions("Europe/Pari")[0] == "Europe/Paris"
    assert zone_suggestions("America/New_Yrok")[0] == "America/New_York"
    message = unknown_zone_message("Europe/Pari")
    assert "'Europe/Pari'" in message and "Did you mean Europe/Paris" in message
    assert "\n" not in message


def test_default_timezone_typo_is_refused_not_posted_in_utc(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr("bot.config.load_dotenv", lambda: None)
    monkeypatch.setenv("DEFAULT_TIMEZONE", "Europe/Pari")
    with pytest.raises(SettingsError, match="DEFAULT_TIMEZONE: unknown time zone 'Europe/Pari'"):
        Settings.from_env()
    monkeypatch.setenv("DEFAULT_TIMEZONE", "asia/tokyo")
    assert Settings.from_env().default_timezone == "Asia/Tokyo"
