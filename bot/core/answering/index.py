"""A small BM25 index with an inverted list, so a question only scores the documents
that share a term with it (the pruning that keeps 100,000 facts fast)."""

from __future__ import annotations

import heapq
import itertools
import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence

K1 = 1.2
B = 0.75


class Bm25Index:
    """Documents are lists of terms; each may carry a weight (how much to trust it)."""

    def __init__(
        self,
        documents: Sequence[Sequence[str]],
        weights: Sequence[float] = (),
        coordination: float = 0.0,
        proximity: float = 0.0,
    ) -> None:
        """`coordination` > 0 scales a score by the share of the question's weighted
        terms the document covers, to that power; `proximity` > 0 adds that share of a
        term's weight for each two terms of the question the document says side by side
        ("per flow run" in "$0.001 per flow run" rather than apart in "flows per account,
        10 million flow runs")."""
        self.coordination = coordination
        self.proximity = proximity
        self.pairs: dict[tuple[str, str], set[int]] = defaultdict(set)
        if proximity:
            for number, doc in enumerate(documents):
                for pair in itertools.pairwise(doc):
                    self.pairs[pair].add(number)
        self.pairs = dict(self.pairs)
        self.size = len(documents)
        self.lengths = [len(doc) for doc in documents]
        self.average = (sum(self.lengths) / self.size) if self.size else 1.0
        self.weights = list(weights) or [1.0] * self.size
        self.doc_terms = [frozenset(doc) for doc in documents]
        postings: dict[str, list[tuple[int, int]]] = defaultdict(list)
        for number, doc in enumerate(documents):
            for term, count in Counter(doc).items():
                postings[term].append((number, count))
        self.postings = dict(postings)
        self.idf = {
            term: math.log(1 + (self.size - len(p) + 0.5) / (len(p) + 0.5))
            for term, p in self.postings.items()
        }

    def __contains__(self, term: str) -> bool:
        return term in self.postings

    def term_weight(self, term: str) -> float:
        """How telling a term is; unknown terms count as the rarest."""
        return self.idf.get(term, math.log(1 + (self.size + 0.5) / 0.5))

    def scores(
        self,
        terms: Iterable[str],
        allowed: set[int] | None = None,
        weights: Mapping[str, float] | None = None,
    ) -> dict[int, float]:
        """BM25 score of every document sharing a term with `terms` (optionally a subset);
        `weights` scale some terms up or down (1 by default)."""
        weights = weights or {}
        totals: dict[int, float] = defaultdict(float)
        covered: dict[int, float] = defaultdict(float)
        asked = dict.fromkeys(terms)  # once each, in the question's order: sums (and so
        for term in asked:  # ties) come out the same in every process, whatever its hash seed
            posting = self.postings.get(term)
            if posting is None:
                continue
            idf = self.idf[term] * weights.get(term, 1.0)
            for number, count in posting:
                if allowed is not None and number not in allowed:
                    continue
                norm = count + K1 * (1 - B + B * self.lengths[number] / self.average)
                totals[number] += idf * count * (K1 + 1) / norm
                covered[number] += idf
        if self.proximity:
            self._add_proximity(list(terms), totals, weights)
        if not self.coordination:
            return {n: s * self.weights[n] for n, s in totals.items()}
        # A document that covers more of what was asked beats one that repeats a part.
        total = sum(self.term_weight(t) * weights.get(t, 1.0) for t in asked) or 1.0
        return {
            n: s * self.weights[n] * (covered[n] / total) ** self.coordination
            for n, s in totals.items()
        }

    def _add_proximity(
        self, terms: list[str], totals: dict[int, float], weights: Mapping[str, float]
    ) -> None:
        for pair in dict.fromkeys(itertools.pairwise(terms)):
            numbers = self.pairs.get(pair)
            if not numbers:
                continue
            bonus = self.proximity * min(self.idf[t] * weights.get(t, 1.0) for t in pair)
            for number in numbers:
                if number in totals:  # scored, so allowed
                    totals[number] += bonus

    def matched(self, terms: Iterable[str], number: int) -> set[str]:
        """Which of `terms` document `number` contains (for explanations and coverage)."""
        return set(terms) & self.doc_terms[number]

    def best(
        self,
        terms: Iterable[str],
        allowed: set[int] | None = None,
        limit: int | None = 5,
        weights: Mapping[str, float] | None = None,
    ) -> list[tuple[int, float]]:
        scores = self.scores(terms, allowed, weights)
        order = lambda item: (-item[1], item[0])  # noqa: E731 - best first, ties by number
        if limit is not None and limit * 8 < len(scores):
            return heapq.nsmallest(limit, scores.items(), key=order)  # 100,000 facts: no full sort
        return sorted(scores.items(), key=order)[:limit]
