"""The shipped knowledge is complete and valid; broken copies are refused line by line."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.cli import main
from bot.core.knowledge.loader import Knowledge, KnowledgeError, load_knowledge
from bot.core.knowledge.names import find_service
from bot.core.knowledge.text import has_mojibake

REQUIRED_SERVICES = [
    "Lambda", "Batch", "ECS", "Fargate", "ECR", "EKS", "EC2", "Lightsail", "API Gateway",
    "SAM", "CloudWatch", "CloudWatch Event Rules", "EventBridge", "SNS", "IAM",
    "Application Load Balancer", "security groups", "Serverless Application Repository",
    "Outposts", "EC2 Image Builder", "App Runner", "Elastic Beanstalk", "CloudFormation",
    "CDK", "CodeDeploy", "Systems Manager", "Route 53", "CloudFront",
    "S3 Transfer Acceleration", "Global Accelerator", "Wavelength", "Local Zones", "RDS",
    "DynamoDB", "ElastiCache", "DocumentDB", "Neptune", "Timestream", "Managed Blockchain",
    "Redshift", "EMR", "Athena", "QuickSight", "Glue", "DMS",
]  # fmt: skip
REQUIRED_COMPARISONS = [
    {"ec2", "lambda"}, {"batch", "lambda"}, {"ecs", "fargate"}, {"ecs", "eks"},
    {"cloudfront", "global-accelerator"}, {"cloudformation", "cdk"},
    {"elastic-beanstalk", "codedeploy"}, {"lightsail", "ec2"}, {"rds", "dynamodb"},
    {"redshift", "athena"}, {"outposts", "local-zones", "wavelength"},
]  # fmt: skip


def test_shipped_knowledge_validates(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(Path(__file__).parents[1] / "knowledge")]) == 0
    out = capsys.readouterr().out
    assert re.search(r"^ok: \d+ services, \d+ facts, .* \d+ quiz questions, 5 notes", out, re.M)


@pytest.mark.parametrize("name", REQUIRED_SERVICES)
def test_every_service_in_the_notes_is_known(knowledge: Knowledge, name: str) -> None:
    service = find_service(knowledge.services, name)
    assert service is not None, name
    words = name.lower().replace("cloudwatch event rules", "eventbridge")
    label = f"{service.name} {service.short} {' '.join(service.aliases)} {service.stands_for}"
    assert words.split()[0] in label.lower()


def test_each_service_has_facts_use_cases_and_sources(knowledge: Knowledge) -> None:
    for service in (s for s in knowledge.services.values() if not s.from_notes):
        assert service.facts and service.use_cases, service.id
        assert Path(service.path).stem == service.id
        notes = {f.source for f in service.facts} - {"general"}
        assert notes <= set(knowledge.note_files), service.id


@pytest.mark.parametrize("pair", REQUIRED_COMPARISONS, ids=lambda p: "-vs-".join(sorted(p)))
def test_required_comparisons_exist(knowledge: Knowledge, pair: set[str]) -> None:
    assert any(pair <= set(c.services) for c in knowledge.comparisons)


def test_compute_limits_are_data(knowledge: Knowledge) -> None:
    lam, batch = knowledge.services["lambda"], knowledge.services["batch"]
    assert lam.traits["max_run_minutes"] == 15 and lam.traits["max_memory_gb"] == 10
    assert lam.traits["gpu"] is False and batch.traits["gpu"] is True
    assert "max_run_minutes" not in batch.traits


def test_notes_are_indexed_without_mojibake(knowledge: Knowledge) -> None:
    assert len(knowledge.note_files) == 5
    assert len(knowledge.notes) > 100
    for statement in knowledge.notes:
        assert not has_mojibake(statement.text), statement
        assert statement.services
    texts = " ".join(s.text for s in knowledge.notes)
    assert "don't" in texts and "≤ 15 min" in texts


def test_a_new_note_is_indexed_and_tied_to_services(knowledge_copy: Path) -> None:
    (knowledge_copy / "notes" / "team.md").write_text(
        "## Fargate\n- Our team runs the billing API on Fargate since March.\n", "utf-8"
    )
    loaded = load_knowledge(knowledge_copy)
    mine = [s for s in loaded.notes if s.file == "team.md"]
    assert [s.services for s in mine] == [("fargate",)]


def test_cli_output_has_no_mojibake(capsys: pytest.CaptureFixture[str], knowledge) -> None:
    main(["services"])
    for service in knowledge.services.values():
        main(["show", service.id])
    for statement in knowledge.notes[::7]:
        main(["ask", statement.text])
    out = capsys.readouterr().out
    assert not has_mojibake(out)


def test_show_accepts_a_misspelled_name(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["show", "fargte"]) == 0
    assert "AWS Fargate" in capsys.readouterr().out
    assert main(["show", "zzzz qqqq"]) == 1


def _problems(root: Path) -> list[str]:
    with pytest.raises(KnowledgeError) as caught:
        load_knowledge(root)
    return [str(p) for p in caught.value.problems]


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), "utf-8")


def _line_of(path: Path, needle: str) -> int:
    return next(
        i for i, line in enumerate(path.read_text("utf-8").splitlines(), 1) if needle in line
    )


def test_bad_yaml_syntax_is_reported_with_its_line(knowledge_copy: Path) -> None:
    path = knowledge_copy / "services" / "lambda.yaml"
    _edit(path, "category: compute", "category: [compute")
    problems = _problems(knowledge_copy)
    assert any(p.startswith(f"{path}:") and "YAML syntax error" in p for p in problems)


def test_duplicate_fact_id_points_at_both_places(knowledge_copy: Path) -> None:
    path = knowledge_copy / "services" / "lambda.yaml"
    _edit(path, "id: lambda-memory", "id: lambda-timeout")
    line = _line_of(path, "id: lambda-timeout") + 0
    problems = _problems(knowledge_copy)
    dup = [p for p in problems if "duplicate fact id `lambda-timeout`" in p]
    assert dup and dup[0].startswith(f"{path}:") and f"{path}:{line}" in dup[0]


def test_unknown_service_in_a_comparison(knowledge_copy: Path) -> None:
    path = knowledge_copy / "comparisons" / "compute.yaml"
    text = path.read_text("utf-8")
    path.write_text(text.replace("[batch, lambda]", "[batch, lambdaa]", 1), "utf-8")
    line = _line_of(path, "[batch, lambdaa]") - 1
    problems = _problems(knowledge_copy)
    assert any(
        p.startswith(f"{path}:{line}:") and "unknown service `lambdaa`" in p for p in problems
    ), problems


def test_unknown_trait_in_a_rule(knowledge_copy: Path) -> None:
    path = knowledge_copy / "rules.yaml"
    _edit(path, "trait: gpu\n", "trait: gpus\n")
    assert any(p.startswith(f"{path}:") and "unknown trait" in p for p in _problems(knowledge_copy))


def test_yes_read_as_boolean_is_reported(knowledge_copy: Path, capsys) -> None:
    path = knowledge_copy / "quiz" / "extra.yaml"
    path.write_text(
        "- id: extra-yes\n"
        "  service: lambda\n"
        "  question: Is Lambda serverless?\n"
        '  options: [yes, "no", "maybe", "sometimes"]\n'
        "  answer: yes\n"
        "  explanation: It is.\n"
        "  difficulty: easy\n"
        "  source: general\n",
        "utf-8",
    )
    assert main(["validate", str(knowledge_copy)]) == 1
    err = capsys.readouterr().err
    assert f"{path}:5: extra.answer: `yes` was read as a boolean" in err
    assert f"{path}:4: extra.options: `yes` was read as a boolean" in err


def test_unknown_and_missing_fields(knowledge_copy: Path) -> None:
    path = knowledge_copy / "services" / "lambda.yaml"
    _edit(path, "category: compute", "categroy: compute")
    problems = _problems(knowledge_copy)
    line = _line_of(path, "categroy")
    assert f"{path}:{line}: lambda: unknown field `categroy`" in " ".join(problems)
    assert any("missing field `category`" in p for p in problems)


def test_unreadable_file_is_a_problem_not_a_crash(knowledge_copy: Path) -> None:
    (knowledge_copy / "services" / "broken.yaml").write_bytes(b"id: \xff\xfe\x00")
    assert any("cannot read the file" in p for p in _problems(knowledge_copy))


def test_missing_directory(tmp_path: Path) -> None:
    assert _problems(tmp_path / "nowhere") == [
        f"{tmp_path / 'nowhere'}:1: knowledge directory not found"
    ]
