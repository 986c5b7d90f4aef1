"""How notes written in the wild are read, and how chat questions are read against them:
each test is one kind of layout or phrasing found on notes and questions written by
people who never saw the engine."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.core.answering.engine import Engine
from bot.core.answering.retrieval import Doc, Retriever
from bot.core.knowledge.loader import Knowledge, load_knowledge
from bot.core.knowledge.names import ServiceNames
from bot.core.knowledge.note_blocks import read_blocks
from bot.core.knowledge.notes import NoteStatement
from bot.core.knowledge.notes_report import describe
from tests.conftest import DATA

NOTE = """\
GOVERNANCE NOTES
================

abbrevs: CT = Control Tower, TA = Trusted Advisor

1. AWS CONFIG
-------------
- records the configuration of ur resources + every change
- IMPORTANT: Config does NOT prevent anything, it detects + can fix afterwards.
  prevention = SCP
- pricing (per region):
    - $0.003 per configuration item recorded
    - $0.001 per rule evaluation

2. AWS DATASYNC
---------------
- two task modes:
  - **Basic** (default): prepares, transfers and then verifies after copying, one step at a
    time, with bandwidth throttling. Quota: 50 million files per task execution.
  - **Enhanced**: lists, prepares, transfers and verifies in parallel, with virtually
    unlimited objects, more metrics and JSON logs, for S3<->S3 and other clouds->S3
- retention of task reports: 30 days by default, up to 365 days
- reports are JSON files, max 5 MB each

## AWS Application Migration Service (MGN) — rehost servers
- replicates whole servers to EC2 with a Replication Agent

| Service          | How                        | Agent?                 |
|------------------|----------------------------|------------------------|
| DataSync         | online, over network       | VM agent for on-prem   |
| MGN              | block-level replication    | Replication Agent      |

## 3. Amazon Managed Service for Apache Flink (MSF)
- runs Apache Flink apps on streams, billed per KPU-hour

## Which one when
- NAS share -> S3, one-off or scheduled sync -> DataSync
"""


def _with_note(factory: pytest.TempPathFactory, file: str, text: str) -> Knowledge:
    """The shipped knowledge with one more note."""
    import shutil

    from tests.conftest import KNOWLEDGE

    target = factory.mktemp("k") / "knowledge"
    shutil.copytree(KNOWLEDGE, target)
    (target / "notes" / file).write_text(text, "utf-8")
    return load_knowledge(target)


def _with_test_note(factory: pytest.TempPathFactory, topic: str, file: str) -> Engine:
    """An engine on the shipped knowledge with one of tests/data/new_notes' notes."""
    note = (DATA / "new_notes" / topic / file).read_text(encoding="utf-8")
    return Engine(_with_note(factory, file, note))


@pytest.fixture(scope="module")
def with_note(tmp_path_factory: pytest.TempPathFactory) -> Knowledge:
    return _with_note(tmp_path_factory, "ops.txt", NOTE)


@pytest.fixture(scope="module")
def note_engine(with_note: Knowledge) -> Engine:
    return Engine(with_note)


def _statements(knowledge: Knowledge, line: int) -> list[str]:
    return [s.text for s in knowledge.notes if s.file == "ops.txt" and s.line == line]


def _the_statement(knowledge: Knowledge, saying: str) -> NoteStatement:
    """The one note statement whose text holds `saying`."""
    (statement,) = [s for s in knowledge.notes if saying in s.text]
    return statement


def test_a_numbered_title_underlined_with_dashes_is_a_heading() -> None:
    kinds = {b.text: b.kind for b in read_blocks(NOTE)}
    assert kinds["AWS CONFIG"] == "heading"
    assert kinds["AWS DATASYNC"] == "heading"


def test_a_numbered_heading_names_its_service_without_the_number(with_note: Knowledge) -> None:
    names = {s.name for s in with_note.services.values()}
    assert "Amazon Managed Service for Apache Flink" in names
    assert not any(name[:1].isdigit() for name in names)


def test_statements_are_filed_under_the_section_they_sit_in(with_note: Knowledge) -> None:
    by_line = {s.line: s.services[0] for s in with_note.notes if s.file == "ops.txt"}
    assert by_line[8] == "config-service"
    assert by_line[22] == "datasync"


def test_an_indented_line_goes_on_with_its_bullet_and_does_not_swallow_the_next(
    with_note: Knowledge,
) -> None:
    assert any("prevention = SCP" in t for t in _statements(with_note, 9))
    pricing = " ".join(_statements(with_note, 11))
    assert "$0.003 per configuration item" in pricing and "$0.001 per rule" in pricing


def test_a_bulleted_lead_in_keeps_only_its_own_items(with_note: Knowledge) -> None:
    retention = [s for s in with_note.notes if s.file == "ops.txt" and s.line == 22]
    assert retention and "two task modes" not in retention[0].context


def test_later_sentences_of_a_bullet_keep_its_lead(with_note: Knowledge) -> None:
    quota = next(s for s in with_note.notes if s.text.startswith("Quota: 50 million"))
    assert "Basic" in quota.context


def test_arrows_inside_words_are_not_choices_and_the_last_arrow_chooses(
    with_note: Knowledge,
) -> None:
    choices = {c.need: c.services for c in with_note.note_index.choices}
    assert not any("Enhanced" in need for need in choices)
    assert choices["NAS share -> S3, one-off or scheduled sync"] == ("datasync",)


def test_a_markdown_table_with_wide_gaps_is_read_by_its_pipes(with_note: Knowledge) -> None:
    at = [
        n for n, line in enumerate(NOTE.splitlines(), 1) if line.startswith(("| DataSync", "| MGN"))
    ]
    rows = [s.text for s in with_note.notes if s.file == "ops.txt" and s.line in at]
    assert rows
    assert "DataSync — how: online, over network." in rows
    assert "MGN — agent?: Replication Agent." in rows
    assert not any("|" in text for text in rows)


def test_a_table_row_is_sourced_at_its_own_line(with_note: Knowledge) -> None:
    """The separator under the header is a line too: "ops.txt:N" is where the row is."""
    lines = NOTE.splitlines()
    for row, label in (("DataSync", "how"), ("MGN", "agent?")):
        number = next(n for n, line in enumerate(lines, 1) if line.startswith(f"| {row} "))
        texts = [s.text for s in with_note.notes if s.file == "ops.txt" and s.line == number]
        assert any(text.startswith(f"{row} — {label}:") for text in texts), (row, texts)


def test_cells_of_one_row_are_quoted_as_one_sentence() -> None:
    cells = [
        Doc(f"MGN — {c}.", ("mgn",), "ops.txt:31", True) for c in ("how: blocks", "agent?: yes")
    ]
    assert Retriever.quoted(cells) == ["MGN — how: blocks; agent?: yes."]


def test_short_names_a_note_defines_become_aliases(with_note: Knowledge) -> None:
    assert "CT" in with_note.services["control-tower"].aliases  # "CT = Control Tower"
    assert "MGN" in with_note.services["mgn"].aliases  # "… Migration Service (MGN) — …"


def test_a_table_with_services_down_the_side_compares_them(note_engine: Engine) -> None:
    answer = note_engine.answer("datasync vs mgn whats the difference").answer
    assert "online, over network" in answer and "block-level replication" in answer


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("how long are datasync task reports kept by default", "30 days"),
        ("how big can a datasync report get", "5 MB"),
        ("how is aws config billed", "$0.003"),
    ],
)
def test_a_question_asking_a_kind_of_quantity_gets_a_statement_giving_one(
    note_engine: Engine, question: str, expected: str
) -> None:
    assert expected in note_engine.answer(question).answer


def test_the_sides_of_vs_that_are_not_two_services_are_each_answered(
    note_engine: Engine,
) -> None:
    answer = note_engine.answer("datasync basic vs enhanced mode?").answer
    assert "50 million" in answer or "one step at a time" in answer  # Basic mode
    assert "in parallel" in answer  # Enhanced mode


@pytest.mark.parametrize(
    ("question", "kind", "service"),
    [
        # named in passing, not asked about: the question states a use case plainly
        (
            "run sql queries on vpc flow logs stored as files in s3 without loading them "
            "into a database first, what should we use",
            "rule",
            "Amazon Athena",
        ),
        # an everyday word in a question plainly about a use case
        (
            "we used to be on heroku, is there a paas on aws where i just deploy my ruby "
            "app and it handles capacity, load balancing, health monitoring",
            "rule",
            "AWS Elastic Beanstalk",
        ),
        ("whats a good ramen spot near our office", "none", None),
        ("how do i set up an sqs fifo queue", "none", None),
    ],
)
def test_a_stray_name_or_word_does_not_decide_the_scope(
    engine: Engine, question: str, kind: str, service: str | None
) -> None:
    answer = engine.answer(question)
    assert answer.kind == kind, answer.answer
    assert service is None or answer.service == service, answer.answer


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("what languages does elastic beanstock support out of the box", "Java"),
        ("alb = ? saw it in the ecs notes", "Application Load Balancer"),
        ("how do i run a lambda every night at 2am", "EventBridge"),
    ],
)
def test_what_a_question_asks_of_a_named_service(
    engine: Engine, question: str, expected: str
) -> None:
    assert expected in engine.answer(question).answer


def test_the_aws_prefix_is_no_evidence_for_a_typo(engine: Engine) -> None:
    reading = engine.lexicon.read("whats the aws bi tool called again")
    assert not reading.services


def test_words_a_question_rules_out_do_not_count_toward_fit(engine: Engine) -> None:
    reading = engine.lexicon.read("logs to s3 every few mins, no consumer code to write")
    assert "cod" not in reading.terms and "consum" not in reading.terms
    assert "log" in reading.terms
    kept = engine.lexicon.read("terraform keeps yelling that the policy is too long")
    assert "retention" not in kept.terms


def test_a_skill_the_team_lacks_is_no_word_of_what_it_wants(engine: Engine) -> None:
    reading = engine.lexicon.read("clickable dashboards for managers who won't write sql")
    assert engine.lexicon.term("sql") not in reading.terms
    assert engine.lexicon.term("dashboards") in reading.terms
    wanted = engine.lexicon.read("we dont want keys on the laptop")
    assert engine.lexicon.term("keys") in wanted.terms  # a note may offer it: "no keys needed"


def test_a_synonym_said_in_several_words_reads_as_one(engine: Engine) -> None:
    reading = engine.lexicon.read("how many shells can i run at the same time")
    assert engine.lexicon.term("concurrent") in reading.terms
    once = engine.lexicon.terms("max 10 shells at once")
    assert sorted(engine.lexicon.terms("max 10 concurrent shells")) == sorted(once)
    assert "month" in engine.lexicon.terms("about $52/mo")
    no_limit = engine.lexicon.read("is there a time limit on a batch job")
    assert engine.lexicon.term("timeout") in no_limit.terms


def test_a_status_code_or_port_is_a_word_of_the_question(engine: Engine) -> None:
    reading = engine.lexicon.read("publishing to codeartifact again gave a 409, why")
    assert "409" in reading.terms
    sized = engine.lexicon.read("a 2048 mb function that runs for 900 seconds")
    assert "2048" not in sized.terms and "900" not in sized.terms


def test_an_everyday_word_is_told_from_a_word_sharing_its_stem(engine: Engine) -> None:
    assert engine.lexicon.is_off_topic("cooked") and engine.lexicon.is_off_topic("jokes")
    assert not engine.lexicon.is_off_topic("date")  # "dating" is listed
    assert not engine.lexicon.is_off_topic("links")  # "linked" is listed


def test_a_typo_guess_neither_starts_on_a_small_word_nor_adds_a_prefix(engine: Engine) -> None:
    reading = engine.lexicon.read("all our buckets defined as yaml templates in git")
    assert "sam" not in reading.services  # not "aws sam templates"
    assert engine.lexicon.read("aws gleu etl").services == ["glue"]
    assert engine.lexicon.read("api gatway throttling").services == ["api-gateway"]


def test_chat_filler_is_no_word_of_the_question(engine: Engine) -> None:
    reading = engine.lexicon.read("tbh idk which db lol, ppl keep asking rn")
    assert not {"tbh", "idk", "lol", "rn", "ppl"} & set(reading.terms)
    assert engine.lexicon.term("people") in reading.terms


def test_an_unknown_path_is_a_knowledge_error(tmp_path: Path) -> None:
    from bot.core.knowledge.loader import KnowledgeError

    with pytest.raises(KnowledgeError):
        load_knowledge(tmp_path / "missing")


def test_a_service_closed_to_new_customers_is_not_recommended_for_new_work(
    engine: Engine,
) -> None:
    answer = engine.answer(
        "security wants one hardened base image for all our servers, rebuilt and "
        "patched automatically every week. what service"
    )
    assert answer.service == "EC2 Image Builder", answer.answer
    asked = engine.answer("is app runner a good fit for a small containerized web app")
    assert "App Runner" in asked.answer  # asked about by name, it is still answered


NOTE_2 = """\
DATABASES AND TOOLS
===================

AURORA (the cloud native one)
-----------------------------
- cluster = 1 writer + up to 15 Aurora Replicas

AURORA SERVERLESS V2
- capacity in ACUs, max 256 ACU on recent versions

Amazon Keyspaces is the managed one - NOT self-hosted Cassandra!!
- serverless, you keep your CQL drivers
- capacity: on-demand -> pay per request; provisioned -> set RCUs/WCUs (+ auto scaling)

## AWS CloudShell
- CloudShell is a browser shell with 1 GB of persistent storage per region

## AWS CodePipeline
- **manual approval** action
  - default timeout 7 days
  - can notify approvers through an SNS topic

## AWS Trusted Advisor
- what you get depends on the support plan:
    - Basic (free) and Developer plans: only the core checks, which are the service
      quota checks and a few of the security ones
    - the full set of checks, the Trusted Advisor API and the EventBridge integration
      come with Business Support+, Enterprise and Unified Operations
    - the Developer and Business plans are being discontinued on 1 Jan 2027, and their
      accounts move to Business Support+
"""


@pytest.fixture(scope="module")
def with_note_2(tmp_path_factory: pytest.TempPathFactory) -> Knowledge:
    return _with_note(tmp_path_factory, "db.txt", NOTE_2)


def _filed(knowledge: Knowledge, line: int) -> tuple[str, ...]:
    return next(s.services for s in knowledge.notes if s.file == "db.txt" and s.line == line)


def test_words_run_on_from_a_known_name_in_a_heading_qualify_it(with_note_2: Knowledge) -> None:
    """'AURORA SERVERLESS V2' is Aurora's section, not a new service 'SERVERLESS V2'."""
    assert not any("serverless v2" in s.name.lower() for s in with_note_2.services.values())
    assert _filed(with_note_2, 9)[0] == _filed(with_note_2, 6)[0]


def test_items_under_a_line_that_opens_with_a_service_are_about_it(
    with_note_2: Knowledge,
) -> None:
    assert _filed(with_note_2, 12)[0] == "keyspaces"
    assert _filed(with_note_2, 13)[0] == "keyspaces"  # "auto scaling" there is no choice


def test_a_heading_may_name_a_product_with_aws_in_front(with_note_2: Knowledge) -> None:
    assert "CloudShell" in with_note_2.services[_filed(with_note_2, 16)[0]].name


def test_a_short_bullet_over_deeper_ones_names_their_topic(with_note_2: Knowledge) -> None:
    approval = [s.text for s in with_note_2.notes if s.file == "db.txt" and s.line == 19]
    assert any("manual approval" in t and "7 days" in t for t in approval)


@pytest.mark.parametrize(
    ("question", "term"),
    [("users sent to the eu one", "send"), ("we deploy to eu-west-1 and us-east-1", "region")],
)
def test_irregular_verbs_and_region_codes_meet_the_notes_words(
    engine: Engine, question: str, term: str
) -> None:
    assert term in engine.lexicon.read(question).terms


def test_english_words_are_no_typos_but_swapped_letters_are(engine: Engine) -> None:
    assert engine.lexicon.read("need proper serach for the catalog").corrected == {
        "serach": "search"
    }


def test_what_a_question_asks_for_and_what_do_we_use(engine: Engine) -> None:
    assert engine.lexicon.read("what protocols does it speak").asked_term == "protocol"
    assert not engine.lexicon.read("cassandra on ec2, what do we use").asks_what


def test_a_yes_no_question_after_a_condition_asks_about_the_named_service(
    engine: Engine,
) -> None:
    question = "if my lambda errors out does aws retry it on its own"
    assert engine.lexicon.read(question).yes_no
    assert engine.answer(question).service == engine.knowledge.services["lambda"].name


def test_an_item_of_a_short_list_is_quoted_with_the_rest_of_it(with_note_2: Knowledge) -> None:
    """Which plan gives every check is said across two items of one list."""
    answer = Engine(with_note_2).answer(
        "do we get all the trusted advisor checks on the free basic plan or do we pay"
    )
    assert "core checks" in answer.answer and "Business Support+" in answer.answer


def test_a_named_service_asked_how_long_answers_with_a_duration(note_engine: Engine) -> None:
    """No statement shares a word with the question; the one giving a duration answers."""
    answer = note_engine.answer("how long does datasync hang on to stuff")
    assert "30 days" in answer.answer, answer.answer


def test_asked_whether_a_service_is_retired_the_date_answers(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    note = (
        "## AWS Proton\n"
        "- platform teams publish templates, devs self-serve infra\n"
        "- support ends Oct 7, 2026; no new customers since Oct 7, 2025\n"
        "- the infra it deployed stays intact\n"
    )
    engine = Engine(_with_note(tmp_path_factory, "retired.md", note))
    for question in ("is proton still a thing?", "when is proton being shut down"):
        assert "2026" in engine.answer(question).answer, question


def test_a_name_opening_with_a_family_name_is_also_called_without_it(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    """ "CloudWatch Logs Insights" is "logs insights" in chat, not only "insights"."""
    note = (
        "## CloudWatch Logs Insights (LI)\n"
        "- interactive queries over CloudWatch Logs log groups, no setup\n"
        "- a query times out after 60 minutes\n"
    )
    knowledge = _with_note(tmp_path_factory, "insights.md", note)
    names = ServiceNames(knowledge.services.values(), catalogue=knowledge.catalogue)
    found = names.find("my logs insights query got killed")
    assert found and "insight" in found[0].service


def test_a_catalogued_name_in_a_family_is_called_by_its_own_part(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    """ "AWS Systems Manager Incident Manager", catalogued whole, is "incident manager"."""
    note = (
        "## AWS Systems Manager Incident Manager (IM)\n"
        "- response plans page the on-call contacts and open a chat channel\n"
        "- impact 1 = critical, 5 = no impact\n"
    )
    engine = Engine(_with_note(tmp_path_factory, "incidents.md", note))
    answer = engine.answer("incident manager impact levels, is 1 the worst?")
    assert "critical" in answer.answer


def test_a_soft_need_a_note_says_in_its_words_favours_its_service(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    note = (
        "## AWS Direct Connect (DX)\n"
        "- a private, dedicated link from your data center to AWS\n"
        "- you get consistent, low latency and cheaper transfer at volume\n"
    )
    engine = Engine(_with_note(tmp_path_factory, "dx.md", note))
    dx = next(
        s for s in engine.knowledge.services.values() if s.short == "DX" or "Direct" in s.name
    )
    latency = engine.judge.needs["low-latency"]
    assert engine.judge.judge(dx, [(latency, None)]).score > 0
    assert engine.judge.judge(dx, [(engine.judge.needs["schedule"], None)]).score == 0


def test_a_bullet_that_sums_up_is_quoted_with_its_first_sub_points(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    """The prices sit in the sub-points of the line that says how pricing works."""
    note = (
        "## Amazon Managed Grafana (AMG)\n"
        "- managed dashboards over many data sources\n"
        "- pricing = per ACTIVE user, per workspace, per month\n"
        "  - Editor = $9 / active user / workspace / month\n"
        "  - Viewer = $5 / active user / workspace / month\n"
        "- default quota: 5 workspaces per region\n"
    )
    knowledge = _with_note(tmp_path_factory, "grafana.md", note)
    parents = {s.line: s.parent for s in knowledge.notes if s.file == "grafana.md"}
    assert parents[4] == parents[5] == 3 and parents[3] == 0 and parents[6] == 0
    answer = Engine(knowledge).answer("managed grafana pricing?? per user or per workspace")
    assert "$9" in answer.answer and "$5" in answer.answer, answer.answer


def test_a_plain_table_row_that_fills_its_column_is_cut_where_the_dashes_start(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    """ "Aurora Serverless v2" fills its column and leaves one space before the next;
    the dashes under the header say where each column starts. A comparison of one of
    two rows of the same service picks the row the question names."""
    note = (
        "DATABASE TABLE\n"
        "--------------\n"
        "Service              Scaling unit           Headline limit\n"
        "-------------------  ---------------------  --------------\n"
        "Aurora provisioned   instance size          128 TiB volume\n"
        "Aurora Serverless v2 ACU (~2 GiB each)      0-256 ACU\n"
        "Neptune              instance size          64 TiB volume\n"
    )
    knowledge = _with_note(tmp_path_factory, "db-table.txt", note)
    (table,) = [t for t in knowledge.note_index.tables if t.file == "db-table.txt"]
    assert "Aurora Serverless v2" in table.labels
    answer = Engine(knowledge).answer("aurora serverless v2 vs neptune")
    assert "RDS ACU (~2 GiB each)" in answer.answer and "RDS instance size" not in answer.answer


def test_two_sides_that_are_no_services_are_each_answered_by_their_own_row(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    """ "v1 vs v2 pipelines, which is cheaper": each side is the words next to "vs", and
    the row that answers one side is not taken for the other (the devtools note's table
    answered both once, with two scores, and the question went unanswered)."""
    engine = _with_test_note(tmp_path_factory, "devtools", "devtools.md")
    answer = engine.answer("v1 vs v2 pipelines, which is cheaper and what do i miss with v1")
    assert answer.kind != "none"
    assert "v1" in answer.answer.lower() and "v2" in answer.answer.lower()


def test_a_bold_lead_is_about_the_service_it_opens_with_not_one_it_mentions(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    """ "**rolling with additional batch** = …" under Elastic Beanstalk is a deployment
    policy of Beanstalk: its lead ends on the word "batch", which names AWS Batch, but a
    lead is about a service only when it opens with its name. "**Copilot** = open-source
    CLI…" says what Copilot is, so it is Copilot's summary rather than a later line."""
    note = (
        "## AWS Elastic Beanstalk\n\n"
        "- **rolling with additional batch** = like rolling, but first launches a new batch\n"
        "- **Lambda** layers are not a thing here, just an aside\n\n"
        "## AWS Copilot CLI\n\n"
        "- **Copilot** = open-source CLI that builds and operates containerized apps\n"
        "- Copilot itself is free, you pay for what it creates\n"
    )
    knowledge = _with_note(tmp_path_factory, "deploys.md", note)
    about = {s.line: s.services for s in knowledge.notes if s.file == "deploys.md"}
    assert about[3][0] == "elastic-beanstalk", about
    assert about[4][0] == "lambda", about
    copilot = next(s for s in knowledge.services.values() if s.name == "AWS Copilot CLI")
    assert copilot.summary.startswith("Copilot = open-source CLI"), copilot.summary


def test_a_sub_point_is_quoted_with_the_bullet_it_sits_under(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    """ "fastest, downtime during deploy" answers "the fastest deploy, downtime is fine",
    but only the bullet above it says what is fastest: "all at once"."""
    note = (
        "## AWS Elastic Beanstalk\n\n"
        "### Deployment policies\n\n"
        "- **all at once** = deploy new version to all instances at the same time\n"
        "  - fastest, **downtime** during deploy, no extra cost. fine for dev\n"
        "- **immutable** = launches a full set of new instances in a temporary ASG\n"
        "  - zero downtime, full capacity, **highest cost**, longest deploy\n"
    )
    engine = Engine(_with_note(tmp_path_factory, "eb.md", note))
    answer = engine.answer("dev env on elastic beanstalk, want the fastest deploy, downtime ok")
    assert "all at once" in answer.answer, answer.answer
    assert answer.answer.index("all at once") < answer.answer.index("fastest"), answer.answer


def test_a_comparison_asked_on_one_point_opens_with_the_notes_row_on_it(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    """ "lightsail vs app runner pricing": the row of the note's table on pricing is the
    answer, before what each service is; asked on no point, what each is comes first."""
    note = (
        "## Comparison\n\n"
        "| | App Runner | Lightsail |\n"
        "|---|---|---|\n"
        "| what it is | managed web app service | simple VPS + extras |\n"
        "| input | source code or image | VM or container image |\n"
        "| scaling | auto (concurrent requests) | manual |\n"
        "| pricing | vCPU + memory used | fixed monthly bundle |\n"
    )
    engine = Engine(_with_note(tmp_path_factory, "hosting.md", note))
    asked = engine.answer("lightsail vs app runner pricing, how do they differ").answer
    assert asked.split(": ", 1)[1].startswith("Pricing: Lightsail fixed monthly bundle"), asked
    plain = engine.answer("lightsail vs app runner").answer
    assert plain.split(": ", 1)[1].startswith("Lightsail: "), plain


def test_a_later_sentence_of_an_item_is_quoted_with_the_item_it_is_about(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    """ "Quota: 50 million … supports bandwidth throttling" is said of the Basic task
    mode, in the second sentence of its item: quoted alone, it must still say "Basic"."""
    note = (
        "## AWS DataSync\n\n"
        "- **two task modes:**\n"
        "  - **Basic** (default): prepares -> transfers -> verifies one after another, "
        "for every location type there is. Quota: 50 million files+objects+dirs per task "
        "execution. supports bandwidth throttling.\n"
        "  - **Enhanced**: lists, prepares, transfers and verifies in parallel, virtually "
        "unlimited objects, more metrics, JSON logs, for S3 to S3 and other clouds to S3 "
        "without an agent. no bandwidth limit setting\n"
    )
    knowledge = _with_note(tmp_path_factory, "datasync.md", note)
    retriever = Engine(knowledge).retriever
    throttling = next(d for d in retriever.docs if d.text.startswith("Quota: 50 million"))
    (alone,) = Retriever.quoted([throttling])
    assert "Basic: Quota: 50 million" in alone, alone
    first = next(d for d in retriever.docs if d.text.startswith("Basic (default)"))
    assert first.where == throttling.where
    quoted = Retriever.quoted([first, throttling])
    assert quoted[1].startswith("Quota: 50 million"), quoted  # "Basic" said just before


def test_a_few_words_and_a_question_mark_ask_what_the_notes_say(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    """ "ftps passive port range?" has no question word, and what follows ("partner
    firewall guy is asking") is context: the line giving the range answers it, not the
    service the firewall words fit (security groups). A terse question the notes know
    nothing of, or whose telling word no statement says, stays none."""
    engine = _with_test_note(tmp_path_factory, "partnerdata", "partnerdata.txt")
    answer = engine.answer("ftps passive port range? partner firewall guy is asking")
    assert "8192-8200" in answer.answer, answer.answer
    assert engine.answer("sourdough starter feeding ratio? asking for a friend").kind == "none"


def test_a_terse_question_is_not_answered_by_a_statement_on_its_small_words(
    engine: Engine,
) -> None:
    """ "schemas max limits?": "A Fargate task can have up to 16 vCPUs…" shares "max" and
    "limits" but says nothing of schemas, the word that tells what is asked."""
    assert engine.answer("schemas max limits?").kind == "none"


def test_a_part_the_notes_define_in_a_service_section_is_of_that_service_too(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    """ "**worker tier** = …" under Elastic Beanstalk defines a part of it: what its
    sub-points say ("a daemon on each instance (sqsd)…") answers a question on
    Beanstalk's worker instances."""
    engine = _with_test_note(tmp_path_factory, "webhosting", "webhosting.md")
    answer = engine.answer("whats the daemon called that runs on beanstalk worker instances")
    assert "sqsd" in answer.answer, answer.answer


def test_each_side_of_vs_is_answered_by_the_line_defining_it(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    """ "immutable vs rolling in eb": "rolling = deploy in batches…" says what rolling is;
    "rolling with additional batch = like rolling…" only says the word twice, and "eb",
    Beanstalk's alias, says which service, not which side."""
    engine = _with_test_note(tmp_path_factory, "webhosting", "webhosting.md")
    answer = engine.answer("immutable vs rolling in eb whats the diff").answer
    assert "immutable = launches a full set" in answer, answer
    assert "rolling = deploy in batches" in answer, answer


def test_a_side_of_vs_defined_by_a_label_is_answered_by_that_line_once(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    """ "Deep Archive: expedited not offered; standard within 12 hours…" is the line on
    Deep Archive's retrievals; and the table row both sides hit is quoted once."""
    engine = _with_test_note(tmp_path_factory, "storage", "storage.md")
    answer = engine.answer(
        "glacier flexible retrieval vs deep archive, is deep archive just the cheaper slower "
        "one or is there more to it"
    ).answer
    assert "expedited not offered" in answer, answer
    assert answer.count("first byte: 12 to 48 hours") == 1, answer


def test_need_lines_aligned_on_their_arrows_are_choices_not_a_table() -> None:
    """ "need free TLS cert      -> ACM" lines padded so the arrows line up are read one
    by one as "need -> service" lines: taken for a table, the first became a header and
    every other line was quoted as "-> ACM (public, DNS validation) — moving off…"."""
    note = (
        "QUICK PICKS\n"
        "===========\n"
        "need free TLS cert for ALB / CloudFront      -> ACM (public, DNS validation)\n"
        "dedicated single-tenant HSM, you hold keys   -> CloudHSM\n"
        "moving off on-prem payShield                 -> Payment Cryptography\n"
    )
    blocks = read_blocks(note)
    assert not [b for b in blocks if b.kind == "table"]
    choices = [b.choice for b in blocks if b.choice]
    assert [target for _, target in choices] == [
        "ACM (public, DNS validation)",
        "CloudHSM",
        "Payment Cryptography",
    ]


def test_a_line_out_dented_from_indented_bullets_starts_a_part_of_its_own() -> None:
    """ "quotas" back at the margin after "  - imported certs: …" is the title of the
    bullets that follow, not the end of the last one ("… before expiry quotas")."""
    note = (
        "validity\n"
        "  - imported certs: ACM will NOT renew, you must reimport before expiry\n"
        "quotas\n"
        "  - 2,500 ACM certs per region\n"
        "key algos: RSA 2048, ECDSA P-256\n"
    )
    texts = [b.text for b in read_blocks(note)]
    assert texts == [
        "validity: imported certs: ACM will NOT renew, you must reimport before expiry.",
        "quotas: 2,500 ACM certs per region.",
        "key algos: RSA 2048, ECDSA P-256",
    ]


_MESH_NOTE = """# East-west traffic

Abbrevs used below: SN = service network, TG = target group, HC = health check.

## Amazon VPC Lattice

- **VPC Lattice** = managed application networking layer, no sidecar proxies
- Lattice TG types: INSTANCE, IP, LAMBDA, ALB

### Health checks (TG defaults)

- HC interval 30 seconds (range 5-300 s)
- HC timeout 5 seconds

### Quotas

- services per SN: 500
- Lattice is east-west only, clients must be in an associated VPC
"""


def test_a_short_form_a_note_defines_is_read_in_questions(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    """ "HC = health check" in the note's abbreviations: "hc" in a question is a health
    check, and "health check" in a question meets the note's "HC"."""
    knowledge = _with_note(tmp_path_factory, "mesh.md", _MESH_NOTE)
    assert knowledge.note_index.abbreviations["hc"] == "health check"
    assert "hc = health check" in describe(knowledge, "mesh.md")
    engine = Engine(knowledge)
    answer = engine.answer("whats the default hc interval on a vpc lattice target grp")
    assert "30 seconds" in answer.answer, answer.answer
    answer = engine.answer("vpc lattice: how many services can one service network hold?")
    assert "500" in answer.answer, answer.answer


def test_a_service_is_called_by_the_word_its_note_uses_alone(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    """The note writes "Lattice" for VPC Lattice, capitalised, more than once: a question
    saying "lattice" names VPC Lattice."""
    knowledge = _with_note(tmp_path_factory, "mesh.md", _MESH_NOTE)
    assert "Lattice" in knowledge.services["vpc-lattice"].aliases
    reading = Engine(knowledge).lexicon.read("is lattice east-west only?")
    assert reading.services == ["vpc-lattice"]


def test_how_many_is_answered_by_a_statement_giving_a_count(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    """ "how many" asks for a count: of the statements sharing its words, one giving a
    number ("listeners per service: 2") answers before one that only names the thing."""
    note = _MESH_NOTE + (
        "- **listener** = protocol + port on a Lattice service (HTTP, HTTPS, TLS passthrough)\n"
        "- listeners per service: 2\n"
    )
    engine = Engine(_with_note(tmp_path_factory, "mesh.md", note))
    cues = engine.lexicon.quantities
    assert cues.asked_for(" how many listeners can it have ") == "count"
    assert "count" in cues.kinds_in("services per SN: 500")
    assert "count" not in cues.kinds_in("runs on EC2 or ECS")
    answer = engine.answer("how many listeners can one vpc lattice service have")
    assert "listeners per service: 2" in answer.answer, answer.answer


def test_a_part_headed_inside_a_service_section_is_that_services_too(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    """ "### Health checks" under "## Amazon VPC Lattice" heads a part of VPC Lattice: its
    lines are about health checks, and about VPC Lattice as well."""
    note = _MESH_NOTE.replace("- HC timeout", "- Lambda TGs have no health checks\n- HC timeout")
    knowledge = _with_note(tmp_path_factory, "mesh.md", note)
    (interval,) = [s for s in knowledge.notes if s.text.startswith("HC interval")]
    assert interval.services[:2] == ("health-check", "vpc-lattice"), interval.services


def test_a_product_named_in_full_after_a_service_name_is_a_service_of_its_own(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    """ "## Amazon ECS Service Connect" names a product, with "Amazon" in front, though
    it begins with ECS's name: questions about "service connect" are answered from its
    section, under its name."""
    note = (
        "# Service to service\n\n"
        "## Amazon ECS Service Connect\n\n"
        "- ECS injects a managed proxy into each task\n"
        "- add 256 CPU units + 64 MiB memory to the task size for the proxy\n"
        "- TLS between services w/ certs from AWS Private CA, ECS rotates them\n"
    )
    knowledge = _with_note(tmp_path_factory, "sc.md", note)
    service = knowledge.services["amazon-ecs-service-connect"]
    assert "service connect" in [a.lower() for a in service.aliases]
    answer = Engine(knowledge).answer("how much cpu and memory does the service connect proxy need")
    assert "256 CPU units" in answer.answer and "Service Connect" in answer.answer, answer.answer


def test_a_markdown_quote_is_read_without_its_marks() -> None:
    """ "> **EOS = 30 Sep 2026.**" is a quoted line: its words are the statement, the ">"
    is decoration and is never shown in an answer."""
    blocks = read_blocks("## App Mesh\n\n> **EOS = 30 Sep 2026.** Don't pick it for new work.\n")
    assert [b.text for b in blocks if b.kind != "heading"] == [
        "EOS = 30 Sep 2026. Don't pick it for new work."
    ]


def test_an_aligned_glossary_is_read_line_by_line(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    """ "UW   = UltraWarm" lines padded so their "=" line up are definitions, one per
    line: not a table whose first line is the header, nor one run-on paragraph; and
    "OCU" abbreviates "OpenSearch Compute Unit" though "OpenSearch" is one word in two."""
    note = (
        "SEARCH NOTES\n\n"
        "abbrevs used below:\n"
        "  AOSS = Amazon OpenSearch Serverless\n"
        "  OCU  = OpenSearch Compute Unit (serverless is billed in these)\n"
        "  UW   = UltraWarm\n"
    )
    (glossary,) = [b.text for b in read_blocks(note) if b.kind != "heading"]
    assert glossary == (
        "abbrevs used below: AOSS = Amazon OpenSearch Serverless, OCU = OpenSearch Compute"
        " Unit (serverless is billed in these), UW = UltraWarm."
    )
    knowledge = _with_note(tmp_path_factory, "search.txt", note)
    abbreviations = knowledge.note_index.abbreviations
    assert abbreviations["ocu"] == "opensearch compute unit" and abbreviations["uw"] == "ultrawarm"


def test_a_lead_in_naming_one_service_makes_its_list_about_it(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    """ "Pricing (AOS):" under a "SNAPSHOTS" part: its items are about the service it
    names (AOS = OpenSearch Service), not about the part above."""
    note = (
        "SEARCH NOTES\n\n"
        "abbrevs: AOS = Amazon OpenSearch Service\n\n"
        "SNAPSHOTS\n"
        "- automated snapshots -> hourly, retained 14 days, free\n"
        "- manual snapshots -> your own S3 bucket\n\n"
        "Pricing (AOS):\n"
        "- free tier -> 750 hrs/month of t2.small.search or t3.small.search (single AZ)"
        " + 10 GB EBS, first 12 months\n"
        "- Reserved Instances -> 1 or 3 yr, no upfront / partial / all upfront, big discount\n"
        "- instance hours (per node, per hour) + EBS GB-month + UW/cold managed storage\n"
        "- t2/t3 instances: fine for dev, don't put prod on them (no UW, burst credits)\n"
        "- standby AZ nodes in Multi-AZ w/ Standby are billed too (you pay for all 3 AZs)\n"
    )
    knowledge = _with_note(tmp_path_factory, "search.txt", note)
    free = _the_statement(knowledge, "750 hrs")
    assert free.services[0] == "opensearch", free.services


def test_a_numbered_line_alone_between_blank_lines_titles_a_section(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    """ "2) Amazon Elastic VMware Service (EVS)" between blank lines opens that service's
    section: its plain sub-parts ("numbers") are about it, not about the part above. A
    numbered list with blank lines between its items stays a list."""
    note = (
        "MODERNIZATION NOTES\n\n"
        "*** TL;DR ***\n"
        "- keep the VMs, run VCF yourself -> EVS\n\n\n"
        "1) Amazon Elastic VMware Service (EVS)\n\n"
        "what it is\n"
        "- runs the full VCF stack on EC2 bare metal inside your own VPC\n\n"
        "numbers\n"
        "- min 4 hosts, max 16 hosts per EVS environment\n\n\n"
        "steps\n\n"
        "1. Create the VPC\n\n"
        "2. Deploy the environment\n"
    )
    kinds = {b.text: b.kind for b in read_blocks(note)}
    assert kinds["Amazon Elastic VMware Service (EVS)"] == "heading"
    assert kinds["Create the VPC"] == "item" and kinds["Deploy the environment"] == "item"
    knowledge = _with_note(tmp_path_factory, "vmware.txt", note)
    hosts = _the_statement(knowledge, "min 4 hosts")
    assert hosts.services[0] == "evs", hosts.services


def test_a_count_is_a_number_no_unit_follows(engine: Engine) -> None:
    """ "how many tapes" is answered by "1,500 tapes", not by "100 GiB" beside the same
    words: a number with a unit is that unit's quantity, one glued to a word ("5G",
    "EC2") is part of a name."""
    cues = engine.lexicon.quantities
    assert "count" in cues.kinds_in("up to 1,500 tapes per gateway")
    assert cues.kinds_in("virtual tapes 100 GiB to 15 TiB each") == {"size"}
    assert "count" not in cues.kinds_in("Wavelength zones sit in 5G networks")


def test_a_plain_text_notes_first_line_is_its_title_not_a_service(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    """ "AWS MODERNIZATION STUFF – mainframe / VMware" opens the note: it names what the
    note is about, and is no service of its own, even with "AWS" in front."""
    note = (
        "AWS MODERNIZATION STUFF – mainframe / VMware / wizards\n"
        "study notes for the SAP-C02 group\n\n"
        "1) Amazon Elastic VMware Service (EVS)\n\n"
        "- runs VCF on EC2 bare metal in your own VPC, min 4 hosts\n"
    )
    knowledge = _with_note(tmp_path_factory, "modern.txt", note)
    names = {s.name.lower() for s in knowledge.services.values()}
    assert "aws modernization stuff" not in names
    assert "evs" in knowledge.services


def test_a_plain_word_name_said_in_full_once_names_the_service_alone(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    """ "## Amazon Translate" once in a note, and "-> Translate" in its cheat lines picks
    Amazon Translate, though "translate" alone is an everyday verb elsewhere. "AWS
    account" is how people talk, so "account" never becomes a name this way."""
    note = (
        "# Language AI notes\n\n"
        "## Amazon Translate\n"
        "- 75 languages, real-time TranslateText max 10,000 bytes per request\n\n"
        "## Amazon Textract\n"
        "- sync APIs: single page only, max 10 MB\n\n"
        "## need -> service cheat lines\n"
        "- product catalog in 10 languages -> Translate\n"
        "- health checks for your AWS account live in AWS Health\n"
    )
    knowledge = _with_note(tmp_path_factory, "langai.md", note)
    catalog = _the_statement(knowledge, "product catalog")
    assert catalog.services[0] == "translate", catalog.services
    assert not any("account" in s.services for s in knowledge.notes)


def test_an_everyday_word_name_right_after_a_service_qualifies_it(engine: Engine) -> None:
    """ "glue batch job" asks about Glue's batch jobs, not about AWS Batch;
    "lambda or batch" and "aws batch" still name AWS Batch, as does "NLB" after a name
    (an acronym is no everyday word)."""
    read = engine.lexicon.read
    assert read("how long can a glue batch job run").services == ["glue"]
    assert read("lambda or batch for a 2 hour job?").services == ["lambda", "batch"]
    assert "batch" in read("lambda aws batch").services


def test_a_mixed_case_short_form_a_glossary_gives_names_the_service(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    """ "FSxW = Amazon FSx for Windows File Server": FSx + W(indows) is the note's name for
    it, so "-> FSxW" in the cheat lines picks FSx for Windows."""
    note = (
        "FSx NOTES\n\n"
        "ABBREVS\n"
        "  FSxW = Amazon FSx for Windows File Server\n"
        "  FSxL = Amazon FSx for Lustre\n\n"
        "CHEAT LINES\n"
        "Windows SMB shares + AD + NTFS ACLs + DFS            -> FSxW\n"
        "HPC / ML training, data in S3, 100s of GB/s, Linux   -> FSxL\n"
    )
    knowledge = _with_note(tmp_path_factory, "fsx.txt", note)
    windows = _the_statement(knowledge, "NTFS")
    assert windows.services[0] == "fsx-windows", windows.services
    assert "FSxW" in knowledge.services["fsx-windows"].aliases


def test_a_statement_giving_the_quantity_asked_and_sharing_its_words_comes_first(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    """ "max number of services in one lattice service network": of the named service's
    statements giving a count, the one about services per network answers, not one that
    shares no word with the question ("GA in 2023", "90/10")."""
    note = _MESH_NOTE + (
        "- GA March 2023\n- weighted forwarding across TGs -> blue/green or canary (e.g. 90/10)\n"
    )
    engine = Engine(_with_note(tmp_path_factory, "mesh.md", note))
    answer = engine.answer("max number of services u can put in one lattice service network?")
    assert "services per SN: 500" in answer.answer, answer.answer


def test_a_line_of_tildes_under_a_title_underlines_it_and_opens_no_code_block() -> None:
    """ "1. SAGEMAKER STUDIO" over "~~~~~~~~~~": a title, and the lines after it are
    statements; a fence of tildes after a blank line still holds code."""
    note = (
        "1. SAGEMAKER STUDIO\n"
        "~~~~~~~~~~~~~~~~~~~\n"
        "- space EBS volume: default 5 GB\n\n"
        "~~~\n"
        "aws sagemaker list-domains\n"
        "~~~\n"
    )
    blocks = read_blocks(note)
    kinds = {b.text: b.kind for b in blocks}
    assert kinds["SAGEMAKER STUDIO"] == "heading"
    assert kinds["space EBS volume: default 5 GB"] == "item"
    assert [b.kind for b in blocks][-1] == "dropped"  # the fenced command


def test_a_size_asked_of_named_services_is_their_fact_from_the_line_sharing_its_words(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    """ "biggest pdf i can throw in the s3 bucket behind a knowledge base?" asks a size,
    with no "what": a fact of the services named. "Supported files: … .pdf. Max 50 MB per
    file." is one line read as two statements; the second shares the first's words."""
    note = (
        "# Gen AI notes\n\n"
        "- **KB** = Bedrock Knowledge Base\n\n"
        "## Bedrock Knowledge Bases (KB)\n\n"
        "- managed RAG: point it at an S3 bucket, it chunks, embeds and stores vectors\n"
        "- **Supported files**: .txt, .md, .html, .csv, .pdf. Max **50 MB** per file.\n"
        "- sync is manual or scheduled; charged for the embeddings model\n"
    )
    engine = Engine(_with_note(tmp_path_factory, "genai.md", note))
    answer = engine.answer("biggest pdf i can throw in the s3 bucket behind a knowledge base?")
    assert answer.kind == "fact" and "50 MB" in answer.answer, answer


def test_a_one_word_side_of_vs_is_the_service_its_name_ends_in(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    """ "kb vs agents": one side names Bedrock Knowledge Bases, the other is the last word
    of Bedrock Agents, the only service whose name ends so; the two are compared. A word
    away from the "vs" ("routing profile vs queue in connect") names nothing."""
    note = (
        "# Gen AI notes\n\n"
        "- **KB** = Bedrock Knowledge Base\n\n"
        "## Bedrock Knowledge Bases (KB)\n\n"
        "- managed RAG over your docs in S3, answers with citations, read only\n\n"
        "## Bedrock Agents\n\n"
        "- plan + call APIs through action groups (Lambda), multi-step tasks\n"
    )
    engine = Engine(_with_note(tmp_path_factory, "genai.md", note))
    answer = engine.answer("kb vs agents?? when do i pick which")
    assert answer.kind == "comparison", answer
    assert "Bedrock Agents" in answer.answer and "Knowledge Bases" in answer.answer


def test_a_note_section_on_a_service_a_yaml_file_folds_in_makes_it_a_service_again(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    # dynamodb.yaml has "dax" as an alias; a note that heads a section with DAX treats
    # it as a service of its own, and its facts are DAX's, not DynamoDB's.
    note = (
        "# DB add-ons\n\n"
        "## Amazon DynamoDB Accelerator (DAX)\n"
        "- in-memory write-through cache in front of DynamoDB\n"
        "- cluster = 1 primary + up to 10 read replicas, max 11 nodes\n"
    )
    knowledge = _with_note(tmp_path_factory, "addons.md", note)
    assert _the_statement(knowledge, "max 11 nodes").services[0] == "dax"
    assert "dax" not in knowledge.services["dynamodb"].aliases
    answer = Engine(knowledge).answer("max nodes in a dax cluster?")
    assert "11 nodes" in answer.answer
    assert answer.service == "Amazon DynamoDB Accelerator (DAX)"


def test_a_yaml_file_keeps_the_aliases_no_note_gives_a_section(knowledge: Knowledge) -> None:
    assert "dax" in knowledge.services["dynamodb"].aliases
    assert not knowledge.note_index.released


def test_a_hyphenated_short_form_in_a_heading_names_a_product_of_a_known_service(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    # "EC-SL" abbreviates "ElastiCache Serverless" part by part: the heading names a
    # product of its own, and its facts are not plain ElastiCache's.
    note = (
        "# Caches\n\n"
        "## Amazon ElastiCache Serverless (EC-SL)\n"
        "- no node types to pick, scales on its own\n"
        "- max 5,000 GB of data per cache\n"
    )
    knowledge = _with_note(tmp_path_factory, "caches.md", note)
    statement = _the_statement(knowledge, "5,000 GB")
    assert knowledge.services[statement.services[0]].name == "Amazon ElastiCache Serverless"
    assert "EC-SL" in knowledge.services[statement.services[0]].aliases


def test_a_title_between_two_equals_signs_is_a_heading() -> None:
    # Wiki-style "== Title ==" titles sections as "=== Title ===" does.
    blocks = read_blocks("== AWS CloudShell (CS) ==\n- 1 GB of persistent storage per region\n")
    assert (blocks[0].kind, blocks[0].text) == ("heading", "AWS CloudShell (CS)")


def test_a_digit_in_a_short_form_stands_for_the_small_word_it_sounds_like(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    # "L4E = Amazon Lookout for Equipment": the 4 is the "for", and a question that
    # says "l4e" asks about Lookout for Equipment.
    note = (
        "LOOKOUT NOTES\n\n"
        "abbrevs:\n"
        "- L4E = Amazon Lookout for Equipment\n\n"
        "**Amazon Lookout for Equipment (L4E)**\n"
        "- up to 300 sensors per model\n\n"
        "**Amazon Monitron**\n"
        "- starter kit $715 = 5 sensors + 1 gateway\n"
    )
    knowledge = _with_note(tmp_path_factory, "lookout.md", note)
    assert "L4E" in knowledge.services["lookoutequipment"].aliases
    answer = Engine(knowledge).answer("max sensors i can put in one l4e model?")
    assert "300 sensors" in answer.answer


def test_a_catalogued_short_name_run_together_is_written_as_people_write_it(
    knowledge: Knowledge,
) -> None:
    # botocore abbreviates "Amazon Lookout for Equipment" as "LookoutEquipment".
    assert knowledge.catalogue.entries["lookoutequipment"].short == "Lookout for Equipment"
    assert knowledge.catalogue.entries["savingsplans"].short == "Savings Plans"


def test_a_camel_case_setting_is_found_by_its_words(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    note = (
        "# Proxy notes\n\n"
        "## Amazon RDS Proxy\n"
        "- ConnectionBorrowTimeout default = 120 seconds (how long a client waits for a "
        "free pooled connection)\n"
        "- IdleClientTimeout default = 30 minutes, max 8 hours\n"
    )
    engine = Engine(_with_note(tmp_path_factory, "proxy.md", note))
    answer = engine.answer(
        "rds proxy: after how long does it drop an idle client connection by default?"
    )
    assert "30 minutes" in answer.answer


def test_a_statement_quoted_for_a_named_service_says_whose_it_is(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    # The line that answers sits under RDS Proxy though the question names Aurora: the
    # answer says it is RDS Proxy's.
    engine = _with_test_note(tmp_path_factory, "dbperf", "dbperf.md")
    answer = engine.answer(
        "app on aurora mysql, when the writer fails over the app hangs for ages. we want "
        "faster more transparent failover w/o rewriting connection handling"
    )
    assert answer.answer.startswith("RDS Proxy: When to use")


def test_a_plural_name_the_notes_never_write_singular_stays_plural(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    note = (
        "# RDS features\n\n"
        "## Optimized Writes (OW)\n"
        "- OW: writes 16 KiB pages once instead of twice, up to 2x write throughput\n"
        "- Optimized Writes needs MySQL 8.0.30+\n\n"
        "## Target Groups\n"
        "- a target group holds the targets a load balancer routes to\n"
    )
    knowledge = _with_note(tmp_path_factory, "rds.md", note)
    named = {s.name for s in knowledge.services.values() if s.path == "rds.md"}
    assert "Optimized Writes" in named
    assert "Target Group" in named


def test_a_part_number_in_front_of_a_heading_is_not_part_of_the_name(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    note = (
        "TRANSFER NOTES\n\n"
        "#### PART 1: AWS TRANSFER FAMILY (TF) ####\n"
        "- managed SFTP / FTPS / FTP endpoints in front of S3 or EFS\n"
        "- $0.30 per hour per protocol enabled\n"
    )
    knowledge = _with_note(tmp_path_factory, "transfer.txt", note)
    assert _the_statement(knowledge, "$0.30 per hour").services[0] == "transfer"
    assert not [s for s in knowledge.services if s.startswith("part-")]


def test_short_forms_in_a_heading_and_a_name_in_capitals_read_as_the_note_means(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    # "PS" abbreviates the capitalised heading's initials; "SM vs PS" heads a section
    # with the short forms, not with two new services; the name is shown as the note
    # writes it elsewhere, not in capitals.
    note = (
        "SECRETS NOTES\n\n"
        "abbrevs: PS = AWS Systems Manager Parameter Store (an SSM feature)\n\n"
        "AWS SECRETS MANAGER (SM)\n\n"
        "- $0.40 per secret per month, built-in rotation\n\n"
        "AWS SYSTEMS MANAGER PARAMETER STORE (PS)\n\n"
        "- standard params are free, up to 10,000 per account\n\n"
        "SM vs PS\n\n"
        "- rotation needed -> SM; free config values -> PS\n"
    )
    knowledge = _with_note(tmp_path_factory, "secrets.txt", note)
    names = {s.name for s in knowledge.services.values()}
    assert "AWS Systems Manager Parameter Store" in names
    assert not {"PS", "SM", "AWS SYSTEMS MANAGER PARAMETER STORE"} & names


SPARK_NOTE = """# Spark without clusters

## Amazon EMR Serverless (EMR-S)
EMR-S is serverless: no clusters to create, size or patch.
It runs the Spark and Hive jobs of a Hadoop shop as they are, without rewriting them.

## Amazon EMR on EKS
EMR on EKS runs Spark jobs on an Amazon EKS cluster that you run yourself.
"""


def test_a_hard_need_the_notes_state_favours_a_notes_only_service(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    """A notes-only service has no traits, but its statements say what it is: "EMR-S is
    serverless" meets a question that must be serverless as a YAML service's trait
    does, and a service whose notes do not say so gets nothing for it."""
    engine = Engine(_with_note(tmp_path_factory, "spark.md", SPARK_NOTE))
    needs = engine.judge.question_needs(engine.lexicon.read("spark jobs, must be serverless"))
    assert [need.id for need, _ in needs] == ["no-servers"]
    services = engine.knowledge.services
    said = engine.judge.judge(services["emr-serverless"], needs)
    unsaid = engine.judge.judge(services["emr-containers"], needs)
    assert said.feasible and unsaid.feasible
    assert said.score > unsaid.score


FLEET_NOTE = """# Device fleets

### 📡 AWS IoT ExpressLink — what it is
ExpressLink modules talk to the host microcontroller over a serial line at 115200 baud.

### 📍 AWS IoT Core Device Location — what it is
Device Location turns Wi-Fi and cell tower scans into a latitude and longitude.

### 🚗 AWS IoT FleetWise (IFW) — what it is
IFW collects vehicle signals and sends only the data a campaign asks for.

### 🚗 IFW — collection schemes
A collection scheme is either time-based or condition-based.
"""


def test_a_product_heading_with_an_emoji_is_a_service_and_a_lower_case_aspect_is_not(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    """ "📡 AWS IoT ExpressLink — what it is": the emoji is decoration, and "ExpressLink",
    a word the note never writes in lower case, makes a product of its own after "AWS
    IoT", as do the words after "AWS IoT Core". "IFW — collection schemes" says what the
    heading says of FleetWise, not a service called "collection schemes"."""
    knowledge = _with_note(tmp_path_factory, "fleet.md", FLEET_NOTE)
    names = {s.name for s in knowledge.services.values()}
    assert {"AWS IoT ExpressLink", "AWS IoT Core Device Location"} <= names, names
    assert not any("collection" in name.lower() for name in names), names
    serial = _the_statement(knowledge, "115200 baud")
    assert [knowledge.services[s].name for s in serial.services] == ["AWS IoT ExpressLink"]
    scheme = _the_statement(knowledge, "time-based or condition-based")
    assert [knowledge.services[s].name for s in scheme.services] == ["AWS IoT FleetWise"]


SHORT_FORMS_NOTE = """# Big data without clusters

Services below:
- Amazon EMR Serverless (EMR-S)
- Amazon Redshift Serverless

## Amazon EMR Serverless
- Runs Spark and Hive jobs with no cluster to size.

## Amazon Redshift Serverless
- Bills $0.375 per RPU-hour.

## EMR-S numbers
- EMR-S stops an idle application after 15 minutes by default.
"""


def test_a_hyphenated_short_form_in_a_list_names_its_service(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    """ "Amazon EMR Serverless (EMR-S)" in a list defines EMR-S as a short form as
    "(ADS)" would; its final capital is not a plural's s ("EMR-"), and "Serverless", which
    ends several services' names, calls none of them alone."""
    knowledge = _with_note(tmp_path_factory, "bigdata.md", SHORT_FORMS_NOTE)
    aliases = knowledge.services["emr-serverless"].aliases
    assert "EMR-S" in aliases and "EMR-" not in aliases, aliases
    assert not any(
        a.lower() == "serverless" for s in knowledge.services.values() for a in s.aliases
    )
    answer = Engine(knowledge).answer("emr-s idle app, how long till it auto stops?")
    assert "15 minutes" in answer.answer, answer.answer


DEFINED_EARLY_NOTE = """# Device fleets

Five things to know:
- AWS IoT Device Management (IDM) → register, update and debug device fleets
- AWS IoT Events (IoTE) → detectors on device data

## AWS IoT Device Management
- Jobs push a document to many devices at once.

## AWS IoT Events
- A detector model has states and transitions.

## Cheat lines
- IDM jobs: the job document is at most 32 KB.
"""


def test_a_short_form_given_before_its_section_names_that_section_s_service(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    """ "AWS IoT Device Management (IDM)" in the opening list defines IDM for the service
    the note heads later, though the catalogue knows no such name: "IDM jobs: …" in the
    cheat lines is Device Management's, not the last section's (IoT Events)."""
    knowledge = _with_note(tmp_path_factory, "fleet.md", DEFINED_EARLY_NOTE)
    (service,) = [s for s in knowledge.services.values() if s.name == "AWS IoT Device Management"]
    assert "IDM" in service.aliases, service.aliases
    assert _the_statement(knowledge, "32 KB").services[0] == service.id


OBJECT_LAMBDA_NOTE = """# S3 features

## Amazon S3 Object Lambda (OL)
- Transforms objects on the way out of S3 with your own function.
- The whole request must finish within 60 seconds.
"""


def test_a_product_is_called_by_its_words_after_the_family_name_even_holding_a_name(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    """ "object lambda" is S3 Object Lambda, though it holds "lambda": the words after
    the family's name ("Amazon S3") call the product unless they are a name whole."""
    knowledge = _with_note(tmp_path_factory, "s3.md", OBJECT_LAMBDA_NOTE)
    engine = Engine(knowledge)
    reading = engine.lexicon.read("object lambda, how long can a request take?")
    assert [knowledge.services[s].name for s in reading.services] == ["Amazon S3 Object Lambda"]
    answer = engine.answer("object lambda, how long can a request take?")
    assert "60 seconds" in answer.answer, answer.answer


SHIFTED_TABLE_NOTE = """# Compute

| | Zorp | Lambda | Fargate |
|---|---|---|---|
| Longest run | n/a | 15 minutes | no limit |
| Billing | n/a | per ms | per second |
"""


def test_a_table_column_that_names_no_service_does_not_shift_the_others(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    """A comparison table's first column headed by an unknown word: Lambda's cells are
    still Lambda's ("15 minutes"), not the unknown column's."""
    knowledge = _with_note(tmp_path_factory, "compute.md", SHIFTED_TABLE_NOTE)
    (table,) = [t for t in knowledge.note_index.tables if t.file == "compute.md"]
    assert table.services == ("lambda", "fargate")
    assert table.rows[0] == ("Longest run", ("15 minutes", "no limit"))
    assert table.labels == ("Lambda", "Fargate")


LED_COMPARISON_NOTE = """# Data tools

## AWS Glue DataBrew (GDB)
GDB is a visual data preparation tool with 250+ transforms.

## Amazon AppFlow (AF)
AF is a managed integration service whose flows run on a schedule or on an event.

| | GDB | AF |
|---|---|---|
| Billing | per node-hour | per flow run |

## Key differences
- **GDB vs AF**: DataBrew cleans data visually; AppFlow moves data from SaaS apps into AWS.
"""


def test_a_line_led_by_both_services_is_the_first_thing_a_comparison_says(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    """ "**GDB vs AF**: …" is the note's own answer to "databrew vs appflow": it comes
    beside what each side is and before the rows of the table of them."""
    engine = Engine(_with_note(tmp_path_factory, "data.md", LED_COMPARISON_NOTE))
    answer = engine.answer("databrew vs appflow, whats the difference?")
    assert answer.kind == "comparison", answer.answer
    assert "moves data from SaaS apps" in answer.answer, answer.answer


def test_a_short_form_of_a_name_joined_by_a_small_word_is_read(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    """ "Amazon EMR on EKS (EoE)": the name runs over "on", so EoE is EMR on EKS's short
    form and "EoE bills …" is about it, not about EKS."""
    note = (
        "# Spark\n\nServices:\n- Amazon EMR on EKS (EoE)\n\n"
        "## Numbers\nEoE bills an uplift of $0.01012 per vCPU-hour.\n"
    )
    knowledge = _with_note(tmp_path_factory, "spark.md", note)
    assert _the_statement(knowledge, "$0.01012").services[0] == "emr-containers"


MODES_NOTE = """# Speech

## Amazon Transcribe
- Streaming mode: send audio live over a WebSocket and get text back as people speak.
- Batch mode: transcribe recordings stored in S3, up to 4 hours per file.
"""


def test_a_mode_named_like_a_service_is_the_mode_of_the_service_set_beside_it(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    """ "transcribe streaming vs batch": Transcribe's notes speak of a batch mode, so the
    two modes are set side by side; AWS Batch, whose name is the everyday word, is not."""
    engine = Engine(_with_note(tmp_path_factory, "speech.md", MODES_NOTE))
    answer = engine.answer("transcribe streaming vs batch whats the diff")
    assert "4 hours per file" in answer.answer and "WebSocket" in answer.answer, answer.answer
    assert "vs Batch" not in answer.answer, answer.answer


CHIPS_NOTE = """# Chips

## AWS Trainium
- trn1.32xlarge = 16 chips, 512 GB HBM total, 800 Gbps networking.
- trn2.48xlarge = 16 Trainium2 chips, 1.5 TB of HBM3, 3.2 Tbps networking.
"""


def test_a_word_with_its_version_run_on_is_also_the_word(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    """ "HBM3" is HBM too: asked for the HBM of a trn2.48xlarge, the line on that
    instance answers, not the trn1 line that writes "HBM" and "total"."""
    engine = Engine(_with_note(tmp_path_factory, "chips.md", CHIPS_NOTE))
    answer = engine.answer("how much hbm does one trn2.48xlarge have in total")
    assert "1.5 TB" in answer.answer, answer.answer
    assert engine.lexicon.terms("HBM3 Graviton4") == ["hbm3", "hbm", "graviton4", "graviton"]
