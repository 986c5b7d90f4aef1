"""Load and validate the knowledge directory into plain, immutable Python objects.

Adding a service is adding a file: everything here is driven by what the files say.
A knowledge base with any problem is refused whole, with every problem listed, so a
running bot never serves half of a broken edit.
"""

from __future__ import annotations

import os
import string
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeGuard

import yaml

from bot.core.knowledge import schema
from bot.core.knowledge.catalogue import CATALOGUE_FILES, EMPTY, Catalogue, load_catalogue
from bot.core.knowledge.errata import Erratum
from bot.core.knowledge.model import Fact, Relation, Service
from bot.core.knowledge.note_services import discovered_services, note_topics
from bot.core.knowledge.notes import (
    NOTE_SUFFIXES,
    NotesIndex,
    NoteStatement,
    index_notes,
    without_aliases,
)
from bot.core.knowledge.parse_cache import ParseCache
from bot.core.knowledge.schema import Problem, Reporter

try:  # libyaml is much faster when present; the pure loader gives the same nodes.
    _Loader: type = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - depends on how PyYAML was built
    _Loader = yaml.SafeLoader

GENERAL_SOURCE = "general"


@dataclass(frozen=True)
class Comparison:
    id: str
    services: tuple[str, ...]
    summary: str
    points: tuple[str, ...]
    choose: dict[str, str]
    source: str


@dataclass(frozen=True)
class Reason:
    """Why an option of a quiz question is not the answer, and where that is written."""

    text: str
    source: str


@dataclass(frozen=True)
class QuizQuestion:
    id: str
    service: str
    question: str
    options: tuple[str, ...]
    answer: str
    explanation: str  # why the answer is right
    difficulty: str
    source: str  # where the answer is written
    why: Mapping[str, Reason] = field(default_factory=dict)  # each other option: why not

    @property
    def answer_index(self) -> int:
        return self.options.index(self.answer)

    @property
    def sources(self) -> tuple[str, ...]:
        """Where the answer and every reason are written, for a person to check."""
        found = [self.source, *(reason.source for reason in self.why.values())]
        return tuple(dict.fromkeys(s for s in found if s and s != GENERAL_SOURCE))

    def reason(self, option: str) -> str:
        """One line on an option: why it is the answer, or why it is not."""
        if option == self.answer:
            return self.explanation
        return self.why[option].text if option in self.why else ""


@dataclass(frozen=True)
class Need:
    """Something a question can ask for, and how a service's trait is tested against it."""

    id: str
    phrases: tuple[str, ...]
    unless: tuple[str, ...]  # phrases that show the need is not what is asked for
    parameter: str | None
    trait: str
    scope: str | None
    test: str
    hard: bool
    fails: str
    passes: str | None
    within: str | None  # shown when a service passes a number need but has a limit
    scenario: str | None = None  # how a quiz scenario states it: "needs GPUs"

    def judge(
        self,
        traits: Mapping[str, object],
        value: float | None = None,
        notes: Mapping[str, str] | None = None,
    ) -> tuple[bool, str]:
        """Whether a service with these traits meets the need (its scope aside), and the
        reason to show: "stops a run at 15 minutes", or with the service's note on how
        it holds, "runs in your own data center with ECS Anywhere". The engine and the
        quiz share it."""
        limit = traits.get(self.trait)
        ok = _meets(self.test, limit, value)
        text = (self.passes if ok else self.fails) or ""
        if ok and self.within and is_number(limit):
            text = self.within  # passes, but has a limit: say it rather than "no limit"
        text = self.text(text, limit, value)
        note = (notes or {}).get(self.trait)
        if note and text and (ok or is_number(limit)):
            text = f"{text} {note}"
        return ok, text

    def text(self, template: str, limit: object = None, value: object = None) -> str:
        """A reason or scenario with its numbers in the need's unit: "2 hours", "512 MB"."""
        return template.format(
            limit=quantity_text(self.parameter, limit), value=quantity_text(self.parameter, value)
        )


@dataclass(frozen=True)
class Rules:
    traits: dict[str, dict[str, str]]
    needs: tuple[Need, ...]
    durations: dict[str, float]
    run_words: frozenset[str] = frozenset()
    taking_words: frozenset[str] = frozenset()
    query_words: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Quantity:
    """A kind of quantity a question can ask for ("how long" asks a duration), and how
    a statement gives one: a number with one of `units`, or one of `marks`."""

    kind: str
    asked_by: tuple[str, ...]
    units: tuple[str, ...]
    marks: tuple[str, ...] = ()


@dataclass(frozen=True)
class Vocabulary:
    shorthand: dict[str, str]
    synonyms: tuple[tuple[str, ...], ...]
    off_topic: tuple[str, ...]
    other_clouds: tuple[str, ...] = ()
    section_words: tuple[str, ...] = ()
    # what a "how long" question asks for, and how a statement gives it
    quantities: tuple[Quantity, ...] = ()


@dataclass
class Knowledge:
    root: Path
    services: dict[str, Service]
    comparisons: tuple[Comparison, ...]
    quiz: tuple[QuizQuestion, ...]
    rules: Rules
    vocabulary: Vocabulary
    notes: tuple[NoteStatement, ...]
    note_files: tuple[str, ...] = field(default_factory=tuple)
    note_index: NotesIndex = field(default_factory=NotesIndex)
    catalogue: Catalogue = EMPTY
    # Sections of the notes about no service: answered under their heading, never
    # offered as a service (not in `services`, so no decision, quiz or list shows them).
    topics: dict[str, Service] = field(default_factory=dict)

    def subject(self, sid: str) -> Service:
        """The service, or the notes' topic, a statement is about."""
        return self.services.get(sid) or self.topics[sid]

    @property
    def facts(self) -> list[Fact]:
        return [fact for service in self.services.values() for fact in service.facts]

    def summary_line(self) -> str:
        return (
            f"{len(self.services)} services, {len(self.facts)} facts, "
            f"{len(self.comparisons)} comparisons, {len(self.rules.needs)} rules, "
            f"{len(self.quiz)} quiz questions, {len(self.note_files)} notes "
            f"({len(self.notes)} statements)"
        )


class KnowledgeError(Exception):
    """The knowledge directory has problems; `problems` lists each with its line."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


def default_knowledge_dir() -> Path:
    """KNOWLEDGE_DIR, else the project's knowledge/ in a checkout (so problems point at
    the files people edit), else the copy shipped in the package (`pip install .`)."""
    configured = os.environ.get("KNOWLEDGE_DIR", "").strip()
    if configured:
        return Path(configured)
    package = Path(__file__).resolve().parents[2]
    checkout = package.parent
    if (checkout / "pyproject.toml").is_file() and (checkout / "knowledge").is_dir():
        return checkout / "knowledge"
    return package / "knowledge"


def _compose(path: Path, report: Reporter) -> yaml.Node | None:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        report.problems.append(Problem(str(path), 1, f"cannot read the file: {error}"))
        return None
    try:
        return yaml.compose(text, Loader=_Loader)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
        line = mark.line + 1 if mark else 1
        reason = getattr(error, "problem", None) or str(error)
        report.problems.append(Problem(str(path), line, f"YAML syntax error: {reason}"))
        return None


def _load_file(path: Path, shape: schema.Field, report: Reporter) -> object:
    node = _compose(path, report)
    if node is None:
        if not report.problems:
            report.problems.append(Problem(str(path), 1, "the file is empty"))
        return None
    return shape.check(node, report, path.stem)


def _yaml_files(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.rglob("*") if p.suffix in (".yaml", ".yml") and p.is_file())


def _tuple(raw: dict, key: str) -> tuple:
    return tuple(x for x in raw.get(key) or () if x is not None)


class _Builder:
    """Turns checked records into objects and checks what spans files (ids, references)."""

    def __init__(self, root: Path, parsed: ParseCache | None = None) -> None:
        self.root = root
        self.parsed = parsed
        self.reports: list[Reporter] = []
        self.ids: dict[str, tuple[str, int]] = {}

    def load(self, path: Path, shape: schema.Field, report: Reporter) -> object:
        """A YAML file checked against `shape`; from the parse cache when the same bytes
        were checked before without a problem."""
        key = None
        if self.parsed is not None:
            try:
                data = path.read_bytes()
            except OSError:
                data = None  # the loader reports it below
            if data is not None:
                place = str(path.relative_to(self.root)).encode()
                key = self.parsed.key(b"yaml", place, data)
                found = self.parsed.get(key)
                if found is not None:
                    return found
        value = _load_file(path, shape, report)
        clean = value is not None and not report.problems
        if self.parsed is not None and key is not None and clean:
            self.parsed.put(key, value)
        return value

    def catalogue(self, folder: Path) -> tuple[Catalogue, list[Problem]]:
        """The catalogue in `folder`, with its lookup tables; from the parse cache when
        its files did not change."""
        if self.parsed is None:
            return load_catalogue(folder)
        try:
            data = [
                (folder / name).read_bytes()
                for name in CATALOGUE_FILES
                if (folder / name).is_file()
            ]
        except OSError:
            return load_catalogue(folder)
        key = self.parsed.key(b"catalogue", *data)
        found = self.parsed.get(key)
        if isinstance(found, Catalogue):
            return found, []
        catalogue, problems = load_catalogue(folder)
        if not problems:
            self.parsed.put(key, catalogue.worked_out())
        return catalogue, problems

    def report(self, path: Path) -> Reporter:
        rep = Reporter(str(path))
        self.reports.append(rep)
        return rep

    def claim_id(self, rep: Reporter, raw: dict, kind: str) -> None:
        ident = raw.get("id")
        if not ident:
            return
        key = f"{kind}:{ident}"
        if key in self.ids:
            other_path, other_line = self.ids[key]
            rep.problems.append(
                Problem(
                    rep.path,
                    raw["_line"],
                    f"duplicate {kind} id `{ident}` (first at {other_path}:{other_line})",
                )
            )
        else:
            self.ids[key] = (rep.path, raw["_line"])


def _service_from(raw: dict, path: Path) -> Service:
    sid = raw["id"]
    facts = tuple(
        Fact(f["id"], sid, f["text"], _tuple(f, "about"), f["source"])
        for f in raw.get("facts") or ()
        if f and f.get("id") and f.get("text") and f.get("source")
    )
    relations = tuple(
        Relation(r["kind"], r["service"], r["text"])
        for r in raw.get("relations") or ()
        if r and r.get("kind") and r.get("service") and r.get("text")
    )
    name = raw["name"]
    return Service(
        id=sid,
        name=name,
        short=raw.get("short") or name,
        aliases=_tuple(raw, "aliases"),
        stands_for=raw.get("stands_for"),
        category=raw["category"],
        kind=raw.get("kind") or "service",
        summary=raw["summary"],
        traits=dict(raw.get("traits") or {}),
        trait_notes=dict(raw.get("trait_notes") or {}),
        facts=facts,
        use_cases=_tuple(raw, "use_cases"),
        not_for=_tuple(raw, "not_for"),
        relations=relations,
        path=str(path),
    )


def load_knowledge(root: Path | str | None = None, parsed: ParseCache | None = None) -> Knowledge:
    """Load and check the knowledge in `root`; raise KnowledgeError listing every problem.
    `parsed` keeps the checked YAML files and the catalogue between loads."""
    root = Path(root) if root is not None else default_knowledge_dir()
    if not root.is_dir():
        raise KnowledgeError([Problem(str(root), 1, "knowledge directory not found")])
    build = _Builder(root, parsed)
    note_names = {p.name for p in (root / "notes").glob("*") if p.suffix in NOTE_SUFFIXES}

    # rules and vocabulary first: services are checked against the declared traits.
    rules_path = root / "rules.yaml"
    rules_raw = build.load(rules_path, schema.RULES, build.report(rules_path)) or {}
    traits = {k: v for k, v in (rules_raw.get("traits") or {}).items() if v}
    needs: list[Need] = []
    rules_rep = build.reports[-1]
    for raw in rules_raw.get("needs") or ():
        if not raw or not raw.get("id"):
            continue
        build.claim_id(rules_rep, raw, "need")
        if raw.get("trait") not in traits or raw.get("scope", raw.get("trait")) not in traits:
            rules_rep.problems.append(
                Problem(str(rules_path), raw["_line"], f"need `{raw['id']}`: unknown trait")
            )
        if not raw.get("phrases") and not raw.get("parameter"):
            rules_rep.problems.append(
                Problem(str(rules_path), raw["_line"], f"need `{raw['id']}`: no phrases")
            )
        for key in ("fails", "passes", "within", "scenario"):
            wrong = _placeholder_problem(raw.get(key))
            if wrong:
                rules_rep.problems.append(
                    Problem(str(rules_path), raw["_line"], f"need `{raw['id']}`.{key}: {wrong}")
                )
        needs.append(
            Need(
                id=raw["id"],
                phrases=_tuple(raw, "phrases"),
                unless=_tuple(raw, "unless"),
                parameter=raw.get("parameter"),
                trait=raw.get("trait") or "",
                scope=raw.get("scope"),
                test=raw.get("test") or "true",
                hard=bool(raw.get("hard", True)),
                fails=raw.get("fails") or "",
                passes=raw.get("passes"),
                within=raw.get("within"),
                scenario=raw.get("scenario"),
            )
        )
    durations = {k: float(v) for k, v in (rules_raw.get("durations") or {}).items() if is_number(v)}
    run_words = frozenset(str(w).lower() for w in rules_raw.get("run_words") or ())
    taking_words = frozenset(str(w).lower() for w in rules_raw.get("taking_words") or ())
    query_words = frozenset(str(w).lower() for w in rules_raw.get("query_words") or ())
    rules = Rules(traits, tuple(needs), durations, run_words, taking_words, query_words)

    vocab_path = root / "vocabulary.yaml"
    vocab_raw: dict = {}
    if vocab_path.exists():
        vocab_raw = build.load(vocab_path, schema.VOCABULARY, build.report(vocab_path)) or {}
    vocabulary = Vocabulary(
        shorthand={k: v for k, v in (vocab_raw.get("shorthand") or {}).items() if v},
        synonyms=tuple(tuple(g) for g in vocab_raw.get("synonyms") or () if g and all(g)),
        off_topic=_tuple(vocab_raw, "off_topic"),
        other_clouds=_tuple(vocab_raw, "other_clouds"),
        section_words=_tuple(vocab_raw, "section_words"),
        quantities=tuple(
            Quantity(
                str(kind), _tuple(entry, "asked_by"), _tuple(entry, "units"), _tuple(entry, "marks")
            )
            for kind, entry in (vocab_raw.get("quantities") or {}).items()
            if isinstance(entry, dict)
        ),
    )

    services: dict[str, Service] = {}
    service_lines: dict[str, tuple[Reporter, dict]] = {}
    for path in _yaml_files(root / "services"):
        rep = build.report(path)
        raw = build.load(path, schema.SERVICE, rep)
        if not isinstance(raw, dict) or not all(
            raw.get(k) for k in ("id", "name", "category", "summary")
        ):
            continue
        build.claim_id(rep, raw, "service")
        for fact in raw.get("facts") or ():
            if fact:
                build.claim_id(rep, fact, "fact")
                _check_source(rep, fact, note_names)
        _check_traits(rep, raw, traits)
        if raw["id"] not in services:
            services[raw["id"]] = _service_from(raw, path)
            service_lines[raw["id"]] = (rep, raw)

    for rep, raw in service_lines.values():
        for relation in raw.get("relations") or ():
            if relation and relation.get("service") and relation["service"] not in services:
                rep.problems.append(
                    Problem(
                        rep.path,
                        relation["_line"],
                        f"relation names unknown service `{relation['service']}`",
                    )
                )
    _check_aliases(services, service_lines)

    comparisons: list[Comparison] = []
    for path in _yaml_files(root / "comparisons"):
        rep = build.report(path)
        for raw in build.load(path, schema.ListOf(schema.COMPARISON), rep) or ():
            if not raw or not raw.get("id") or not raw.get("services"):
                continue
            build.claim_id(rep, raw, "comparison")
            _check_source(rep, raw, note_names)
            named = [s for s in raw["services"] if s] + list((raw.get("choose") or {}).keys())
            unknown = [s for s in named if s not in services]
            for sid in dict.fromkeys(unknown):
                rep.problems.append(
                    Problem(rep.path, raw["_line"], f"comparison names unknown service `{sid}`")
                )
            comparisons.append(
                Comparison(
                    raw["id"],
                    tuple(s for s in raw["services"] if s),
                    raw.get("summary") or "",
                    _tuple(raw, "points"),
                    dict(raw.get("choose") or {}),
                    raw.get("source") or GENERAL_SOURCE,
                )
            )

    quiz: list[QuizQuestion] = []
    for path in _yaml_files(root / "quiz"):
        rep = build.report(path)
        for raw in build.load(path, schema.ListOf(schema.QUIZ_QUESTION), rep) or ():
            question = _quiz_from(raw, rep, services, note_names)
            if question is not None:
                build.claim_id(rep, raw, "quiz")
                quiz.append(question)

    errata = _errata(build, root / "errata.yaml")
    catalogue, catalogue_problems = build.catalogue(root / "catalogue")
    note_index, note_problems = index_notes(
        root / "notes", services.values(), catalogue, vocabulary.section_words, errata
    )
    for sid, keys in note_index.released.items():
        services[sid] = without_aliases(services[sid], keys)
    services.update(discovered_services(note_index, services, catalogue))
    problems = [p for rep in build.reports for p in rep.problems]
    problems += catalogue_problems + note_problems
    if not services:
        problems.append(
            Problem(
                str(root),
                1,
                "no services: add a file to services/ or a note naming an AWS service to "
                "notes/ (nothing could be answered)",
            )
        )
    if problems:
        raise KnowledgeError(problems)
    return Knowledge(
        root=root,
        services=services,
        comparisons=tuple(comparisons),
        quiz=tuple(quiz),
        rules=rules,
        vocabulary=vocabulary,
        notes=tuple(note_index.statements),
        note_files=tuple(note_index.files),
        note_index=note_index,
        catalogue=catalogue,
        topics=note_topics(note_index),
    )


def _errata(build: _Builder, path: Path) -> list[Erratum]:
    """The corrections to note lines (optional file)."""
    if not path.is_file():
        return []
    rep = build.report(path)
    errata: list[Erratum] = []
    for raw in build.load(path, schema.ListOf(schema.ERRATUM), rep) or ():
        if not isinstance(raw, dict) or not all(raw.get(k) for k in ("note", "wrong", "right")):
            continue
        line = raw.get("line")
        if not isinstance(line, int) or isinstance(line, bool) or line < 1:
            rep.problems.append(Problem(rep.path, raw["_line"], "`line` must be a line number"))
            continue
        where = f"{path}:{raw['_line']}"
        errata.append(Erratum(raw["note"], line, raw["wrong"], raw["right"], raw["why"], where))
    return errata


PLACEHOLDERS = ("limit", "value")  # what Need.text fills in a reason or scenario


def _placeholder_problem(template: object) -> str | None:
    """What is wrong with the {placeholders} of a rule text, or None: a typo such as
    {limt} passed the loader and then failed every answer that showed the reason."""
    if not isinstance(template, str):
        return None
    try:
        names = [name for _, name, _, _ in string.Formatter().parse(template) if name is not None]
    except ValueError as error:  # "{limit" or a lone "}"
        return f"broken placeholder ({error}); write {{limit}} or {{value}}, or {{{{ for a brace"
    unknown = [name for name in names if name not in PLACEHOLDERS]
    if unknown:
        return f"unknown placeholder {{{unknown[0]}}}; the known ones are " + " and ".join(
            f"{{{name}}}" for name in PLACEHOLDERS
        )
    return None


def is_number(value: object) -> TypeGuard[int | float]:
    """An int or a float, not a bool (YAML's yes/no load as bools, and bools are ints)."""
    return isinstance(value, int | float) and not isinstance(value, bool)


def _meets(test: str, limit: object, value: float | None) -> bool:
    if test == "true":
        return limit is True
    if test == "false":
        return limit is False
    if value is None:
        return True
    if test == "at_least":
        return limit is None or (isinstance(limit, int | float) and limit >= value)
    return limit is None or (isinstance(limit, int | float) and limit <= value)


def number_text(value: object) -> str:
    """A number as people write it: 15, not 15.0; 1.5 stays 1.5."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, float):
        return f"{value:.1f}"
    return str(value)


_DURATION_STEPS = ((1440.0, "day"), (60.0, "hour"), (1.0, "minute"), (1 / 60, "second"))


def quantity_text(parameter: str | None, value: object) -> str:
    """A parameter's number in the unit a person would say: minutes become "90 minutes",
    "2 hours" or "30 seconds"; memory below a gigabyte becomes "512 MB"."""
    if not is_number(value):
        return str(value)
    if parameter == "duration_minutes":
        for size, unit in _DURATION_STEPS:
            amount = value / size
            if value >= size and (amount.is_integer() or size <= 1.0 or amount >= 10):
                count = number_text(round(amount, 1) if amount < 10 else round(amount))
                return f"{count} {unit}{'' if count == '1' else 's'}"
        return "under a second"
    if parameter == "memory_gb":
        if value < 1:
            return f"{number_text(round(value * 1024))} MB"
        return f"{number_text(value)} GB"
    return number_text(value)


def _check_source(rep: Reporter, raw: dict, note_names: set[str]) -> None:
    source = raw.get("source")
    if source and source != GENERAL_SOURCE and source not in note_names:
        rep.problems.append(
            Problem(
                rep.path,
                raw["_line"],
                f"source `{source}` is neither a file in notes/ nor `{GENERAL_SOURCE}`",
            )
        )


def _check_traits(rep: Reporter, raw: dict, traits: dict[str, dict[str, str]]) -> None:
    stated = raw.get("traits") or {}
    for name in raw.get("trait_notes") or {}:
        if stated.get(name) is not True and not is_number(stated.get(name)):
            rep.problems.append(
                Problem(
                    rep.path,
                    raw["_line"],
                    f"trait note `{name}` needs the trait `{name}`: true or a number",
                )
            )
    for name, value in (raw.get("traits") or {}).items():
        declared = traits.get(name)
        if declared is None:
            rep.problems.append(
                Problem(
                    rep.path, raw["_line"], f"unknown trait `{name}` (declare it in rules.yaml)"
                )
            )
        elif declared.get("type") == "bool" and not isinstance(value, bool):
            rep.problems.append(
                Problem(rep.path, raw["_line"], f"trait `{name}` must be true or false")
            )
        elif declared.get("type") == "number" and not is_number(value):
            rep.problems.append(Problem(rep.path, raw["_line"], f"trait `{name}` must be a number"))


def _check_aliases(services: dict[str, Service], lines: dict[str, tuple[Reporter, dict]]) -> None:
    owners: dict[str, str] = {}
    for sid, service in services.items():
        for alias in {
            service.name.lower(),
            service.short.lower(),
            *map(str.lower, service.aliases),
        }:
            other = owners.setdefault(alias, sid)
            if other != sid:
                rep, raw = lines[sid]
                rep.problems.append(
                    Problem(rep.path, raw["_line"], f"alias `{alias}` is also used by `{other}`")
                )


def _quiz_from(
    raw: object, rep: Reporter, services: dict[str, Service], note_names: set[str]
) -> QuizQuestion | None:
    if not isinstance(raw, dict) or not all(
        raw.get(k) for k in ("id", "service", "question", "answer", "explanation", "difficulty")
    ):
        return None
    line = raw["_line"]
    options = tuple(o for o in raw.get("options") or () if o)
    ok = True
    if raw["service"] not in services:
        rep.problems.append(
            Problem(rep.path, line, f"quiz names unknown service `{raw['service']}`")
        )
        ok = False
    folded = Counter(o.casefold() for o in options)
    for option, count in folded.items():
        if count > 1:
            rep.problems.append(Problem(rep.path, line, f"option `{option}` appears {count} times"))
            ok = False
    if sum(1 for o in options if o == raw["answer"]) != 1:
        rep.problems.append(
            Problem(rep.path, line, "the answer must be exactly one of the four options")
        )
        ok = False
    _check_source(rep, raw, note_names)
    source = raw.get("source") or GENERAL_SOURCE
    why = _reasons(raw, options, source, rep, note_names)
    if not ok or len(options) != 4:
        return None
    return QuizQuestion(
        raw["id"],
        raw["service"],
        raw["question"],
        options,
        raw["answer"],
        raw["explanation"],
        raw["difficulty"],
        source,
        why,
    )


def _reasons(
    raw: dict, options: tuple[str, ...], source: str, rep: Reporter, note_names: set[str]
) -> dict[str, Reason]:
    """`why`: one reason for every option but the answer, each with its source (the
    question's unless it names its own), so the explanation covers every option."""
    why: dict[str, Reason] = {}
    given = raw.get("why") or {}
    for option, value in given.items():
        if option not in options or option == raw["answer"]:
            rep.problems.append(
                Problem(rep.path, raw["_line"], f"`why` names `{option}`, not a wrong option")
            )
        elif isinstance(value, dict) and value.get("text"):
            _check_source(rep, value, note_names)
            why[option] = Reason(value["text"], value.get("source") or source)
        elif isinstance(value, str):
            why[option] = Reason(value, source)
    missing = [o for o in options if o != raw["answer"] and o not in given]
    if missing:
        rep.problems.append(
            Problem(
                rep.path,
                raw["_line"],
                "`why` must say why each wrong option is wrong; missing: " + ", ".join(missing),
            )
        )
    return why
