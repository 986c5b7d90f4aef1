"""Where the core keeps what it worked out between runs, and what makes it stale.

Both caches (the built engine, and the parsed knowledge files) live in the user's cache
folder and are keyed by the core's own code and the versions of the libraries that read
the knowledge, so an upgrade never serves what older code worked out.
"""

from __future__ import annotations

import hashlib
import os
import sys
from functools import lru_cache
from importlib import metadata
from pathlib import Path

_CORE = Path(__file__).resolve().parent  # bot/core: the code that reads and indexes
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


@lru_cache(maxsize=1)
def code_digest() -> str:
    """A digest of the core's code, the Python version and the versions of the libraries
    that read notes (an ftfy upgrade repairs text anew): once per process."""
    digest = hashlib.sha256(repr(sys.version_info[:2]).encode())
    for package in _READERS:
        try:
            digest.update(f"{package} {metadata.version(package)}\n".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"{package} -\n".encode())
    digest.update(folder_digest(_CORE).encode())
    return digest.hexdigest()


def folder_digest(base: Path) -> str:
    """A digest of every file under `base`, by relative path and content."""
    digest = hashlib.sha256()
    files = sorted(p for p in base.rglob("*") if p.is_file() and "__pycache__" not in p.parts)
    for path in files:
        digest.update(str(path.relative_to(base)).encode() + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()
