"""Finding candidates for a question: services by what they are for, facts and note
statements by what they say. BM25 over index terms, with synonyms and stems folded by
the reader; a fact covering more of the question's terms ranks higher (coordination).

Static word embeddings (wordllama) were tried here as a second, semantic signal fused
with BM25; on questions never tuned on they did not lift accuracy (check halves: 173 of
219 right without, 168 with) and cost 0.6 s and 100 MB per start, so they are not used.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace

from bot.core.answering.index import Bm25Index
from bot.core.answering.reader import Lexicon, Reading
from bot.core.answering.thresholds import (
    ASKED_TERM_WEIGHT,
    FACT_COORDINATION,
    FACT_PROXIMITY,
    MAX_LIST_MATES,
    MAX_TOPIC_WORDS,
    MIN_COVERAGE,
    MIN_FACT_SCORE,
    MIN_FIT_SCORE,
    MIN_SOURCE_OVERLAP,
    MIN_TELLING_WEIGHT,
    NAME_WORD_WEIGHT,
    NOTE_WEIGHT,
    QUANTITY_BOOST,
    SIBLING_REACH,
    SUB_POINT_REACH,
)
from bot.core.knowledge.loader import GENERAL_SOURCE, Knowledge
from bot.core.knowledge.model import Service
from bot.core.knowledge.text import STOPWORDS, words

# Words that frame a question rather than say what it is about.
FRAME_WORDS = frozenset(
    """what is are does do tell about explain describe define definition overview service
    services aws amazon mean stand stands for acronym short full form name info which
    should use recommend pick choose option options need want run know knows""".split()
)


def _unless_said(topic: str, topic_words: list[str], text: str) -> str:
    """The topic a quoted line needs, unless the line says it itself: an item under a
    heading may not say what it is about."""
    said = set(words(text))
    return "" if not topic or any(w in said for w in topic_words) else topic


# "X = Y" or "X: Y" opening a statement, X a short name: the statement says what X is.
_DEFINITION = re.compile(r"^\s*([^=:;,.()]{1,40}?)(?:\s+=|:)\s")


def _defined(text: str) -> str:
    """What a statement defines ("rolling" in "rolling = deploy in batches"), or ""."""
    match = _DEFINITION.match(text)
    return match.group(1) if match and len(match.group(1).split()) <= 4 else ""


def service_sources(service: Service) -> list[str]:
    """The notes a service's facts come from (general knowledge has none)."""
    return [s for s in service.sources if s != GENERAL_SOURCE][:2]


@dataclass(frozen=True)
class Doc:
    """A fact or note statement the engine can quote."""

    text: str
    services: tuple[str, ...]
    where: str  # "note.txt:12" a person can look up, or "" for general knowledge
    in_note: bool = False  # a note's own sentence (its siblings share `where`)
    heading_names: frozenset[str] = frozenset()  # services its heading names ("SNS vs SQS")
    lead_in: str = ""  # the line introducing the list it is an item of
    parent: str = ""  # where the bullet it is a sub-point of sits ("note.md:15")
    topic: str = ""  # the part of a service its section is on ("Contact Lens"), if named
    lead: str = ""  # the item a later sentence of it goes on about ("Basic")

    @property
    def file(self) -> str:
        return self.where.rsplit(":", 1)[0]


MAX_LEAD_WORDS = 6  # "GDB vs AF: …" leads a statement; a longer opening is a clause


class Retriever:
    """Everything the engine looks candidates up in, built once per knowledge load:
    services by what they are for, and facts and note statements by what they say."""

    def __init__(self, knowledge: Knowledge, lexicon: Lexicon) -> None:
        self.lexicon = lexicon
        self.services = list(knowledge.services.values())
        self.position = {s.id: n for n, s in enumerate(self.services)}
        self.frame_terms = frozenset(lexicon.term(w) for w in FRAME_WORDS)
        # Each statement's terms, and each heading's, worked out once per load.
        said = [lexicon.terms(statement.text) for statement in knowledge.notes]
        self._statements_in: dict[str, list[tuple[frozenset[str], str]]] = {}
        for statement, its_terms in zip(knowledge.notes, said, strict=True):
            entry = (frozenset(its_terms), statement.where)
            self._statements_in.setdefault(statement.file, []).append(entry)
        # Where each curated fact sits in its note, worked out once per load.
        self.fact_where = {
            fact.id: self.where(fact.source, fact.text)
            for service in self.services
            for fact in service.facts
        }
        self.fit_index = Bm25Index([self._fit_terms(s) for s in self.services])
        self.docs: list[Doc] = []
        terms: list[list[str]] = []
        weights: list[float] = []
        for service in self.services:
            if service.from_notes:
                continue  # its facts are the note statements indexed below
            for fact in service.facts:
                self.docs.append(Doc(fact.text, (service.id,), self.fact_where[fact.id]))
                terms.append(lexicon.terms(f"{fact.text} {' '.join(fact.about)}"))
                weights.append(1.0)
        section_words = frozenset(knowledge.vocabulary.section_words)
        # Per heading, as many lines share one: its topic, the services it names, its terms.
        topics: dict[str, tuple[str, list[str]]] = {}
        heading_names: dict[str, frozenset[str]] = {}
        heading_terms: dict[str, list[str]] = {}
        for statement, its_terms in zip(knowledge.notes, said, strict=True):
            context = statement.context
            if context not in topics:
                topics[context] = self._heading_topic(context, section_words)
                heading_names[context] = frozenset(m.service for m in lexicon.names.find(context))
                heading_terms[context] = lexicon.terms(context)
            self.docs.append(
                Doc(
                    statement.text,
                    statement.services,
                    statement.where,
                    True,
                    heading_names[context],
                    statement.lead_in,
                    f"{statement.file}:{statement.parent}" if statement.parent else "",
                    _unless_said(*topics[context], statement.text),
                    statement.lead,
                )
            )
            terms.append(its_terms + heading_terms[context])
            weights.append(NOTE_WEIGHT)
        self.fact_index = Bm25Index(terms, weights, FACT_COORDINATION, FACT_PROXIMITY)
        # What each statement defines: the terms of "rolling" in "rolling = deploy in…".
        self.defines = [frozenset(lexicon.terms(_defined(doc.text))) for doc in self.docs]
        self.quantity_kinds = [lexicon.quantities.kinds_in(doc.text) for doc in self.docs]
        self._siblings: dict[str, list[int]] = {}
        self._list_mates: dict[tuple[str, str], list[int]] = {}
        self._sub_points: dict[str, list[int]] = {}
        for number, doc in enumerate(self.docs):
            if doc.in_note:
                self._siblings.setdefault(doc.where, []).append(number)
            if doc.parent:
                self._sub_points.setdefault(doc.parent, []).append(number)
            if doc.lead_in:
                self._list_mates.setdefault((doc.file, doc.lead_in), []).append(number)
        # The statements of sections whose heading names these services ("SNS vs SQS").
        self.under_heading: dict[frozenset[str], list[Doc]] = {}
        # The statements led by the services they set side by side ("**GDB vs AF**: …").
        self.under_lead: dict[frozenset[str], list[Doc]] = {}
        lead_names: dict[str, frozenset[str]] = {}
        for doc in self.docs:
            if doc.heading_names:
                self.under_heading.setdefault(doc.heading_names, []).append(doc)
            label, colon, _ = doc.text.partition(": ")
            lead = doc.lead or (label if colon and len(label.split()) <= MAX_LEAD_WORDS else "")
            if lead:
                if lead not in lead_names:
                    found = lexicon.names.find(lead)
                    lead_names[lead] = frozenset(m.service for m in found)
                if len(lead_names[lead]) >= 2:
                    self.under_lead.setdefault(lead_names[lead], []).append(doc)
        self.docs_of: dict[str, set[int]] = {s.id: set() for s in self.services}
        for number, doc in enumerate(self.docs):
            for sid in doc.services:
                self.docs_of.setdefault(sid, set()).add(number)
        self.own_terms = {
            s.id: set(lexicon.terms(f"{s.id} {s.name} {s.short} {s.stands_for or ''}"))
            for s in self.services
        }
        self.alias_terms = {  # its one-word aliases ("eb"): which service, not what of it
            s.id: set(lexicon.terms(" ".join(a for a in s.aliases if " " not in a)))
            for s in self.services
        }
        # The terms a service's facts are asked by ("max memory", "pricing").
        self.fact_asks = {
            s.id: [frozenset(lexicon.terms(a)) for f in s.facts for a in f.about]
            for s in self.services
        }

    def where(self, source: str, text: str) -> str:
        """Where in the notes a curated text comes from: the line of its note that shares
        the most words with it ("note.txt:41"), the note alone, or "" if general."""
        if not source or source == GENERAL_SOURCE:
            return ""
        wanted = frozenset(self.lexicon.terms(text))
        lines = self._statements_in.get(source, [])
        overlap, where = max(((len(wanted & t), w) for t, w in lines), default=(0, source))
        return where if overlap >= MIN_SOURCE_OVERLAP else source

    # --- what services are for -------------------------------------------------------

    def _fit_terms(self, service: Service) -> list[str]:
        """What a service is for, as index terms: its summary, its facts (without the
        other services they name) and its use cases, which count twice. Its own names
        are left out: a question that names it is matched by name, and other services'
        use cases that name it ("trigger a lambda on a schedule") should win on them."""
        parts = [service.summary, service.stands_for or ""] + list(service.use_cases) * 2
        parts += [self.without_names(fact.text) for fact in service.facts]
        own = set(self.lexicon.terms(f"{service.id} {service.short}"))
        return [t for t in self.lexicon.terms(" ".join(parts)) if t not in own]

    def without_names(self, text: str) -> str:
        """The text with the services it names left out: a statement about a NAT gateway
        that mentions S3 says nothing about what the NAT gateway is for."""
        tokens = words(text)
        for mention in reversed(self.lexicon.names.find(text)):
            del tokens[mention.start : mention.end]
        return " ".join(tokens)

    def content(self, reading: Reading) -> list[str]:
        """The question's terms without the words that only frame it ("what is")."""
        return [t for t in reading.terms if t not in self.frame_terms]

    def fit_query(self, reading: Reading) -> list[str]:
        """The question's terms for matching use cases, with the words of the services it
        names: "give my lambda permission" matches IAM's "give a lambda permission"."""
        return self.content(reading) + reading.name_terms

    def fit_scores(self, reading: Reading) -> dict[int, float]:
        """How well each service's purpose fits the question, 0..1 against the best."""
        lexical = self.fit_index.scores(self.fit_query(reading))
        top = max(lexical.values(), default=0.0) or 1.0
        return {number: score / top for number, score in lexical.items()}

    def in_scope(self, reading: Reading) -> bool:
        """Whether some service's use cases explain the question well enough to answer.

        One shared everyday word ("team", "time") is not enough: the best service must
        match two terms strongly, or most of a short question with a telling term.
        """
        terms = self.content(reading)
        best = self.fit_index.best(terms, limit=1)
        if not best:
            return False
        number, score = best[0]
        matched = self.fit_index.matched(terms, number)
        weight = sum(self.fit_index.term_weight(t) for t in sorted(matched))
        total = sum(self.fit_index.term_weight(t) for t in dict.fromkeys(terms))
        if len(matched) >= 2 and score >= MIN_FIT_SCORE:
            return True
        return weight / total >= MIN_COVERAGE and weight >= MIN_TELLING_WEIGHT

    def coverage(self, terms: list[str]) -> float:
        """Share of the question's meaning (IDF-weighted) that the knowledge knows at all."""
        total = known = 0.0
        for term in dict.fromkeys(terms):
            weight = self.fit_index.term_weight(term)
            total += weight
            if term in self.fit_index or term in self.fact_index:
                known += weight
        return known / total if total else 0.0

    # --- what facts say ---------------------------------------------------------------

    def best_docs(
        self,
        terms: list[str],
        allowed: set[int] | None,
        limit: int = 3,
        asks: str | None = None,
        weights: Mapping[str, float] | None = None,
    ) -> list[tuple[int, float]]:
        """Facts and note statements on the terms, best first; with `asks` (a kind of
        quantity, "duration"), those giving that kind of quantity rank higher; `weights`
        scale some terms (see `term_weights`)."""
        if not terms and (asks is None or allowed is None):
            return []
        if asks is None:
            return self.fact_index.best(terms, allowed, limit, weights)
        found = self.fact_index.best(terms, allowed, max(limit * 4, 12), weights)
        sharing = {n for n, _ in found}  # the statements that share a word with the question
        # A sentence of a line that shares words shares them too: "Supported files: … .pdf.
        # Max 50 MB per file." is one line, read as two statements.
        lines = {self.docs[n].where for n in sharing if self.docs[n].in_note}
        if allowed is not None:  # the named services' statements giving that kind
            found += [
                (n, MIN_FACT_SCORE)
                for n in sorted(allowed)
                if n not in sharing and asks in self.quantity_kinds[n]
            ]
        boosted = [
            (n, score * QUANTITY_BOOST if asks in self.quantity_kinds[n] else score)
            for n, score in found
        ]
        # Of the named services' own statements, one giving the kind of quantity asked
        # answers before any that only shares words ("how far back": "13 months"); of
        # those, one that also shares words before one that shares none.
        gives_first = allowed is not None
        return sorted(
            boosted,
            key=lambda item: (
                not (gives_first and asks in self.quantity_kinds[item[0]]),
                item[0] not in sharing and self.docs[item[0]].where not in lines,
                -item[1],
                item[0],
            ),
        )[:limit]

    def term_weights(self, reading: Reading, name_words: Iterable[str] = ()) -> dict[str, float]:
        """How much each term says about which statement is asked for: the thing asked
        ("protocols" in "what protocols does it speak") counts more, words said with a
        service's name ("topic" in "sns topic") less."""
        weights = dict.fromkeys(name_words, NAME_WORD_WEIGHT)
        for asked in (reading.asked_term, *reading.alternatives):
            if asked and asked not in self.frame_terms:
                weights[asked] = ASKED_TERM_WEIGHT
        return weights

    def with_siblings(self, numbers: list[int]) -> list[Doc]:
        """The docs, each note sentence with its neighbours in the same bullet or line,
        in the note's order: "A volume attaches to one instance at a time." comes with "The
        exception is Multi-Attach…", which the note wrote in the same breath."""
        chosen: list[Doc] = []
        for number in numbers:
            group = self._line(number)
            at = group.index(number)
            near = group[max(0, at - SIBLING_REACH) : at + SIBLING_REACH + 1]
            # A sub-point comes after the bullet it sits under: "fastest, downtime during
            # deploy" says nothing without "all at once = deploy to all instances…".
            above = self._siblings.get(self.docs[number].parent, [])[:1]
            chosen += [self.docs[n] for n in above + near if self.docs[n] not in chosen]
        if numbers and (top := self.docs[numbers[0]]).lead_in:
            # An item of a short list ("what setup creates:") comes with the rest of it:
            # "Log Archive and Audit" is one answer, said in two items.
            mates = self._list_mates[(top.file, top.lead_in)]
            if len(mates) <= MAX_LIST_MATES:
                chosen += [self.docs[n] for n in mates if self.docs[n] not in chosen]
        if numbers and (top := self.docs[numbers[0]]).in_note:
            # A bullet's first sub-points say what it only sums up: "pricing = per active
            # user, per workspace" comes with "Editor = $9…" and "Viewer = $5…".
            under = self._sub_points.get(top.where, [])[:SUB_POINT_REACH]
            chosen += [self.docs[n] for n in under if self.docs[n] not in chosen]
        return chosen

    def line_of(self, number: int, most: int) -> list[Doc]:
        """The doc with the rest of its note line, at most `most` docs: a table row's
        cells ("Instant Retrieval — first byte: milliseconds"), a bullet's sentences."""
        return [self.docs[n] for n in self._line(number)[:most]]

    def _line(self, number: int) -> list[int]:
        """The docs of the note line a doc sits on (itself alone if it is no note's)."""
        doc = self.docs[number]
        return self._siblings.get(doc.where, [number]) if doc.in_note else [number]

    @staticmethod
    def quoted(docs: list[Doc]) -> list[str]:
        """The docs' texts as an answer quotes them: an item of a list opens with the line
        that introduces it, once ("LF-Tags: grant on tag expressions…"), unless that line
        is quoted too, for an item alone may not say what it is about."""
        introduced = {doc.text.rstrip(" :") for doc in docs}
        texts: list[str] = []
        row = ""  # the label of the table row the last text quoted a cell of
        bullet = ""  # where the last bullet quoted sits: its sub-points go on from it
        for doc in docs:
            label, dash, cell = doc.text.partition(" — ")
            if dash and label == row and texts:  # "Instant Retrieval — azs: 3+; first byte…"
                texts[-1] = f"{texts[-1].rstrip('.')}; {cell}"
                continue
            if doc.parent and doc.parent == bullet and texts:  # "…interruptions; real-time…"
                texts[-1] = f"{texts[-1].rstrip('.')}; {doc.text}"
                continue
            row = label if dash else ""
            # "Quota: 50 million…" goes on about "Basic", unless the sentence naming it
            # was just quoted
            if doc.lead and not (bullet == doc.where and texts):
                doc = replace(doc, text=f"{doc.lead}: {doc.text}")
            bullet = doc.where if doc.in_note else ""
            if doc.lead_in and doc.lead_in not in introduced:
                introduced.add(doc.lead_in)
                texts.append(f"{doc.lead_in}: {doc.text}")
            elif doc.topic and doc.topic not in introduced:
                introduced.add(doc.topic)
                texts.append(f"{doc.topic}: {doc.text}")
            else:
                texts.append(doc.text)
        return texts

    def _heading_topic(self, heading: str, section_words: frozenset[str]) -> tuple[str, list[str]]:
        """What a section heading names besides services and section words ("CONTACT
        LENS (analytics built into Connect)" → "Contact Lens"), and those words; ("", [])
        when it names nothing else or is a sentence rather than a name."""
        bare = re.sub(r"\(.*?\)|\[.*?\]", " ", heading).strip(" :-#=*")
        said = words(bare)
        names = self.lexicon.names.find(bare)
        in_name = {i for m in names for i in range(m.start, m.end)}
        rest = [
            w
            for i, w in enumerate(said)
            if i not in in_name and w not in section_words and w not in STOPWORDS
        ]
        if not rest or len(said) > MAX_TOPIC_WORDS:
            return "", []
        return (bare.title() if bare.isupper() else bare), rest

    def docs_about(self, sid: str) -> set[int]:
        return self.docs_of.get(sid, set())
