"""The Discord bot, driven as users would through simcord: no network, no token."""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

import discord
import pytest
from discord import app_commands
from discord.ext import commands
from simcord import SetupError, assert_error
from simtime import advance

from bot import create_bot
from bot.core.study.channels import StudyChannels
from bot.core.study.feedback import option_label
from bot.discord_app.client import StudyBot
from tests.conftest import make_team

DAY = 24 * 3600


@pytest.fixture
async def world(simcord_env):
    """A server with a study channel, an admin and two members; commands synced."""
    env = simcord_env
    guild, (channel,), admin, (alice, bob) = await make_team(
        env, "Study Group", ("study",), ("alice", "bob")
    )
    return env, guild, channel, admin, alice, bob


def _embed(result) -> discord.Embed:
    assert result.response is not None, result
    return result.response.embeds[0]


async def test_create_bot_builds_a_commands_bot_without_connecting(bot_settings) -> None:
    bot = create_bot(bot_settings)
    assert isinstance(bot, commands.Bot) and isinstance(bot, StudyBot)
    assert not bot.is_ready()
    assert bot.allowed_mentions is not None and bot.allowed_mentions.everyone is False


async def test_ask_answers_with_recommendation_and_ruled_out(world) -> None:
    env, guild, channel, admin, alice, bob = world
    result = await alice.slash(channel, "ask", question="batch or lambda for a 2 hour job?")
    embed = _embed(result)
    assert "AWS Batch" in embed.title
    ruled_out = next(f for f in embed.fields if f.name == "Ruled out")
    assert "Lambda ✗" in ruled_out.value and "15 minutes" in ruled_out.value
    assert "Sources:" in embed.footer.text


async def test_ask_with_everyone_pings_nobody(world) -> None:
    env, guild, channel, admin, alice, bob = world
    result = await alice.slash(channel, "ask", question="@everyone lambda max memory?")
    message = result.response.message
    assert not message.mention_everyone and not message.mentions
    assert "10 GB" in _embed(result).description


async def test_out_of_scope_question_offers_suggestion_buttons(world) -> None:
    env, guild, channel, admin, alice, bob = world
    result = await alice.slash(channel, "ask", question="how tall is mount everest")
    embed = _embed(result)
    assert embed.title == "Not in the notes"
    labels = [c["label"] for row in result.response.components for c in row["components"]]
    assert labels
    clicked = await alice.click(result.response.message, label=labels[0])
    assert clicked.ephemeral and clicked.response.embeds


async def test_ask_cooldown_gives_a_short_private_message(world) -> None:
    env, guild, channel, admin, alice, bob = world
    for _ in range(5):
        await alice.slash(channel, "ask", question="what is ecs")
    blocked = await alice.slash(channel, "ask", question="what is ecs")
    assert blocked.ephemeral and "Slow down" in blocked.response.content
    assert_error(env, app_commands.CommandOnCooldown)
    other = await bob.slash(channel, "ask", question="what is ecs")
    assert not other.ephemeral
    await env.advance_time(31)
    again = await alice.slash(channel, "ask", question="what is ecs")
    assert not again.ephemeral


async def test_compare_and_service_with_autocomplete(world) -> None:
    env, guild, channel, admin, alice, bob = world
    choices = await alice.autocomplete(channel, "compare", "a", "fargte")
    assert choices and choices[0]["value"] == "fargate"
    result = await alice.slash(channel, "compare", a="fargate", b="ecs")
    text = _embed(result).description.lower()
    assert "fargate" in text and "ecs" in text
    card = await alice.slash(channel, "service", name="dynamo db")
    assert "DynamoDB" in _embed(card).title
    unknown = await alice.slash(channel, "service", name="qqqqzzzz")
    assert unknown.ephemeral and "don't know" in unknown.response.content
    same = await alice.slash(channel, "compare", a="ecs", b="ecs")
    assert same.ephemeral


async def test_quiz_buttons_give_private_feedback_once(world) -> None:
    env, guild, channel, admin, alice, bob = world
    result = await alice.slash(channel, "quiz", topic="lambda")
    message = result.response.message
    bot: StudyBot = env.bot
    quiz = await bot.store.quiz(int(message.embeds[0].footer.text.split("#")[-1]))
    labels = [option_label(i, option) for i, option in enumerate(quiz.options)]
    assert [c.label for c in message.components[0].children] == labels  # "A · Fargate"
    right = labels[quiz.answer_index]
    wrong = labels[(quiz.answer_index + 1) % 4]
    first = await alice.click(message, label=right)
    assert first.ephemeral and f"Right: **{right}**" in first.response.content
    # like a practice exam: one line for each other option, saying why it is not right
    others = [label for label in labels if label != right]
    assert all(f"• **{label}**: " in first.response.content for label in others)
    verdict = first.response.content.splitlines()[0]
    assert len(verdict) <= 300 + len("✅ Right: ****. ")
    again = await alice.click(message, label=wrong)
    assert again.ephemeral and "already answered" in again.response.content
    bob_result = await bob.click(message, label=wrong)
    assert "Not quite" in bob_result.response.content and right in bob_result.response.content
    refreshed = channel.history()[-1] if channel.history()[-1].id == message.id else message
    footer = next(m for m in channel.history() if m.id == message.id).embeds[0].footer.text
    assert footer.startswith("2 answered"), (footer, refreshed)
    stats = await alice.slash(channel, "stats")
    assert stats.ephemeral and "right **1**" in _embed(stats).description
    board = await alice.slash(channel, "leaderboard")  # practice is not on the daily board
    assert "practice counts in `/stats` only" in board.response.content
    assert not board.response.message.mentions


async def test_quiz_unknown_topic(world) -> None:
    env, guild, channel, admin, alice, bob = world
    result = await alice.slash(channel, "quiz", topic="knitting")
    assert result.ephemeral and "No quiz questions" in result.response.content


async def test_buttons_survive_a_restart(world, make_bot) -> None:
    env, guild, channel, admin, alice, bob = world
    result = await alice.slash(channel, "quiz")
    message = result.response.message
    await env.restart_bot(make_bot())
    label = message.components[0].children[0].label
    clicked = await bob.click(message, label=label)
    assert clicked.ephemeral and (
        "Right" in clicked.response.content or "Not quite" in clicked.response.content
    )


async def test_study_is_for_admins_only(world) -> None:
    env, guild, channel, admin, alice, bob = world
    with pytest.raises(SetupError, match="not visible"):  # hidden by default permissions
        await alice.slash(channel, "study channel", channel=channel)
    # An admin may show the command to everyone; the bot still checks Manage Server.
    study = next(c for c in await env.bot.tree.fetch_commands() if c.name == "study")
    guild.set_command_permissions(study, {alice: True})
    refused = await alice.slash(channel, "study channel", channel=channel)
    assert refused.ephemeral and "Manage Server" in refused.response.content
    assert_error(env, app_commands.MissingPermissions)
    bot: StudyBot = env.bot
    assert await StudyChannels(bot.store).for_guild(guild.id) == []


async def test_daily_quiz_posted_once_across_a_restart(world, make_bot) -> None:
    env, guild, channel, admin, alice, bob = world
    done = await admin.slash(channel, "study channel", channel=channel, time="10:00")
    assert "is now a study channel" in done.response.content
    assert "10:00 (UTC)" in done.response.content

    def dailies() -> list[discord.Message]:
        return [
            m for m in channel.history() if m.embeds and "Daily quiz" in (m.embeds[0].title or "")
        ]

    await advance(env, 9 * 3600 + 30 * 60)  # 09:30: not yet
    assert dailies() == []
    await advance(env, 40 * 60)  # 10:10: posted
    assert len(dailies()) == 1
    first = dailies()[0]
    await alice.click(first, label=first.components[0].children[0].label)
    await env.restart_bot(make_bot())
    await advance(env, 3600)
    assert len(dailies()) == 1  # the restart did not post it again
    await advance(env, DAY)  # the next day, with yesterday's answer revealed
    assert len(dailies()) == 2
    assert "Answer to yesterday's quiz" in (dailies()[1].content or "")


async def test_missed_daily_post_is_made_on_start(world, make_bot) -> None:
    env, guild, channel, admin, alice, bob = world
    await admin.slash(channel, "study channel", channel=channel, time="08:00")
    bot: StudyBot = env.bot
    await bot.close()
    await advance(env, 12 * 3600)  # the bot was down at 08:00
    await env.restart_bot(make_bot())
    await advance(env, 5)
    posts = [m for m in channel.history() if m.embeds and "Daily quiz" in (m.embeds[0].title or "")]
    assert len(posts) == 1


async def test_missing_permission_is_told_to_admins_and_others_still_get_posts(world) -> None:
    env, guild, channel, admin, alice, bob = world
    await admin.slash(channel, "study channel", channel=channel)
    other = env.create_guild("Other")
    other_channel = other.create_text_channel("quiz")
    other_admin = other.add_member(
        env.create_user("otto"),
        roles=[other.create_role("Admins", permissions=discord.Permissions(manage_guild=True))],
    )
    await other_admin.slash(other_channel, "study channel", channel=other_channel)
    env.inject_error(
        "POST", f"/channels/{channel.id}/messages", status=403, code=50013,
        message="Missing Permissions", times=None,
    )  # fmt: skip
    await advance(env, 10 * 3600)
    assert any(m.embeds for m in other_channel.history())
    told = await admin.slash(channel, "study list")
    assert "A daily post failed" in told.response.content
    assert "not allowed to post" in told.response.content
    again = await admin.slash(channel, "study list")  # told once per problem
    assert "A daily post failed" not in again.response.content
    assert "last problem: I am not allowed to post there" in again.response.content


async def test_study_channel_refuses_a_channel_the_bot_cannot_post_in(world) -> None:
    env, guild, channel, admin, alice, bob = world
    closed = guild.create_text_channel(
        "closed", overwrites={guild.me: discord.PermissionOverwrite(send_messages=False)}
    )
    result = await admin.slash(channel, "study channel", channel=closed)
    assert "can't post" in result.response.content and "send_messages" in result.response.content


async def test_bad_time_and_zone_are_explained(world) -> None:
    env, guild, channel, admin, alice, bob = world
    bad = await admin.slash(channel, "study channel", channel=channel, time="25:99")
    assert "not a time" in bad.response.content and "Nothing was changed" in bad.response.content
    zone = await admin.slash(channel, "study channel", channel=channel, timezone="Europe/Pari")
    assert "Unknown time zone" in zone.response.content
    assert "Europe/Paris" in zone.response.content  # a suggestion
    now = await admin.slash(channel, "study now")
    assert "study channel first" in now.response.content
    await admin.slash(channel, "study channel", channel=channel)
    posted = await admin.slash(channel, "study now")
    assert "Posted" in posted.response.content
    again = await admin.slash(channel, "study now")
    assert "already posted" in again.response.content
    off = await admin.slash(channel, "study off", channel=channel)
    assert "No more daily quizzes" in off.response.content
    gone = await admin.slash(channel, "study off", channel=channel)
    assert "is not a study channel" in gone.response.content


async def test_reload_is_owner_only_and_keeps_old_knowledge_when_broken(
    world, tmp_path: Path
) -> None:
    env, guild, channel, admin, alice, bob = world
    bot: StudyBot = env.bot
    refused = await alice.slash(channel, "reload")
    assert refused.ephemeral and "Only the bot's owner" in refused.response.content
    copy = tmp_path / "knowledge"
    shutil.copytree(bot.settings.knowledge_dir, copy)
    bot.settings = dataclasses.replace(bot.settings, knowledge_dir=copy)
    bot.owner_id, bot.owner_ids = None, {alice.id}  # the first check cached the app owner
    (copy / "services" / "lambda.yaml").write_text("id: [broken\n", "utf-8")
    kept = await alice.slash(channel, "reload")
    text = kept.response.content  # the deferred reply, edited
    assert "Kept the old knowledge" in text and "yaml:" in text and "`lambda`" in text
    assert "lambda" in bot.knowledge.services
    shutil.rmtree(copy)
    shutil.copytree(Path(__file__).parents[1] / "knowledge", copy)
    done = await alice.slash(channel, "reload")
    assert "Reloaded" in done.response.content


def _walk(payload: dict, path: str = ""):
    yield path + payload["name"], payload
    for option in payload.get("options", []):
        if "name" in option:
            yield from _walk(option, path + payload["name"] + " ")


async def test_every_command_fits_discords_limits(simcord_env) -> None:
    tree = simcord_env.bot.tree
    payloads = [command.to_dict(tree) for command in tree.get_commands()]
    names = {p["name"] for p in payloads}
    assert {"ask", "compare", "service", "quiz", "stats", "leaderboard", "study", "reload"} <= names
    for payload in payloads:
        for where, item in _walk(payload):
            assert 1 <= len(item["name"]) <= 32 and item["name"] == item["name"].lower(), where
            assert 1 <= len(item.get("description", "x")) <= 100, where
            assert len(item.get("options", [])) <= 25, where
            assert len(item.get("choices", [])) <= 25, where


@pytest.mark.parametrize(
    "question",
    [
        "   ",
        "x" * 500,
        "\u200b\u200b\u200b",
        "**bold** `code` ||spoiler||",
        "🤖🔥",
        "'; DROP TABLE answers; --",
        "<@123> <#456> @here",
    ],
)
async def test_bad_input_gets_a_clear_answer(world, question: str) -> None:
    env, guild, channel, admin, alice, bob = world
    result = await alice.slash(channel, "ask", question=question)
    embed = _embed(result)
    assert embed.description and len(embed) <= 6000
    assert not result.response.message.mention_everyone


async def test_quiz_by_difficulty(world) -> None:
    env, guild, channel, admin, alice, bob = world
    bot: StudyBot = env.bot
    result = await alice.slash(channel, "quiz", topic="databases", difficulty="hard")
    quiz = await bot.store.quiz(int(result.response.embeds[0].footer.text.split("#")[-1]))
    assert bot.quizmaster.bank[quiz.question_id].difficulty == "hard"
    assert quiz.category == "databases"
    none = await alice.slash(channel, "quiz", topic="knitting", difficulty="easy")
    assert none.ephemeral and "No quiz easy questions about 'knitting'" in none.response.content


def test_odd_digits_in_settings_do_not_stop_the_bot(monkeypatch: pytest.MonkeyPatch) -> None:
    from bot.config import Settings

    monkeypatch.setattr("bot.config.load_dotenv", lambda: None)
    monkeypatch.setenv("DEV_GUILD_ID", "¹²")
    monkeypatch.setenv("OWNER_IDS", "12, ³, 34")
    settings = Settings.from_env()
    assert settings.dev_guild_id is None and settings.owner_ids == frozenset({12, 34})
