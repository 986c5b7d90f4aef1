"""Finding candidates for a question by words and by meaning, fused into one score.

BM25 rewards the rare words a question shares with a text; embeddings reward texts that
mean the same in other words. They fail on different questions, so each candidate's
score is its BM25 score plus a bonus for semantic similarity above a floor: a text that
shares no word can still rank, and one that shares telling words keeps its lead.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from bot.core.answering.index import Bm25Index
from bot.core.answering.reader import Lexicon, Reading
from bot.core.answering.semantic import Embedder, similarities
from bot.core.answering.thresholds import (
    FACT_COORDINATION,
    MIN_COVERAGE,
    MIN_FIT_SCORE,
    MIN_IN_SCOPE_COSINE,
    MIN_SOURCE_OVERLAP,
    MIN_TELLING_WEIGHT,
    NOTE_WEIGHT,
    SEMANTIC_FLOOR,
    SEMANTIC_SHARE,
    SEMANTIC_WEIGHT,
)
from bot.core.knowledge.loader import GENERAL_SOURCE, Knowledge
from bot.core.knowledge.model import Service
from bot.core.knowledge.text import words

# Words that frame a question rather than say what it is about.
FRAME_WORDS = frozenset(
    """what is are does do tell about explain describe define definition overview service
    services aws amazon mean stand stands for acronym short full form name info which
    should use recommend pick choose option options need want run""".split()
)


def semantic_bonus(cosine: float) -> float:
    """What a semantic similarity adds to a BM25 score."""
    return SEMANTIC_WEIGHT * max(0.0, cosine - SEMANTIC_FLOOR)


class HybridIndex:
    """Documents as index terms (for BM25) and as texts (for embeddings)."""

    def __init__(
        self,
        terms: Sequence[Sequence[str]],
        texts: Sequence[str],
        embedder: Embedder | None,
        weights: Sequence[float] = (),
        coordination: float = 0.0,
    ) -> None:
        self.lexical = Bm25Index(terms, weights, coordination)
        self.weights = np.asarray(self.lexical.weights, dtype=np.float32)
        self.vectors = embedder.embed(texts) if embedder is not None else np.zeros((0, 0))

    def scores(
        self, terms: Iterable[str], vector: np.ndarray | None, allowed: set[int] | None = None
    ) -> dict[int, float]:
        totals = self.lexical.scores(terms, allowed)
        if vector is None or self.vectors.size == 0:
            return totals
        if allowed is None:
            cosines = similarities(self.vectors, vector)
            numbers = np.flatnonzero(cosines > SEMANTIC_FLOOR)
        else:
            numbers = np.fromiter(allowed, dtype=np.int64, count=len(allowed))
            cosines = np.zeros(len(self.vectors), dtype=np.float32)
            if len(numbers):
                cosines[numbers] = similarities(self.vectors[numbers], vector)
            numbers = numbers[cosines[numbers] > SEMANTIC_FLOOR]
        for number in numbers.tolist():
            bonus = semantic_bonus(float(cosines[number])) * float(self.weights[number])
            totals[number] = totals.get(number, 0.0) + bonus
        return totals

    def best(
        self,
        terms: Iterable[str],
        vector: np.ndarray | None,
        allowed: set[int] | None = None,
        limit: int = 5,
    ) -> list[tuple[int, float]]:
        ranked = sorted(
            self.scores(terms, vector, allowed).items(), key=lambda item: (-item[1], item[0])
        )
        return ranked[:limit]


class MeaningIndex:
    """Each owner (a service) described by several texts (its summary and use cases);
    an owner's similarity to a question is that of its closest text."""

    def __init__(self, texts_by_owner: Sequence[Sequence[str]], embedder: Embedder | None) -> None:
        self.owners = np.asarray(
            [owner for owner, texts in enumerate(texts_by_owner) for _ in texts], dtype=np.int64
        )
        flat = [text for texts in texts_by_owner for text in texts]
        self.size = len(texts_by_owner)
        self.vectors = embedder.embed(flat) if embedder is not None and flat else np.zeros((0, 0))

    def closest(self, vector: np.ndarray | None) -> np.ndarray:
        """Per owner, the highest cosine of its texts with the question (0 without)."""
        best = np.zeros(self.size, dtype=np.float32)
        if vector is None or self.vectors.size == 0:
            return best
        best[:] = -1.0
        np.maximum.at(best, self.owners, similarities(self.vectors, vector))
        return best


@dataclass(frozen=True)
class Doc:
    """A fact or note statement the engine can quote."""

    text: str
    services: tuple[str, ...]
    where: str  # "note.txt:12" a person can look up, or "" for general knowledge


class Retriever:
    """Everything the engine looks candidates up in, built once per knowledge load:
    services by what they are for, and facts and note statements by what they say."""

    def __init__(self, knowledge: Knowledge, lexicon: Lexicon, embedder: Embedder | None) -> None:
        self.lexicon = lexicon
        self.services = list(knowledge.services.values())
        self.position = {s.id: n for n, s in enumerate(self.services)}
        self.frame_terms = frozenset(lexicon.term(w) for w in FRAME_WORDS)
        self._statements_in: dict[str, list[tuple[frozenset[str], str]]] = {}
        for statement in knowledge.notes:
            terms = frozenset(lexicon.terms(statement.text))
            self._statements_in.setdefault(statement.file, []).append((terms, statement.where))
        self.fit_index = Bm25Index([self._fit_terms(s) for s in self.services])
        self.fit_meaning = MeaningIndex([self._fit_texts(s) for s in self.services], embedder)
        self.docs: list[Doc] = []
        terms: list[list[str]] = []
        texts: list[str] = []
        weights: list[float] = []
        for service in self.services:
            if service.from_notes:
                continue  # its facts are the note statements indexed below
            for fact in service.facts:
                self.docs.append(Doc(fact.text, (service.id,), self.where(fact.source, fact.text)))
                terms.append(lexicon.terms(f"{fact.text} {' '.join(fact.about)}"))
                texts.append(fact.text)
                weights.append(1.0)
        for statement in knowledge.notes:
            self.docs.append(Doc(statement.text, statement.services, statement.where))
            terms.append(lexicon.terms(f"{statement.text} {statement.context}"))
            texts.append(f"{statement.context} {statement.text}")
            weights.append(NOTE_WEIGHT)
        self.fact_index = HybridIndex(terms, texts, embedder, weights, FACT_COORDINATION)
        self.docs_of: dict[str, set[int]] = {s.id: set() for s in self.services}
        for number, doc in enumerate(self.docs):
            for sid in doc.services:
                self.docs_of.setdefault(sid, set()).add(number)
        self.own_terms = {
            s.id: set(lexicon.terms(f"{s.id} {s.name} {s.short} {s.stands_for or ''}"))
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
        """What a service is for, as index terms; use cases count twice. Its own names
        are left out: a question that names it is matched by name, and other services'
        use cases that name it ("trigger a lambda on a schedule") should win on them."""
        parts = [service.summary, service.stands_for or ""] + list(service.use_cases) * 2
        if service.from_notes:
            parts += [self.without_names(fact.text) for fact in service.facts]
        own = set(self.lexicon.terms(f"{service.id} {service.short}"))
        return [t for t in self.lexicon.terms(" ".join(parts)) if t not in own]

    def _fit_texts(self, service: Service) -> list[str]:
        """What a service is for, as texts whose meaning a question is compared with."""
        texts = [service.summary, *service.use_cases]
        if service.from_notes:
            texts += [self.without_names(fact.text) for fact in service.facts]
        return [text for text in texts if text.strip()]

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

    def fit_scores(self, reading: Reading, semantic: bool = True) -> dict[int, float]:
        """How well each service's purpose fits the question, 0..1 against the best:
        BM25 over its use cases and semantic closeness to them, blended."""
        lexical = self.fit_index.scores(self.fit_query(reading))
        top_lexical = max(lexical.values(), default=0.0) or 1.0
        if not semantic:
            return {number: score / top_lexical for number, score in lexical.items()}
        closeness = self.fit_meaning.closest(reading.vector)
        top = float(closeness.max()) if len(closeness) else 0.0
        spread = top - SEMANTIC_FLOOR
        fused: dict[int, float] = {}
        for number in range(len(self.services)):
            meaning = (float(closeness[number]) - SEMANTIC_FLOOR) / spread if spread > 0 else 0.0
            score = (1 - SEMANTIC_SHARE) * lexical.get(number, 0.0) / top_lexical
            score += SEMANTIC_SHARE * max(0.0, meaning)
            if score > 0:
                fused[number] = score
        return fused

    def closest_cosine(self, reading: Reading) -> float:
        closeness = self.fit_meaning.closest(reading.vector)
        return float(closeness.max()) if len(closeness) else 0.0

    def in_scope(self, reading: Reading) -> bool:
        """Whether some service's use cases explain the question well enough to answer.

        One shared everyday word ("team", "time") is not enough: the best service must
        match two terms strongly, or most of a short question with a telling term, or
        be close in meaning to the question as a whole.
        """
        terms = self.content(reading)
        best = self.fit_index.best(terms, limit=1)
        if best:
            number, score = best[0]
            matched = self.fit_index.matched(terms, number)
            weight = sum(self.fit_index.term_weight(t) for t in matched)
            total = sum(self.fit_index.term_weight(t) for t in set(terms))
            if len(matched) >= 2 and score >= MIN_FIT_SCORE:
                return True
            if weight / total >= MIN_COVERAGE and weight >= MIN_TELLING_WEIGHT:
                return True
        return self.closest_cosine(reading) >= MIN_IN_SCOPE_COSINE

    def coverage(self, terms: list[str]) -> float:
        """Share of the question's meaning (IDF-weighted) that the knowledge knows at all."""
        total = known = 0.0
        for term in set(terms):
            weight = self.fit_index.term_weight(term)
            total += weight
            if term in self.fit_index or term in self.fact_index.lexical:
                known += weight
        return known / total if total else 0.0

    # --- what facts say ---------------------------------------------------------------

    def best_docs(
        self,
        terms: list[str],
        allowed: set[int] | None,
        limit: int = 3,
        reading: Reading | None = None,
    ) -> list[tuple[int, float]]:
        """Facts and note statements on the terms, and on the question's meaning when
        the reading is given."""
        if not terms and reading is None:
            return []
        vector = reading.vector if reading is not None else None
        return self.fact_index.best(terms, vector, allowed, limit)

    def docs_about(self, sid: str) -> set[int]:
        return self.docs_of.get(sid, set())
