"""Starting fast: the engine built for a knowledge folder is kept between runs.

Reading the notes and indexing them takes hundreds of milliseconds on every start of
`ask`, the local session or the bot; unpickling the built engine takes tens. The engine
is kept in the user's cache folder under a key made of the content of every knowledge
file and of the core's own code, so any edit to a note, a YAML file or the engine makes
a new key and a fresh build. A cache that cannot be read or written is skipped, never an
error: the engine is then built as if there were none.
"""

from __future__ import annotations

import hashlib
import logging
import os
import pickle
import sys
import tempfile
from importlib import metadata
from pathlib import Path

from bot.core.answering.engine import Engine
from bot.core.knowledge.loader import default_knowledge_dir, load_knowledge

log = logging.getLogger(__name__)

CACHE_FORMAT = b"cloudnotes-engine 1"  # bump when the file layout below changes
_CORE = Path(__file__).resolve().parents[1]  # bot/core: the code an engine is made by
_READERS = ("ftfy", "pyyaml", "rapidfuzz", "lemminflect")


def cache_dir() -> Path | None:
    """$XDG_CACHE_HOME/cloudnotes, else ~/.cache/cloudnotes; None when there is no home."""
    base = os.environ.get("XDG_CACHE_HOME", "").strip()
    if not base:
        try:
            base = str(Path.home() / ".cache")
        except RuntimeError:
            return None
    return Path(base) / "cloudnotes"


def content_key(root: Path) -> str:
    """A digest of every file of the knowledge folder and of the core's code, and of the
    versions of the libraries that read the notes (an ftfy upgrade repairs text anew)."""
    digest = hashlib.sha256(CACHE_FORMAT + repr(sys.version_info[:2]).encode())
    for package in _READERS:
        try:
            digest.update(f"{package} {metadata.version(package)}\n".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"{package} -\n".encode())
    for base in (_CORE, root):
        files = sorted(p for p in base.rglob("*") if p.is_file() and "__pycache__" not in p.parts)
        for path in files:
            digest.update(str(path.relative_to(base)).encode() + b"\0")
            digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()


def load_engine(root: Path | str | None = None) -> Engine:
    """The engine for the knowledge at `root` (the default folder if None): from the
    cache when nothing changed, else loaded, built and cached. Raises KnowledgeError
    for a knowledge folder with problems, as `load_knowledge` does."""
    root = Path(root) if root is not None else default_knowledge_dir()
    folder = cache_dir()
    if folder is None or not root.is_dir():
        return Engine(load_knowledge(root))
    try:
        resolved = root.resolve()
        key = content_key(resolved)
    except OSError as error:  # a file that cannot be read: the loader says which
        log.debug("engine cache skipped: %s", error)
        return Engine(load_knowledge(root))
    name = hashlib.sha256(str(resolved).encode()).hexdigest()[:16]
    path = folder / f"engine-{name}.pickle"
    engine = _read(path, key)
    if engine is None:
        engine = Engine(load_knowledge(root))
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
