"""Reading fixes, honest confidence and the one composer (issue 11)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import discord
import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.core.answering import calibration
from bot.core.answering.composer import compose, sentence
from bot.core.answering.engine import Engine
from bot.core.answering.evaluate import evaluate, load_cases, reliability
from bot.core.answering.findings import FactFinding
from bot.core.answering.retrieval import Doc, Retriever
from bot.core.knowledge.loader import Knowledge, quantity_text
from bot.core.knowledge.text import stem
from bot.discord_app.render import answer_embed

DATA = Path(__file__).resolve().parent / "data"
SOURCE = re.compile(r"^[\w.\-]+\.(md|txt)(:\d+)?$")
# The check halves are measured in `eval`, never asserted on here: a failing assertion
# would show their questions, and nothing may be tuned on them.
QUESTION_FILES = sorted(DATA.glob("*.yaml")) + sorted(DATA.glob("*/tune.yaml"))


@pytest.mark.parametrize(
    ("minutes", "text"),
    [(1 / 60, "1 second"), (0.5, "30 seconds"), (45, "45 minutes"), (120, "2 hours"),
     (90, "90 minutes"), (2880, "2 days"), (200 / 60000, "under a second")],
)  # fmt: skip
def test_durations_are_worded_in_human_units(minutes: float, text: str) -> None:
    assert quantity_text("duration_minutes", minutes) == text


def test_no_answer_says_zero_point_zero_minutes(engine: Engine) -> None:
    for question in (
        "lambda or batch for a quick 30 second task triggered by an api call",
        "webhook handler, each call takes ~200ms, lambda ok?",
        "can lambda take a 512mb job",
    ):
        text = engine.answer(question).answer
        assert "0.0" not in text and not re.search(r"\b0 minutes", text), text


def test_sentences_are_whole() -> None:
    assert sentence("is based on calls and duration") == "Is based on calls and duration."
    assert sentence("Batch has no limit;  ") == "Batch has no limit."
    assert sentence("") == ""


@pytest.mark.parametrize(
    ("question", "service"),
    [
        ("i want to kick off a function every 15 minutes, like a cron job", "EventBridge"),
        ("lambda or fargate for a containerized worker that runs nonstop all day", "Fargate"),
        ("is dynamodb serverless?", "DynamoDB"),
        ("we want to run docker containers on ec2 hosts we control, no kubernetes needed", "ECS"),
    ],
)
def test_reading_fixes(engine: Engine, question: str, service: str) -> None:
    answer = engine.answer(question)
    assert service in (answer.service or ""), answer.answer


def test_every_n_minutes_and_at_2am_are_schedules_not_run_lengths(engine: Engine) -> None:
    for question in ("run my cleanup every 15 minutes", "run a report at 2am"):
        reading = engine.lexicon.read(question)
        assert "schedule" in reading.needs
        assert not any(n.parameter for n, _ in engine.judge.question_needs(reading))


@pytest.mark.parametrize(
    "question",
    [
        "store cpu metrics from our servers, queries average over the last 6h",
        "someone dropped a table 20 min ago, how do we undo it",
        "move the logs to cold storage after 90 days",
        "run sql over 6 months of flow logs",
    ],
)
def test_a_duration_that_says_when_is_not_a_run_length(engine: Engine, question: str) -> None:
    assert engine.lexicon.read(question).duration_minutes is None


def test_a_duration_outside_a_run_rules_nothing_out(engine: Engine) -> None:
    answer = engine.answer("alert me when cpu on our instances stays over 80% for 5 mins")
    assert "CloudWatch" in (answer.service or "")
    assert "runs code" not in answer.answer


def test_only_named_services_or_the_runner_up_are_ruled_out(engine: Engine) -> None:
    answer = engine.answer("batch or lambda for a 2 hour job?")
    assert [line.split(" ✗")[0] for line in answer.ruled_out] == ["Lambda"]
    for question in ("which service runs a 4 hour video transcoding job on GPUs?",):
        assert len(engine.answer(question).ruled_out) <= 1


def test_sources_are_notes_and_lines_not_internal_ids(engine: Engine) -> None:
    for question in ("what is the lambda timeout limit", "batch or lambda for a 2 hour job?",
                     "fargate vs ecs", "what is ecs", "wavelength vs local zones"):  # fmt: skip
        for source in engine.answer(question).sources:
            assert SOURCE.match(source), (question, source)


def test_a_pair_from_a_three_way_comparison_speaks_of_the_pair(engine: Engine) -> None:
    answer = engine.answer("wavelength vs local zones")
    assert "All three" not in answer.answer and "Outposts" not in answer.answer


def test_discord_embed_says_each_sentence_once(engine: Engine) -> None:
    answer = engine.answer("batch or lambda for a 2 hour job?")
    embed = answer_embed(answer)
    assert isinstance(embed, discord.Embed)
    said = [embed.description or ""] + [field.value or "" for field in embed.fields]
    sentences = [s for part in said for s in re.split(r"(?<=\.)\s+|\n", part) if s.strip()]
    assert len(sentences) == len(set(sentences)), sentences


def test_calibration_is_monotone_and_bounded() -> None:
    assert calibration.CALIBRATION, "run scripts/calibrate.py"
    for kind in calibration.CALIBRATION:
        values = [calibration.calibrated(kind, raw / 100) for raw in range(0, 101)]
        assert values == sorted(values)
        assert all(calibration.FLOOR <= v <= calibration.CEILING for v in values)


def test_out_of_scope_questions_never_get_a_confident_answer(engine: Engine) -> None:
    outcomes = [o for f in QUESTION_FILES for o in evaluate(engine, load_cases(f))]
    out_of_scope = [o for o in outcomes if o.case.category == "none"]
    assert len(out_of_scope) >= 45
    confident = [(o.case.question, o.answer.confidence) for o in out_of_scope]
    assert all(confidence < 0.8 for _, confidence in confident), confident
    table = reliability(outcomes)
    assert table[0].startswith("confidence") and "out-of-scope" in table[-1]


def test_labels_and_headings_are_not_quoted_as_statements(knowledge: Knowledge) -> None:
    labels = [s.text for s in knowledge.notes if s.text.rstrip().endswith((":", "?"))]
    assert not [text for text in labels if len(text.split()) <= 6], labels
    texts = {s.text for s in knowledge.notes}
    assert "Common Lambda Use Cases" not in texts and "What is it?" not in texts


def test_a_note_line_in_lower_case_is_worded_from_its_term(knowledge: Knowledge) -> None:
    batch = knowledge.services["batch"]
    finding = FactFinding(batch, "statements", statements=["runs jobs at any scale"])
    assert compose("what is batch", finding).answer == "Batch: runs jobs at any scale."


def test_answers_do_not_depend_on_the_process_hash_seed(tmp_path: Path) -> None:
    """Ties once broke by set order, so two runs could word "EMR vs Glue" differently."""
    questions = tmp_path / "questions.txt"
    questions.write_text(
        "EMR vs Glue for data processing\nsam vs plain cloudformation for a lambda heavy "
        "project\nhow is ECR different from ECS\ncodedeploi to my existing ec2s\n"
    )
    outputs = []
    for seed in ("1", "3"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        command = [sys.executable, "-m", "bot", "ask", "--json", "--batch", str(questions)]
        done = subprocess.run(command, capture_output=True, text=True, env=env, check=True)
        outputs.append(done.stdout)
    assert outputs[0] == outputs[1]


@pytest.mark.parametrize("size", ["nan", "inf", "-inf", "1e999"])
def test_only_finite_numbers_are_sizes(engine, size: str) -> None:
    answer = engine.answer(f"lambda with {size} GB of memory?")
    assert size not in answer.answer.lower().replace("info", "")


def test_a_named_option_asked_for_what_it_is_not_for_is_ruled_out(engine: Engine) -> None:
    """Local Zones' knowledge says it is not for mobile devices on a 5G carrier network:
    asked for that, it is ruled out with that reason and the service made for it wins."""
    answer = engine.answer(
        "outposts or local zones for a cloud game that must run inside the mobile "
        "carriers' 5g networks?"
    )
    assert answer.service == engine.knowledge.services["wavelength"].name
    assert any("not for mobile devices on a 5G carrier network" in r for r in answer.ruled_out)


@given(st.from_regex(r"[a-z]{3,14}", fullmatch=True))
def test_every_form_of_a_word_meets_one_stem(word: str) -> None:
    """Stemming twice changes nothing, so "containerized" meets "container"."""
    assert stem(stem(word)) == stem(word)


def test_forms_of_a_word_share_a_stem() -> None:
    for forms in (
        ("container", "containers", "containerized"),
        ("trigger", "triggered"),
        ("orchestrate", "orchestration", "orchestrator"),
        ("encrypt", "encrypted", "encryption"),
        ("replicate", "replicated", "replication"),
        ("ACU", "ACUs"),  # short words ending in u or i take a plain s
        ("API", "APIs"),
        ("vCPU", "vCPUs"),
        ("replace", "replaces", "replacement"),  # "the aws replacement" for "replaces"
        ("deploy", "deployments"),
    ):
        assert len({stem(form.lower()) for form in forms}) == 1, forms
    assert stem("status") == "status" and stem("analysis") == "analysis"
    assert stem("payment") != stem("pay")  # a short base keeps its -ment


@pytest.mark.parametrize(
    ("question", "service"),
    [
        ("lambda or fargate to keep our docker images in a private registry?", "ECR"),
        ("ec2 or lambda to host a postgres db with joins and transactions", "RDS"),
        ("lambda or ecs for weekly dashboards our sales managers can click through", "Quick"),
        ("lambda or fargate for a containerized worker that runs nonstop all day", "Fargate"),
        ("batch or lambda for a 2 hour job?", "Batch"),
    ],
)
def test_named_options_give_way_to_the_service_made_for_the_need(
    engine: Engine, question: str, service: str
) -> None:
    assert service in (engine.answer(question).service or "")


def test_a_quoted_list_item_opens_with_the_line_that_introduces_it() -> None:
    lead = "LF-Tags (tag-based access control)"
    heading = Doc(f"{lead}:", ("lf",), "a.md:1", True)
    first = Doc("grant on tag expressions", ("lf",), "a.md:2", True, lead_in=lead)
    second = Doc("tags must be predefined", ("lf",), "a.md:3", True, lead_in=lead)
    assert Retriever.quoted([first, second]) == [f"{lead}: grant on tag expressions", second.text]
    assert Retriever.quoted([heading, first]) == [heading.text, first.text]


def test_a_long_story_around_a_plain_need_is_answered(engine: Engine) -> None:
    question = (
        "our dentist office app: patients, dentists, appointments, bills, all linked with "
        "foreign keys, and reports run lots of joins. it's mysql on an old pc under the "
        "desk. where should the database go on aws"
    )
    assert "RDS" in (engine.answer(question).service or "")


def test_a_named_option_is_ruled_out_for_what_it_is_not_for_without_an_opening_action(
    engine: Engine,
) -> None:
    """CDK is not for "teams that want plain YAML or JSON templates": no action opens it,
    so the templates asked for are enough to rule it out."""
    answer = engine.answer(
        "cdk or cloudformation? our auditors only read plain declarative yaml templates, "
        "not typescript"
    )
    assert "CloudFormation" in (answer.service or ""), answer.answer


@pytest.mark.parametrize(
    ("question", "needs"),
    [
        ("nobody here knows kubernetes, we run docker containers", {"containers"}),
        ("we dont want to use gpus for this", set()),
        ("no servers, but we need kubernetes", {"kubernetes", "no-servers"}),
        # four words of stance between the negator and the need:
        ("docker api, and nobody on the team knows kubernetes", {"containers"}),
        # denied after it is said:
        ("windows software that runs 24/7, serverless isnt an option", set()),
        ("a render job, gpus are not needed", set()),
        # a wish denied covers its object:
        ("we really dont want aws racks in our building", set()),
        ("we dont want a big bill, but it has to run in our own data center", {"on-premises"}),
    ],
)
def test_a_negation_a_few_words_before_a_need_rules_it_out(
    engine: Engine, question: str, needs: set[str]
) -> None:
    assert set(engine.lexicon.read(question).needs) == needs


def test_options_do_not_give_way_to_a_service_sharing_one_word(engine: Engine) -> None:
    """Serverless Application Repository shares "team" with the question: no reason
    to add it to the two options asked about."""
    reading = engine.lexicon.read("ecs or eks for a small team that doesn't know kubernetes")
    assert engine.judge.widen(reading, ["ecs", "eks"], 1.0, options=True) == ["ecs", "eks"]


def test_a_run_length_in_numbers_wins_over_a_phrase(engine: Engine) -> None:
    # "overnight" says when the 200 ms job runs, not that it runs for eight hours.
    reading = engine.lexicon.read("a job that takes 200ms, runs overnight a few times")
    assert reading.duration_minutes == pytest.approx(200 / 60_000)


def test_a_run_shorter_than_the_least_billed_goes_to_what_bills_by_the_run(
    engine: Engine,
) -> None:
    # Fargate, EC2 and Batch bill every run for at least a minute: a 200 ms task on them
    # pays for 300 times its length.
    answer = engine.answer("fargate or lambda for a webhook check that takes 200ms each time")
    assert answer.service == "AWS Lambda"
    assert "at least 1 minute" in answer.answer
    long_job = engine.answer("fargate or lambda for a job that takes 2 hours")
    assert long_job.service != "AWS Lambda" and "at least 1 minute" not in long_job.answer


def test_joins_rule_out_the_stores_that_cannot_join(engine: Engine) -> None:
    answer = engine.answer("dynamodb or elasticache for a schema full of foreign keys and joins")
    assert answer.service and "Relational Database Service" in answer.service
    assert "DynamoDB ✗ does not join tables in SQL" in answer.answer


def test_what_were_asks_what_something_is(engine: Engine) -> None:
    assert engine.lexicon.read("what were the main ci/cd stages again").asks_what


@pytest.mark.parametrize(
    "question",
    [
        "a worker with 1gb ram that stays up all day, whats the service",
        "what aws service for it",
        "one declarative yaml template for our lab env, whats the native tool",
    ],
)
def test_whats_the_service_asks_which_service(engine: Engine, question: str) -> None:
    from bot.core.answering.reader import DECISION_CUES

    reading = engine.lexicon.read(question)
    assert reading.has(DECISION_CUES) and not reading.asks_what


def test_jobs_that_wait_for_each_other_go_to_batch(engine: Engine) -> None:
    # The team's notes: Batch job dependencies run certain jobs only after others complete.
    answer = engine.answer(
        "lambda or fargate for a 3 hour step that can only start after the export job finishes"
    )
    assert answer.service == "AWS Batch"
    assert "does not hold a job until the jobs it depends on finish" in answer.answer


def test_a_duration_of_work_is_a_run_length(engine: Engine) -> None:
    reading = engine.lexicon.read("each ping is 100ms of work to parse and store")
    assert reading.duration_minutes == pytest.approx(100 / 60_000)


def test_an_uncovered_service_the_best_fit_names_is_named_in_passing(engine: Engine) -> None:
    # Athena's use cases name VPC flow logs: the question is Athena's, not one about VPC.
    answer = engine.answer("we need to run sql over vpc flow logs sitting in s3, no infra pls")
    assert answer.service == "Amazon Athena"
    shield = engine.answer("is shield advanced worth 3k a month for a small saas getting ddosed")
    assert shield.kind == "none" and "Shield" in shield.answer


def test_a_condition_before_the_question_keeps_it_yes_or_no(engine: Engine) -> None:
    assert engine.lexicon.read("when a file lands in s3, does my lambda retry").yes_no


def test_the_two_things_asked_between_weigh_more(engine: Engine) -> None:
    reading = engine.lexicon.read("is it billed per user or per workspace")
    weights = engine.retriever.term_weights(reading)
    assert (
        weights[engine.lexicon.term("user")] > 1 and weights[engine.lexicon.term("workspace")] > 1
    )
    assert not engine.lexicon.read("lambda or fargate for a 2 hour job").alternatives


def test_a_word_asked_with_equals_is_defined_whatever_needs_it_states(engine: Engine) -> None:
    answer = engine.answer("faas = ? saw it in the serverless section")
    assert "Function as a Service" in answer.answer


@pytest.mark.parametrize(
    ("question", "asks_what", "yes_no"),
    [
        ("what file formats can athena read in s3", True, False),
        ("what should we use for a 2 hour job", False, False),
        ("lightsail autoscales when traffic spikes right", False, True),
    ],
)
def test_chat_forms_of_what_and_yes_or_no(
    engine: Engine, question: str, asks_what: bool, yes_no: bool
) -> None:
    reading = engine.lexicon.read(question)
    assert (reading.asks_what, reading.yes_no) == (asks_what, yes_no)


def test_running_queries_all_day_is_no_run_length(engine: Engine) -> None:
    question = (
        "sales data from several app databases in one central place where analysts "
        "run big aggregate sql all day long, what do we load it into"
    )
    reading = engine.lexicon.read(question)
    needs = engine.judge.question_needs(reading)
    assert not any(need.parameter for need, _ in needs)
    assert engine.answer(question).service == "Amazon Redshift"


def test_emr_runs_the_spark_jobs_it_is_for(engine: Engine) -> None:
    found = engine.answer(
        "we have existing spark and hive jobs and want a managed hadoop cluster to run them "
        "for a few hours each night, whats the aws service"
    )
    assert found.service.startswith("Amazon EMR"), found.answer
    assert "EMR ✗" not in found.answer


def test_minutes_of_downtime_are_no_run_length(engine: Engine) -> None:
    reading = engine.lexicon.read("we can only afford a few min downtime while we migrate")
    assert reading.duration_minutes is None
    assert engine.lexicon.read("a replica 5 min behind").duration_minutes is None
    rolling = engine.lexicon.read("rolling 5 min averages over sensor readings, what runs that")
    assert rolling.duration_minutes is None


def test_a_service_the_notes_only_name_is_passed_over_without_a_made_up_purpose(
    engine: Engine,
) -> None:
    found = engine.answer("users far away upload big files to our s3 bucket slowly, cloudfront?")
    assert "as your notes mention it" not in found.answer
    assert "Transfer Accel" not in engine.knowledge.services["s3"].summary
