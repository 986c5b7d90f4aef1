"""Starting fast: the engine built for a knowledge folder is kept between runs.

Reading the notes and indexing them takes hundreds of milliseconds on every start of
`ask`, the local session or the bot; unpickling the built engine takes tens. The engine
is kept in the user's cache folder under a key made of the content of every knowledge
file and of the core's own code, so any edit to a note, a YAML file or the engine makes
a new key and a fresh build. A cache that cannot be read or written is skipped, never an
error: the engine is then built as if there were none.

When something changed (a note added, most often), the YAML files and the catalogue
that did not are taken from the parse cache (bot/core/knowledge/parse_cache.py) rather
than parsed and checked again.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import logging
import os
import pickle
import tempfile
from collections.abc import Iterator
from pathlib import Path

from bot.core.answering.engine import Engine
from bot.core.cache_folder import cache_dir, code_digest, folder_digest
from bot.core.knowledge.loader import default_knowledge_dir, load_knowledge
from bot.core.knowledge.parse_cache import ParseCache

log = logging.getLogger(__name__)

CACHE_FORMAT = b"cloudnotes-engine 2"  # bump when the file layout below changes


def content_key(root: Path) -> str:
    """A digest of every file of the knowledge folder and of the core's code (see
    `code_digest`)."""
    digest = hashlib.sha256(CACHE_FORMAT + code_digest().encode())
    digest.update(folder_digest(root).encode())
    return digest.hexdigest()


@contextlib.contextmanager
def paused_gc() -> Iterator[None]:
    """The garbage collector paused: a build makes a few hundred thousand objects that
    all live on, and collecting among them finds nothing yet costs a tenth of the build
    (more with the parse cache's records in memory)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def build_engine(root: Path, parsed: ParseCache | None = None) -> Engine:
    """Load and index the knowledge at `root` (see `load_knowledge` for `parsed`)."""
    with paused_gc():
        return Engine(load_knowledge(root, parsed=parsed))


def load_engine(root: Path | str | None = None) -> Engine:
    """The engine for the knowledge at `root` (the default folder if None): from the
    cache when nothing changed, else loaded, built and cached. Raises KnowledgeError
    for a knowledge folder with problems, as `load_knowledge` does."""
    root = Path(root) if root is not None else default_knowledge_dir()
    folder = cache_dir()
    if folder is None or not root.is_dir():
        return build_engine(root)
    try:
        resolved = root.resolve()
        key = content_key(resolved)
    except OSError as error:  # a file that cannot be read: the loader says which
        log.debug("engine cache skipped: %s", error)
        return build_engine(root)
    name = hashlib.sha256(str(resolved).encode()).hexdigest()[:16]
    path = folder / f"engine-{name}.pickle"
    engine = _read(path, key)
    if engine is None:
        # Something changed (a note, most often): the files that did not are not parsed
        # and checked again.
        parsed = ParseCache(folder / "parsed.pickle", code_digest())
        engine = build_engine(root, parsed)
        parsed.save()
        _write(path, key, engine)
    return engine


def _read(path: Path, key: str) -> Engine | None:
    try:
        with path.open("rb") as handle:
            if handle.readline().strip() != key.encode():
                return None
            engine = pickle.load(handle)
    except FileNotFoundError:
        return None
    except Exception as error:  # a cut or foreign file unpickles into anything
        log.debug("engine cache %s unreadable, rebuilding: %s", path, error)
        return None
    return engine if isinstance(engine, Engine) else None


def _write(path: Path, key: str, engine: Engine) -> None:
    """Write the cache atomically, so two processes starting at once never read half."""
    try:
        payload = pickle.dumps(engine, protocol=pickle.HIGHEST_PROTOCOL)
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".engine-")
    except (OSError, pickle.PicklingError, TypeError, AttributeError, RecursionError) as error:
        log.debug("engine cache %s not written: %s", path, error)
        return
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(key.encode() + b"\n" + payload)
        os.replace(temporary, path)
    except OSError as error:  # a full disk: the next start builds again
        log.debug("engine cache %s not written: %s", path, error)
        Path(temporary).unlink(missing_ok=True)
