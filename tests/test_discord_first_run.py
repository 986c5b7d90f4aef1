"""The bot on a first run: it says who it is and where, and refuses a time zone typo."""

from __future__ import annotations

import logging

import discord
import pytest

from bot.core.study.channels import StudyChannels
from tests.conftest import make_team


@pytest.fixture
async def server(simcord_env):
    env = simcord_env
    guild, (channel,), admin, _ = await make_team(env, "Study Group", ("study",))
    return env, guild, channel, admin


async def test_the_bot_logs_who_it_is_and_its_servers(
    simcord_env, caplog: pytest.LogCaptureFixture
) -> None:
    env = simcord_env
    guild = env.create_guild("Study Group")
    with caplog.at_level(logging.INFO, logger="bot"):
        await env.bot.on_ready()
    line = next(r.getMessage() for r in caplog.records if "logged in as" in r.getMessage())
    assert str(env.bot.user) in line and f"Study Group ({guild.id})" in line
    assert "in 1 server(s)" in line


async def test_an_unknown_time_zone_is_refused_with_suggestions(server) -> None:
    env, guild, channel, admin = server
    await admin.slash(channel, "study channel", channel=channel)
    typo = await admin.slash(
        channel, "study channel", channel=channel, time="08:00", timezone="Europe/Pari"
    )
    text = typo.response.content
    assert "Unknown time zone 'Europe/Pari'" in text and "Europe/Paris" in text
    assert "Nothing changed" in text
    kept = await StudyChannels(env.bot.store).get(channel.id)
    assert kept is not None and kept.quiz_time == "09:00" and kept.timezone == "UTC"


async def test_a_time_zone_in_other_case_is_taken_as_its_proper_name(server) -> None:
    env, guild, channel, admin = server
    done = await admin.slash(
        channel, "study channel", channel=channel, time="08:00", timezone="europe/paris"
    )
    assert "08:00 (Europe/Paris)" in done.response.content
    kept = await StudyChannels(env.bot.store).get(channel.id)
    assert kept is not None and kept.timezone == "Europe/Paris"


@pytest.fixture
def owner_with_copy(server, tmp_path):
    """The owner (ada) and the bot reading a writable copy of the knowledge."""
    import dataclasses
    import shutil
    from pathlib import Path

    env, guild, channel, admin = server
    copy = tmp_path / "knowledge"
    shutil.copytree(Path(__file__).parents[1] / "knowledge", copy)
    env.bot.settings = dataclasses.replace(env.bot.settings, knowledge_dir=copy)
    env.bot.owner_id, env.bot.owner_ids = None, {admin.id}
    return env, channel, admin, copy


@pytest.mark.parametrize(
    ("breakage", "said"),
    [("placeholder", "unknown placeholder {limt}"), ("no services", "no services")],
)
async def test_reload_refuses_what_the_runtime_would_fail_on(
    owner_with_copy, breakage: str, said: str
) -> None:
    import shutil

    env, channel, admin, copy = owner_with_copy
    before = env.bot.engine
    if breakage == "placeholder":
        rules = copy / "rules.yaml"
        rules.write_text(
            rules.read_text().replace('"stops a run at {limit}"', '"stops a run at {limt}"')
        )
    else:
        for folder in ("services", "comparisons", "quiz", "notes"):
            shutil.rmtree(copy / folder)
    kept = await admin.slash(channel, "reload")
    assert "Kept the old knowledge" in kept.response.content and said in kept.response.content
    assert env.bot.engine is before
    asked = await admin.slash(channel, "ask", question="batch or lambda for a 2 hour job?")
    assert "AWS Batch" in asked.response.embeds[0].title


async def test_reload_keeps_the_old_knowledge_on_an_unforeseen_failure(
    owner_with_copy, monkeypatch: pytest.MonkeyPatch
) -> None:
    env, channel, admin, copy = owner_with_copy
    before = env.bot.engine

    def explode(_folder):
        raise MemoryError("no room")

    import sys

    # the module the bot loaded as an extension (not set on its package)
    monkeypatch.setattr(sys.modules["bot.discord_app.cogs.admin"], "load_checked", explode)
    kept = await admin.slash(channel, "reload")
    assert "Kept the old knowledge" in kept.response.content and "no room" in kept.response.content
    assert env.bot.engine is before


def test_the_readme_invite_link_grants_what_the_bot_checks_for() -> None:
    import re
    from pathlib import Path

    from bot.discord_app.posting import NEEDED

    readme = (Path(__file__).parents[1] / "README.md").read_text()
    link = re.search(
        r"oauth2/authorize\?client_id=APP_ID&scope=([\w+.]+)&permissions=(\d+)", readme
    )
    assert link is not None
    assert set(link.group(1).split("+")) == {"bot", "applications.commands"}
    granted = discord.Permissions(int(link.group(2)))
    for name in ("view_channel", *NEEDED, "read_message_history"):
        assert getattr(granted, name), name
    assert not granted.administrator and not granted.mention_everyone
