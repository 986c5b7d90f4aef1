"""Semantic similarity from static word embeddings: wordllama's 256-dimension model,
shipped inside its wheel, averaged over a text's tokens, on CPU with numpy.

Lexical matching needs shared words; "point our domain at our app" shares none with
"route traffic for my domain name". Word embeddings place both near each other, so the
engine fuses the two. The model loads once per process and never touches the network;
if it cannot load, the engine answers on lexical matching alone.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from functools import cache
from pathlib import Path

import numpy as np

log = logging.getLogger(__name__)

Matrix = np.ndarray  # rows of unit-length float32 vectors


class Embedder:
    """Texts to unit vectors, so a dot product is a cosine similarity."""

    def __init__(self, model: object) -> None:
        self._model = model

    def embed(self, texts: Sequence[str]) -> Matrix:
        if not texts:
            return np.zeros((0, 0), dtype=np.float32)
        vectors = self._model.embed(list(texts), norm=True)  # type: ignore[attr-defined]
        return np.nan_to_num(np.asarray(vectors, dtype=np.float32))

    def embed_one(self, text: str) -> np.ndarray:
        return self.embed([text or " "])[0]


@cache
def shared_embedder() -> Embedder | None:
    """The process's one embedder, or None when wordllama or its model is missing."""
    root = logging.getLogger()
    level, handlers = root.level, list(root.handlers)
    try:
        import wordllama
        from wordllama import WordLlama

        # wordllama's own download look-up misses the tokenizer file in its wheel; its
        # package folder as the cache holds both files, and nothing is downloaded.
        model = WordLlama.load(cache_dir=Path(wordllama.__file__).parent, disable_download=True)
    except Exception as error:  # a broken install must not stop the bot answering
        log.warning("semantic matching is off (%s); answering on words alone", error)
        return None
    finally:  # wordllama configures the root logger on import; logging is ours to set
        root.setLevel(level)
        root.handlers[:] = handlers
    return Embedder(model)


def similarities(matrix: Matrix, vector: np.ndarray | None) -> np.ndarray:
    """Cosine similarity of every row with the vector (zeros without semantics)."""
    if vector is None or matrix.size == 0:
        return np.zeros(len(matrix), dtype=np.float32)
    return matrix @ vector
