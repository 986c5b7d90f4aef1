"""Parsed knowledge files kept between loads, by content.

A new or edited note changes the knowledge folder, so the engine is built again; the
YAML files and the catalogue did not change, yet parsing and checking them is about a
fifth of a build. Their checked records are kept here under a digest of their bytes and
of the core's code. A file with problems is never kept: its problems are reported on
every load. A cache that cannot be read or written is skipped, never an error.
"""

from __future__ import annotations

import hashlib
import logging
import os
import pickle
import tempfile
from pathlib import Path

log = logging.getLogger(__name__)

FORMAT = b"cloudnotes-parsed 1"  # bump when the file layout below changes
KEEP = 600  # entries kept: every file of a few knowledge folders


class ParseCache:
    """Checked records by key (see `key`), read from and written back to one file."""

    def __init__(self, path: Path | None, code: str) -> None:
        self.path = path
        self.code = code
        self._stored: dict[str, bytes] = self._read() if path is not None else {}
        self._used: dict[str, bytes] = {}
        self._added = False

    def key(self, *parts: bytes) -> str:
        """The key of a record made from these bytes (a kind, a file's place, its content)."""
        digest = hashlib.sha256(self.code.encode())
        for part in parts:
            digest.update(part + b"\0")
        return digest.hexdigest()

    def get(self, key: str) -> object | None:
        """A fresh copy of the record kept under `key`, or None."""
        payload = self._stored.get(key)
        if payload is None:
            return None
        try:
            value = pickle.loads(payload)
        except Exception as error:  # a cut entry unpickles into anything
            log.debug("parse cache entry unreadable: %s", error)
            return None
        self._used[key] = payload
        return value

    def put(self, key: str, value: object) -> None:
        """Keep `value` (a copy: later changes to it are not kept)."""
        try:
            self._used[key] = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        except (pickle.PicklingError, TypeError, AttributeError, RecursionError) as error:
            log.debug("parse cache: %s not kept: %s", key, error)
            return
        self._added = True

    def save(self) -> None:
        """Write what this load used, then the most recent of the rest, atomically."""
        if self.path is None or not self._added:
            return
        kept = {**self._used}
        for key in reversed(list(self._stored)):
            if len(kept) >= KEEP:
                break
            kept.setdefault(key, self._stored[key])
        entries = dict(reversed(list(kept.items())))  # oldest first, as they are read
        try:
            payload = pickle.dumps(entries, protocol=pickle.HIGHEST_PROTOCOL)
            self.path.parent.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=self.path.parent, prefix=".parsed-")
        except OSError as error:
            log.debug("parse cache %s not written: %s", self.path, error)
            return
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(FORMAT + b"\n" + payload)
            os.replace(temporary, self.path)
        except OSError as error:  # a full disk: the next load parses again
            log.debug("parse cache %s not written: %s", self.path, error)
            Path(temporary).unlink(missing_ok=True)

    def _read(self) -> dict[str, bytes]:
        assert self.path is not None
        try:
            with self.path.open("rb") as handle:
                if handle.readline().strip() != FORMAT:
                    return {}
                entries = pickle.load(handle)
        except FileNotFoundError:
            return {}
        except Exception as error:  # a cut or foreign file
            log.debug("parse cache %s unreadable: %s", self.path, error)
            return {}
        if not isinstance(entries, dict):
            return {}
        return {k: v for k, v in entries.items() if isinstance(k, str) and isinstance(v, bytes)}
