"""Finding candidates for a question by words and by meaning, fused into one score.

BM25 rewards the rare words a question shares with a text; embeddings reward texts that
mean the same in other words. They fail on different questions, so each candidate's
score is its BM25 score plus a bonus for semantic similarity above a floor: a text that
shares no word can still rank, and one that shares telling words keeps its lead.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np

from bot.core.answering.index import Bm25Index
from bot.core.answering.semantic import Embedder, similarities
from bot.core.answering.thresholds import SEMANTIC_FLOOR, SEMANTIC_WEIGHT


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
    ) -> None:
        self.lexical = Bm25Index(terms, weights)
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
