"""Quiz questions made from the knowledge, so a new note or service brings new questions.

Four kinds, each with one answer by construction and a reason for every option:
- "which service…" from a use case that points at its own service clearly; the other
  options are services made for something else, and each says what;
- numbers from numeric traits ("Lambda: the longest a single run may last?");
- scenarios the decision rules settle ("A workload needs GPUs and runs for 30 minutes"):
  the answer meets every stated need, each other option fails one, and says which;
- a blank where a note states a limit ("up to ___ Gbps").
`checks.py` verifies the result independently by reading each question back.
"""

from __future__ import annotations

import itertools
import math
import random
import re
from collections import Counter
from collections.abc import Iterable

from bot.core.answering.index import Bm25Index
from bot.core.answering.reader import Lexicon
from bot.core.answering.retrieval import Retriever
from bot.core.knowledge.catalogue import PREFIXES
from bot.core.knowledge.loader import (
    GENERAL_SOURCE,
    Knowledge,
    Need,
    QuizQuestion,
    Reason,
    Service,
    is_number,
    number_text,
    quantity_text,
)
from bot.core.knowledge.model import CLOSED_TO_NEW_CUSTOMERS
from bot.core.knowledge.names import ServiceNames
from bot.core.knowledge.note_names import written_as
from bot.core.knowledge.notes import unit_of
from bot.core.knowledge.schema import QUIZ_OPTION_MAX
from bot.core.knowledge.text import words
from bot.core.study.wording import Wording

SERVICE = "service"  # the kind of a service file that is an AWS service (not a feature)
CONCEPT = "concept"  # a practice (CI/CD): what the services that do it are for, not one
SCENARIO_ANSWERS = 2  # right answers a scenario is asked with, so it does not repeat much
RIVAL_SHARE = 0.6  # a use case whose runner-up scores this share of the best is not clear
DISTRACTOR_SHARE = 0.45  # a distractor fits a use case at most this share of the answer
_CLOZE_LIMIT = 220
FACT_OVERLAP = 2  # shared terms that make a fact the reason a use case fits
EXPLANATION_MAX = 240


def wording_for(knowledge: Knowledge) -> Wording:
    """The wording learnt from this knowledge's curated prose and all its text."""
    curated = [s for s in knowledge.services.values() if not s.from_notes]
    prose = [s.summary for s in curated] + [f.text for s in curated for f in s.facts]
    prose += [c.summary for c in knowledge.comparisons]
    prose += [p for c in knowledge.comparisons for p in c.points]
    corpus = [u for s in knowledge.services.values() for u in (*s.use_cases, *s.not_for)]
    corpus += [statement.text for statement in knowledge.notes]
    names = [n for s in knowledge.services.values() for n in (s.name, s.short)]
    return Wording(prose, corpus, names)


class _Sources:
    """Where a sentence about a service is written: the note line of that service that
    shares the most words with it, else its first sourced fact."""

    def __init__(self, knowledge: Knowledge, lexicon: Lexicon) -> None:
        self.lexicon = lexicon
        retriever = Retriever(knowledge, lexicon)
        self.lines: dict[str, list[tuple[frozenset[str], str]]] = {}
        for service in knowledge.services.values():
            for fact in service.facts:
                where = retriever.fact_where.get(fact.id) or fact.source
                terms = frozenset(lexicon.terms(fact.text))
                self.lines.setdefault(service.id, []).append((terms, where))
        for statement in knowledge.notes:
            if statement.services:
                terms = frozenset(lexicon.terms(statement.text))
                self.lines.setdefault(statement.services[0], []).append((terms, statement.where))

    def of(self, service: Service, text: str) -> str:
        wanted = frozenset(self.lexicon.terms(text))
        lines = self.lines.get(service.id, [])
        if not lines:
            return GENERAL_SOURCE
        overlap, where = max(((len(wanted & t), w) for t, w in lines), key=lambda p: p[0])
        if overlap == 0:
            where = next((w for _, w in lines if w != GENERAL_SOURCE), GENERAL_SOURCE)
        return where or GENERAL_SOURCE


class _Generator:
    def __init__(self, knowledge: Knowledge, seed: int) -> None:
        self.knowledge = knowledge
        self.rng = random.Random(seed)
        self.services = sorted(knowledge.services.values(), key=lambda s: s.id)
        self.lexicon = Lexicon(knowledge, [u for s in self.services for u in s.use_cases])
        self.wording = wording_for(knowledge)
        self.sources = _Sources(knowledge, self.lexicon)
        self.names = ServiceNames(self.services)
        self.note_needs = frozenset(choice.need for choice in knowledge.note_index.choices)
        self.use_index = Bm25Index(
            [self.lexicon.terms(" ".join(s.use_cases)) for s in self.services]
        )
        fact_terms = [set(self.lexicon.terms(f.text)) for s in self.services for f in s.facts]
        self.fact_count = len(fact_terms)
        self.fact_use = Counter(term for terms in fact_terms for term in terms)

    def rarity(self, term: str) -> float:
        """How much a word says, by how few of all the facts use it (inverse frequency)."""
        return math.log((1 + self.fact_count) / (1 + self.fact_use[term]))

    def question(
        self,
        qid: str,
        service: Service,
        text: str,
        answer: tuple[str, str, str],
        wrong: list[tuple[str, str, str]],
        level: str,
    ) -> QuizQuestion | None:
        """A question from (option, reason, source) for the answer and each wrong one."""
        options = [answer[0], *(w[0] for w in wrong)]
        if len({o.casefold() for o in options}) != 4 or any(
            len(o) > QUIZ_OPTION_MAX for o in options
        ):
            return None
        why = {option: Reason(reason, source) for option, reason, source in wrong}
        return QuizQuestion(
            qid, service.id, text, tuple(options), answer[0], answer[1], level, answer[2], why
        )

    def distractors(
        self, correct: Service, pool: list[Service], exclude: Iterable[str] = ()
    ) -> list[Service]:
        """Three plausible wrong services: same category first, then neighbours."""
        banned = {correct.id, *exclude}
        same = [s for s in pool if s.category == correct.category and s.id not in banned]
        other = [s for s in pool if s.category != correct.category and s.id not in banned]
        self.rng.shuffle(same)
        self.rng.shuffle(other)
        return (same + other)[:3]

    # which service ---------------------------------------------------------------------

    def distinctive_use_cases(self) -> list[tuple[Service, str]]:
        """Use cases that point at their own service clearly (so there is one answer)."""
        chosen: list[tuple[Service, str]] = []
        for number, service in enumerate(self.services):
            for use_case in service.use_cases:
                ranked = self.use_index.best(self.lexicon.terms(use_case), limit=2)
                if not ranked or ranked[0][0] != number:
                    continue
                if len(ranked) > 1 and ranked[1][1] > ranked[0][1] * RIVAL_SHARE:
                    continue
                if self.names.find(use_case):
                    continue  # a use case that names a service gives the answer away
                reading = self.lexicon.read(use_case)
                if reading.needs or reading.duration_minutes or reading.memory_gb:
                    continue  # its answer hangs on a rule ("every 5 minutes"): not one answer
                chosen.append((service, use_case))
        return chosen

    def related(self, service: Service) -> set[str]:
        """Services built on, part of, or an alternative to this one, either way round:
        SAM templates are CloudFormation templates, so SAM is no plain wrong answer."""
        kinds = {"builds_on", "part_of", "alternative_to", "runs_on", "runs"}
        found = {r.service for r in service.relations if r.kind in kinds}
        found |= {
            other.id
            for other in self.services
            if any(r.service == service.id and r.kind in kinds for r in other.relations)
        }
        return found

    def called(self, service: Service, section: str) -> str:
        """The service as the note's section calls it: "Aurora" for a line under
        "AURORA (the cloud native one)", which the knowledge files under RDS."""
        for mention in self.names.find(section):
            if mention.service != service.id:
                continue
            said = words(section)[mention.start : mention.end]
            written = written_as(" ".join(said), section)
            if written is None:
                break
            bare = " ".join(said[1:] if said[0] in PREFIXES and len(said) > 1 else said)
            own = {n.lower() for n in (service.short, service.name)}
            if bare in own or any(f"{prefix} {bare}" in own for prefix in PREFIXES):
                break  # its own name, cased as the knowledge writes it
            if not written[:1].isupper():
                break  # "pipeline": a word for it, not a name
            return written.title() if written.isupper() and len(written) > 4 else written
        return service.short

    def what_it_is_for(self, service: Service, asked: str) -> tuple[str, str]:
        """Why a service is not the answer: what it is for instead (its use case sharing
        the fewest words with what was asked), and where that is said. When every one
        shares some ("database"), the reason says what was asked too, so it still tells
        why the option does not fit rather than describing the service."""
        wanted = set(self.lexicon.terms(asked))
        # Curated use cases are written to be read; a note's "need -> service" line is
        # chat shorthand, quoted as the note wrote it when it is all there is.
        written = [u for u in service.use_cases if u not in self.note_needs]
        overlap, use_case = min(
            ((len(wanted & set(self.lexicon.terms(u))), u) for u in written or service.use_cases),
            key=lambda pair: pair[0],
        )
        if use_case in self.note_needs:
            quoted = use_case.strip().rstrip(".")
            subject = self.wording.subject(service.short)
            sentence = f"{subject} what you would pick, in your notes' words, for “{quoted}”."
            return sentence, self.sources.of(service, use_case)
        contrast = asked if overlap else None
        sentence = self.wording.what_for(service.short, use_case, instead_of=contrast)
        return sentence, self.sources.of(service, use_case)

    def why_it_fits(self, service: Service, use_case: str) -> tuple[str, str]:
        """The fact of the service closest to the use case ("RDS automated backups …
        allow point-in-time restore"), or what the service is, and where that is said.
        Closest by the number of words they share; of facts sharing as many, the one
        whose shared words are rarer in the knowledge: "point in time" says more than
        "database" does of RDS."""
        wanted = set(self.lexicon.terms(use_case))
        facts = [
            (set(self.lexicon.terms(f.text)), f.text)
            for f in service.facts
            if all(m.service == service.id for m in self.names.find(f.text)[:1])
            and " stands for " not in f.text  # a name's expansion says nothing of the fit
            and len(f.text) <= EXPLANATION_MAX
        ]
        scored = [
            (len(wanted & terms), sum(self.rarity(t) for t in wanted & terms), text)
            for terms, text in facts
            if len(wanted & terms) >= FACT_OVERLAP
        ]
        if not scored:
            text = self.describe(service)
            return text, self.sources.of(service, text)
        text = max(scored, key=lambda s: s[:2])[2]
        source = self.sources.of(service, text)
        if service.from_notes:  # a note's own line, in its shorthand: quoted as written
            return f"In your notes' words: “{text.strip().rstrip('.')}”.", source
        return text, source

    def describe(self, service: Service) -> str:
        """What a service is, as a sentence: "Lambda runs your code as short functions…",
        "CloudFront is a content delivery network…", "Lightsail offers simple virtual
        private servers…", "Application Load Balancer is the layer 7 load balancer…"."""
        first = _first_sentence(service.summary, self.wording)
        if len(first) > EXPLANATION_MAX:
            first = first[: first.rfind(",", 0, EXPLANATION_MAX)]
        names = (service.name, service.short, service.stands_for or "")
        named = next((n for n in names if n and first.lower().startswith(n.lower())), None)
        if named:  # the summary names its subject: "Simple Notification Service, a …"
            rest = first[len(named) :]
            if rest.startswith(" (") and ")" in rest:  # "AWS SDKs (Software Development Kits)"
                named = first[: len(named) + rest.index(")") + 1]
                rest = first[len(named) :]
            if not rest.startswith(", "):
                return f"{first[:1].upper()}{first[1:]}."
            subject, first = first[: len(named)], rest[2:]
        else:
            subject = service.short
        opening = first.split(" ", 1)[0]
        following = first.split(" ", 2)[1] if " " in first else ""
        if self.wording.is_verb(opening, following.lower()) or self.wording.says(opening):
            return f"{subject[:1].upper()}{subject[1:]} {first}."
        return f"{self.wording.be(subject, first)}."

    def rivals(self, text: str) -> list[str]:
        """Services whose use cases fit the text more than a distractor may."""
        scores = dict(self.use_index.best(self.lexicon.terms(text), limit=None))
        best = max(scores.values(), default=0.0)
        return [
            s.id for n, s in enumerate(self.services) if scores.get(n, 0) > best * DISTRACTOR_SHARE
        ]

    def use_case_questions(self) -> list[QuizQuestion]:
        from_notes = self.note_needs
        questions: list[QuizQuestion] = []
        for service, use_case in self.distinctive_use_cases():
            if service.traits.get(CLOSED_TO_NEW_CUSTOMERS) or service.kind == CONCEPT:
                continue  # not one to start new work on; a practice, not a thing to use
            if use_case in from_notes:  # the notes' own words, whatever their grammar
                quoted = use_case.rstrip(".")
                text = f"Your notes say to use one of these when: “{quoted}”. Which one?"
            elif service.kind == SERVICE:
                text = self.wording.which_service(use_case)
            else:  # security groups, the SDKs: not services, so not asked for as one
                text = self.wording.which_service(use_case, asked="of these")
            # A rival fits the use case, or the question as worded, nearly as well.
            rivals = self.rivals(use_case) + self.rivals(text)
            kin = self.related(service)
            # each can say what it is for, and is still one to start new work on; a
            # service's question offers only services, so it can ask "which service"
            pool = [
                s
                for s in self.services
                if s.use_cases
                and not s.traits.get(CLOSED_TO_NEW_CUSTOMERS)
                and (s.kind == SERVICE or service.kind != SERVICE)
            ]
            wrong = self.distractors(service, pool, exclude=[*rivals, *kin])
            right, source = self.why_it_fits(service, use_case)
            qid = f"gen-use-{service.id}-{len(questions)}"
            q = self.which_one(qid, service, text, right, source, wrong, use_case)
            if q:
                questions.append(q)
        return questions

    def which_one(
        self,
        qid: str,
        service: Service,
        text: str,
        right: str,
        source: str,
        wrong: list[Service],
        asked: str,
    ) -> QuizQuestion | None:
        """A question whose options are services: the answer with why it fits, and each
        wrong one with what it is for instead of `asked`."""
        return self.question(
            qid,
            service,
            text,
            (service.short, right, source),
            [(w.short, *self.what_it_is_for(w, asked)) for w in wrong],
            "easy",
        )

    def definition_questions(self) -> list[QuizQuestion]:
        """ "Your notes describe one of these as “open-source CLI to …”": a service found
        in the notes, by the line that says what it is ("Copilot = open-source CLI…"),
        when that line does not name it again; the wrong options are services made for
        something else, each saying what."""
        questions: list[QuizQuestion] = []
        pool = [s for s in self.services if s.use_cases and s.kind == SERVICE]
        for service in self.services:
            said = _defined_as(service)
            if said is None or service.kind != SERVICE:
                continue
            named = {m.service for m in self.names.find(said)}
            if service.id in named or service.traits.get(CLOSED_TO_NEW_CUSTOMERS):
                continue  # the answer given away; not one to start new work on
            text = f"Your notes describe one of these as “{said.rstrip('.')}”. Which one?"
            exclude = [*self.rivals(said), *self.related(service), *named]
            wrong = self.distractors(service, pool, exclude=exclude)
            source = self.sources.of(service, service.summary)
            right = f"In your notes' words: “{service.summary.strip().rstrip('.')}”."
            q = self.which_one(f"gen-def-{service.id}", service, text, right, source, wrong, said)
            if q:
                questions.append(q)
        return questions

    # numbers ---------------------------------------------------------------------------

    def numeric_questions(self) -> list[QuizQuestion]:
        questions: list[QuizQuestion] = []
        for need in self.knowledge.rules.needs:
            trait = self.knowledge.rules.traits.get(need.trait, {})
            if not need.parameter or trait.get("type") != "number":
                continue
            for service in self.services:
                limit = service.traits.get(need.trait)
                if not is_number(limit) or service.traits.get(CLOSED_TO_NEW_CUSTOMERS):
                    continue
                if need.trait in service.trait_notes:
                    continue  # a limit that holds only one way (standard Lambda functions)
                value = int(limit) if float(limit).is_integer() else limit
                wrong_values = sorted({value * 2, value * 4, max(1, value // 3)} - {value})
                if len(wrong_values) < 3:
                    continue
                said = f"{service.short} {need.text(need.fails, limit=value, value=value)}."
                source = self.sources.of(service, said)
                description = trait.get("description", need.trait).split(";")[0]
                q = self.question(
                    f"gen-limit-{service.id}-{need.id}",
                    service,
                    f"What is {description} on {service.short}?",
                    (quantity_text(need.parameter, value), said, source),
                    [
                        (quantity_text(need.parameter, v), f"Not so: {said}", source)
                        for v in wrong_values[:3]
                    ],
                    "medium",
                )
                if q:
                    questions.append(q)
        self.rng.shuffle(questions)
        return questions

    # scenarios -------------------------------------------------------------------------

    def conditions(self) -> list[tuple[Need, float | None]]:
        """What a scenario can state: each hard need with a quiz phrase; a number need
        once per distinct limit, at twice that limit (Lambda's 15 minutes: "30 minutes")."""
        found: list[tuple[Need, float | None]] = []
        for need in self.knowledge.rules.needs:
            if not need.hard or not need.scenario:
                continue
            if not need.parameter:
                found.append((need, None))
                continue
            limits = {s.traits.get(need.trait) for s in self.services}
            found += [(need, 2 * x) for x in sorted(x for x in limits if is_number(x) and x > 0)]
        return found

    def scenario_questions(self) -> list[QuizQuestion]:
        """One option meets every stated need; the three others each fail one of them."""
        conditions = self.conditions()
        scenarios = [(c,) for c in conditions] + [
            (a, b) for a, b in itertools.combinations(conditions, 2) if a[0].id != b[0].id
        ]
        questions: list[QuizQuestion] = []
        for scenario in scenarios:
            scoped = [
                s
                for s in self.services
                if s.kind == SERVICE  # "which of these services can run it?"
                and all(s.traits.get(n.scope or "") for n, _ in scenario)
                and all(n.trait in s.traits or n.parameter for n, _ in scenario)
                # "serverless when its pods run on Fargate": true only one way, so neither
                # the plain answer nor a plain wrong one
                and not any(n.trait in s.trait_notes for n, _ in scenario)
            ]
            verdicts = {
                s.id: [n.judge(s.traits, v, s.trait_notes) for n, v in scenario] for s in scoped
            }
            meet = [
                s
                for s in scoped
                if all(ok for ok, _ in verdicts[s.id]) and not s.traits.get(CLOSED_TO_NEW_CUSTOMERS)
            ]
            fail = [s for s in scoped if not all(ok for ok, _ in verdicts[s.id])]
            if len(fail) < 3:
                continue
            wording = self.wording.second_person(
                " and ".join(
                    need.text(need.scenario or "", value=value) for need, value in scenario
                )
            )
            slug = "-".join(n.id + (f"-{number_text(v)}" if v else "") for n, v in scenario)
            self.rng.shuffle(meet)
            for correct in meet[:SCENARIO_ANSWERS]:
                passes = _joined([text for _, text in verdicts[correct.id]])
                right = f"{correct.short} {passes}."
                wrong = []
                for other in self.distractors(correct, fail):
                    failing = _joined([text for ok, text in verdicts[other.id] if not ok])
                    said = f"{other.short} {failing}."
                    wrong.append((other.short, said, self.sources.of(other, said)))
                q = self.question(
                    f"gen-scenario-{slug}-{correct.id}",
                    correct,
                    f"A workload {wording}. Which of these services can run it?",
                    (correct.short, right, self.sources.of(correct, right)),
                    wrong,
                    "medium" if len(scenario) == 1 else "hard",
                )
                if q:
                    questions.append(q)
        return questions

    # blanks in a note ------------------------------------------------------------------

    def note_limit_questions(self) -> list[QuizQuestion]:
        """A blank where a note states a limit ("up to ___ Gbps"); the wrong options are
        the same number scaled, none of which the statement says."""
        statements = {s.id: s for s in self.knowledge.notes}
        questions: list[QuizQuestion] = []
        seen: set[str] = set()
        for limit in self.knowledge.note_index.limits:
            statement = statements[limit.statement]
            service = self.knowledge.services.get(limit.service)
            if service is None or statement.id in seen or len(statement.text) > _CLOZE_LIMIT:
                continue
            match = _number_in(statement.text, limit.value, limit.unit)
            if match is None:
                continue
            said = {_as_float(m.group(0)) for m in _NUMBER.finditer(statement.text)}
            wrong = [
                v
                for v in (limit.value * 10, limit.value / 2, limit.value * 2, limit.value / 10)
                if v not in said and v > 0 and (limit.unit != "%" or v <= 100)
            ]
            if len(wrong) < 3:
                continue
            seen.add(statement.id)
            cloze = statement.text[: match.start()] + "___" + statement.text[match.end() :]
            unit = _unit_as_written(statement.text[match.end() :], limit.unit)
            right = _amount(limit.value, unit)
            where = statement.where
            q = self.question(
                f"gen-note-{statement.id}",
                service,
                f"From your notes on {self.called(service, statement.context)}: “{cloze}” "
                "What goes in the blank?",
                (right, f"The note says: {statement.text}", where),
                [(_amount(v, unit), f"Not so: the note says {right}.", where) for v in wrong[:3]],
                "medium",
            )
            if q:
                questions.append(q)
        return questions


def generate_questions(knowledge: Knowledge, seed: int = 3) -> list[QuizQuestion]:
    """Every generated question; the same knowledge and seed give the same questions."""
    generator = _Generator(knowledge, seed)
    return (
        generator.use_case_questions()
        + generator.definition_questions()
        + generator.numeric_questions()
        + generator.scenario_questions()
        + generator.note_limit_questions()
    )


_NUMBER = re.compile(r"\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?")
# "Copilot = open-source CLI…", "Glacier is the cheapest storage…" (not "X is billed…",
# "X is us-west-2 only": those say something of it, not what it is)
_DEFINES = re.compile(r"^(.{1,40}?)\s+(?:=\s+(.+)|(?:is|are)\s+((?:an?|the|\S+['’]s)\s.+))$")
_MIN_DEFINITION_WORDS = 4  # "a CLI tool" alone does not tell one service from another


def _defined_as(service: Service) -> str | None:
    """What a service found in the notes is, when its summary says so by one of its
    names: "open-source CLI to …" of "Copilot = open-source CLI to …"."""
    if not service.from_notes:
        return None  # a curated service is asked about by its curated use cases
    match = _DEFINES.match(service.summary.replace("*", ""))
    if match is None:
        return None
    own = {w for n in (service.name, service.short, *service.aliases) for w in words(n)}
    subject = set(words(match.group(1))) - set(PREFIXES)
    said = (match.group(2) or match.group(3)).strip()
    if not subject or not subject <= own or len(said.split()) < _MIN_DEFINITION_WORDS:
        return None
    return said


def _joined(clauses: list[str]) -> str:
    """Reasons said of one service as one sentence: "stops a run at 15 minutes and has
    no GPUs"; a clause with its own comma ("up to 120 GB, enough for 20 GB") is closed
    by one before the "and", so the next clause is not read as part of it."""
    if len(clauses) < 2:
        return "".join(clauses)
    glue = ", and " if any("," in c for c in clauses[:-1]) else " and "
    return ", ".join(clauses[:-1]) + glue + clauses[-1]


def _as_float(text: str) -> float:
    return float(text.replace(",", ""))


def _number_in(text: str, value: float, unit: str) -> re.Match[str] | None:
    """Where the text gives the value in the unit: in "1 AZ is standby, failover < 1
    min", the 1 of "1 min"."""
    for match in _NUMBER.finditer(text):
        written = _word_after(text[match.end() :])
        if _as_float(match.group(0)) == value and written and unit in (written, unit_of(written)):
            return match
    return None


def _word_after(text: str) -> str | None:
    """The word or % right after a number ("TiB" in " TiB volume")."""
    found = re.match(r"\s?([A-Za-z]+|%)", text)
    return found.group(1) if found else None


def _unit_as_written(after: str, unit: str) -> str:
    """The unit as the note writes it after the number ("128 TiB", not "128 TB")."""
    written = _word_after(after)
    return written if written and unit_of(written) == unit else unit


def _amount(value: float, unit: str) -> str:
    """ "1 minute", "7 days", "99.999%"."""
    number = f"{_tidy(value):g}"
    if unit == "%":
        return f"{number}%"
    if number == "1" and unit.endswith("s") and len(unit) > 2:
        unit = unit[:-1]
    return f"{number} {unit}"


def _tidy(value: float) -> float:
    """A number as a note would write it: 99.999 stays 99.999, 0.1 * 3 is 0.3."""
    return float(f"{value:.6g}")


def _first_sentence(text: str, wording: Wording) -> str:
    """A summary's first sentence to follow a colon: lower-cased at the start unless a
    name opens it ("global DNS service…", "AWS compute…")."""
    first = re.split(r"(?<=[.;])\s", text.strip(), maxsplit=1)[0].rstrip(".;")
    return wording.cased(first[:1].lower() + first[1:])
