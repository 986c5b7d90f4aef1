"""The shape of every knowledge file, checked node by node so a mistake points at its line.

The schema is data (a few small field types) so the validator, the loader and the docs
read from one description. YAML nodes are checked before they become Python values:
that is the only moment we can still see that `answer: yes` was a plain `yes`.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

import yaml

CATEGORIES = (
    "compute",
    "containers",
    "deployment",
    "global infrastructure",
    "databases",
    "analytics",
    "data movement",
    "management",
    "security",
    "messaging",
    "networking",
)
# What a service file describes: an AWS service, or something a team also asks about that
# is not one ("which service" lists offer only services): a feature of another service
# (security groups), a tool you run yourself (the SDKs, CDK), a practice (CI/CD).
KINDS = ("service", "feature", "tool", "concept")
DIFFICULTIES = ("easy", "medium", "hard")
RELATION_KINDS = (
    "runs",
    "runs_on",
    "stores_for",
    "uses",
    "triggers",
    "integrates_with",
    "alternative_to",
    "part_of",
    "builds_on",
    "monitors",
)
TESTS = ("true", "false", "at_least", "at_most")
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
QUIZ_OPTION_MAX = 80

_TEXT_TAG = "tag:yaml.org,2002:str"
_BOOL_TAG = "tag:yaml.org,2002:bool"
_INT_TAG = "tag:yaml.org,2002:int"
_FLOAT_TAG = "tag:yaml.org,2002:float"
_NULL_TAG = "tag:yaml.org,2002:null"
_SCALAR_TYPES: dict[str, type | tuple[type, ...]] = {
    _BOOL_TAG: bool,
    _INT_TAG: int,
    _FLOAT_TAG: (float, int),
}
MAX_NUMBER = 1e12  # no limit in minutes or gigabytes comes near; above is a typo


@dataclass(frozen=True)
class Problem:
    """One thing wrong in one file, ready to print as `path:line: message`."""

    path: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


class Reporter:
    """Collects problems for one file."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.problems: list[Problem] = []

    def at(self, node: yaml.Node, message: str) -> None:
        self.problems.append(Problem(self.path, node.start_mark.line + 1, message))


# --- field types ------------------------------------------------------------------------


class Field:
    """A field type knows how to check a node and turn it into a Python value."""

    def check(self, node: yaml.Node, report: Reporter, where: str) -> object:
        raise NotImplementedError


def _scalar_kind(node: yaml.Node) -> str:
    if not isinstance(node, yaml.ScalarNode):
        return "a list" if isinstance(node, yaml.SequenceNode) else "a mapping"
    return {
        _BOOL_TAG: "a boolean",
        _INT_TAG: "a number",
        _FLOAT_TAG: "a number",
        _NULL_TAG: "empty",
    }.get(node.tag, "text")


@dataclass
class Text(Field):
    max_length: int | None = None
    pattern: re.Pattern[str] | None = None
    choices: tuple[str, ...] | None = None

    def check(self, node: yaml.Node, report: Reporter, where: str) -> object:
        if not isinstance(node, yaml.ScalarNode) or node.tag != _TEXT_TAG:
            kind = _scalar_kind(node)
            if isinstance(node, yaml.ScalarNode) and kind != "empty":
                report.at(
                    node,
                    f"{where}: `{node.value}` was read as {kind}, not text; quote it "
                    f'("{node.value}")',
                )
            else:
                report.at(node, f"{where}: expected text, found {kind}")
            return None
        value = node.value.strip()
        if not value:
            report.at(node, f"{where}: is empty")
            return None
        if self.max_length is not None and len(value) > self.max_length:
            report.at(node, f"{where}: {len(value)} characters, at most {self.max_length}")
        if self.pattern is not None and not self.pattern.match(value):
            report.at(node, f"{where}: `{value}` must be lower-case words joined by '-'")
        if self.choices is not None and value not in self.choices:
            report.at(node, f"{where}: `{value}` is not one of: {', '.join(self.choices)}")
        return value


@dataclass
class Scalar(Field):
    """A trait value: a boolean, a number, or text."""

    def check(self, node: yaml.Node, report: Reporter, where: str) -> object:
        if not isinstance(node, yaml.ScalarNode) or node.tag == _NULL_TAG:
            report.at(node, f"{where}: expected true/false, a number or text")
            return None
        if node.tag == _TEXT_TAG:
            return node.value
        expected = _SCALAR_TYPES.get(node.tag)
        if expected is None:  # !!binary, !!timestamp, a custom tag: not a trait value
            report.at(node, f"{where}: `{node.value}` has the tag {node.tag}; expected "
                      "true/false, a number or text")  # fmt: skip
            return None
        unusable = (f"{where}: {_short_number(node.value)} is not a usable number "
                    f"(finite, at most {MAX_NUMBER:,.0f})")  # fmt: skip
        try:
            value = yaml.safe_load(node.value)
        except ValueError:  # more digits than Python converts (4,300)
            report.at(node, unusable)
            return None
        except yaml.YAMLError:  # `!!int "[oops"`
            value = None
        if not isinstance(value, expected) or (expected is not bool and isinstance(value, bool)):
            shown = node.value if len(node.value) <= 40 else f"{node.value[:40]}…"
            report.at(node, f"{where}: `{shown}` is not {_scalar_kind(node)}")
            return None
        number = isinstance(value, int | float) and not isinstance(value, bool)
        if number and (not math.isfinite(value) or abs(value) > MAX_NUMBER):
            report.at(node, unusable)
            return None
        return value


def _short_number(text: str) -> str:
    return text if len(text) <= 20 else f"a {len(text)}-character number"


@dataclass
class ListOf(Field):
    item: Field
    min_items: int = 0
    max_items: int | None = None

    def check(self, node: yaml.Node, report: Reporter, where: str) -> object:
        if not isinstance(node, yaml.SequenceNode):
            report.at(node, f"{where}: expected a list, found {_scalar_kind(node)}")
            return []
        if len(node.value) < self.min_items:
            report.at(node, f"{where}: needs at least {self.min_items} items")
        if self.max_items is not None and len(node.value) > self.max_items:
            report.at(node, f"{where}: at most {self.max_items} items")
        return [self.item.check(child, report, where) for child in node.value]


@dataclass
class MapOf(Field):
    """A mapping with free keys (trait names, service ids) and one value type."""

    value: Field

    def check(self, node: yaml.Node, report: Reporter, where: str) -> object:
        if not isinstance(node, yaml.MappingNode):
            report.at(node, f"{where}: expected a mapping, found {_scalar_kind(node)}")
            return {}
        result: dict[str, object] = {}
        for key_node, value_node in node.value:
            key = str(key_node.value)
            if key in result:
                report.at(key_node, f"{where}: `{key}` appears twice")
            result[key] = self.value.check(value_node, report, f"{where}.{key}")
        return result


@dataclass
class Record(Field):
    """A mapping with named fields; unknown and missing fields are problems."""

    fields: dict[str, Field]
    required: frozenset[str] = field(default_factory=frozenset)

    def check(self, node: yaml.Node, report: Reporter, where: str) -> object:
        if not isinstance(node, yaml.MappingNode):
            report.at(node, f"{where}: expected a mapping, found {_scalar_kind(node)}")
            return None
        result: dict[str, object] = {"_line": node.start_mark.line + 1}
        for key_node, value_node in node.value:
            key = str(key_node.value)
            if key not in self.fields:
                known = ", ".join(sorted(self.fields))
                report.at(key_node, f"{where}: unknown field `{key}` (known: {known})")
                continue
            if key in result:
                report.at(key_node, f"{where}: field `{key}` appears twice")
            result[key] = self.fields[key].check(value_node, report, f"{where}.{key}")
        for name in sorted(self.required - result.keys()):
            report.at(node, f"{where}: missing field `{name}`")
        return result


def record(required: str, **fields: Field) -> Record:
    return Record(fields, frozenset(required.split()))


@dataclass
class TextOr(Field):
    """Plain text, or a record for when more than the text must be said."""

    text: Text
    record: Record

    def check(self, node: yaml.Node, report: Reporter, where: str) -> object:
        if isinstance(node, yaml.MappingNode):
            return self.record.check(node, report, where)
        return self.text.check(node, report, where)


# --- the knowledge files ------------------------------------------------------------------

FACT = record(
    "id text source",
    id=Text(pattern=SLUG),
    text=Text(max_length=400),
    about=ListOf(Text()),
    source=Text(),
)
RELATION = record(
    "kind service text",
    kind=Text(choices=RELATION_KINDS),
    service=Text(),
    text=Text(max_length=300),
)
SERVICE = record(
    "id name category summary facts use_cases",
    id=Text(pattern=SLUG),
    name=Text(),
    short=Text(),
    aliases=ListOf(Text()),
    stands_for=Text(),
    category=Text(choices=CATEGORIES),
    kind=Text(choices=KINDS),
    summary=Text(max_length=300),
    traits=MapOf(Scalar()),
    trait_notes=MapOf(Text(max_length=80)),
    facts=ListOf(FACT, min_items=1),
    use_cases=ListOf(Text(max_length=200), min_items=1),
    not_for=ListOf(Text(max_length=200)),
    relations=ListOf(RELATION),
)
COMPARISON = record(
    "id services summary source",
    id=Text(pattern=SLUG),
    services=ListOf(Text(), min_items=2),
    summary=Text(max_length=600),
    points=ListOf(Text(max_length=300)),
    choose=MapOf(Text(max_length=300)),
    source=Text(),
)
QUIZ_QUESTION = record(
    "id service question options answer explanation difficulty source",
    id=Text(pattern=SLUG),
    service=Text(),
    question=Text(max_length=300),
    options=ListOf(Text(max_length=QUIZ_OPTION_MAX), min_items=4, max_items=4),
    answer=Text(max_length=QUIZ_OPTION_MAX),
    explanation=Text(max_length=600),
    why=MapOf(
        TextOr(
            Text(max_length=300),
            record("text source", text=Text(max_length=300), source=Text()),
        )
    ),
    difficulty=Text(choices=DIFFICULTIES),
    source=Text(),
)
ERRATUM = record(
    "note line wrong right why",
    note=Text(),
    line=Scalar(),
    wrong=Text(),
    right=Text(),
    why=Text(max_length=400),
)
TRAIT = record("type description", type=Text(choices=("bool", "number")), description=Text())
NEED = record(
    "id trait test fails",
    id=Text(pattern=SLUG),
    phrases=ListOf(Text()),
    unless=ListOf(Text()),
    parameter=Text(choices=("duration_minutes", "memory_gb")),
    trait=Text(),
    scope=Text(),
    test=Text(choices=TESTS),
    hard=Scalar(),
    fails=Text(max_length=120),
    passes=Text(max_length=120),
    within=Text(max_length=120),
    scenario=Text(max_length=80),
)
RULES = record(
    "traits needs",
    traits=MapOf(TRAIT),
    needs=ListOf(NEED),
    durations=MapOf(Scalar()),
    run_words=ListOf(Text()),
    taking_words=ListOf(Text()),
    query_words=ListOf(Text()),
)
VOCABULARY = record(
    "",
    shorthand=MapOf(Text()),
    synonyms=ListOf(ListOf(Text(), min_items=2)),
    off_topic=ListOf(Text()),
    other_clouds=ListOf(Text()),
    section_words=ListOf(Text()),
    quantities=MapOf(
        record("asked_by", asked_by=ListOf(Text()), units=ListOf(Text()), marks=ListOf(Text()))
    ),
)


def iter_problems(reports: list[Reporter]) -> Iterator[Problem]:
    for report in reports:
        yield from report.problems
