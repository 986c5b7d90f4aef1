"""Raw notes, indexed as they are: split into statements and tied to the services they name.

A team can drop a `.md` or `.txt` file into `knowledge/notes/` and the bot answers from
it without anyone writing YAML. The notes are real input: broken encoding, slide bullets,
wrapped lines and box-drawing diagrams are repaired or dropped here.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from bot.core.names import ServiceNames
from bot.core.schema import Problem
from bot.core.text import has_mojibake, repair, words

NOTE_SUFFIXES = (".md", ".txt")
_MARKER = re.compile(r"^\s*(?:[·•\-*+]|\.(?=\s)|\d+[.)](?=\s))\s*")
_MARKDOWN = re.compile(r"\*\*|__|`|^#+\s*|\[([^\]]*)\]\([^)]*\)")
_SENTENCE = re.compile(r"(?<=[a-z0-9)\"'][.!?])\s+(?=[A-Z\"'])")
_URL = re.compile(r"https?://\S+")
_MAX_STATEMENT = 400


@dataclass(frozen=True)
class NoteStatement:
    id: str
    file: str
    text: str
    services: tuple[str, ...]


def _clean_line(line: str) -> tuple[str, bool, bool]:
    """The line's text, whether it opened with a bullet, and whether it is a heading."""
    heading = line.lstrip().startswith("#")
    bullet = bool(_MARKER.match(line)) and not heading
    text = _MARKER.sub("", line, count=1) if bullet else line
    text = _MARKDOWN.sub(lambda m: m.group(1) or "", text)
    text = _URL.sub("", text).replace("....", ".").strip(" \t:")
    return " ".join(text.split()), bullet, heading


def _split_sentences(text: str) -> list[str]:
    parts = []
    for sentence in _SENTENCE.split(text):
        sentence = sentence.strip(" —-")
        while len(sentence) > _MAX_STATEMENT:
            cut = sentence.rfind(" ", 0, _MAX_STATEMENT)
            parts.append(sentence[:cut])
            sentence = sentence[cut + 1 :]
        if sentence:
            parts.append(sentence)
    return parts


def split_statements(text: str, names: ServiceNames) -> list[tuple[str, tuple[str, ...]]]:
    """Statements of a note with the services each is about (named, or the heading's)."""
    context: tuple[str, ...] = ()
    blocks: list[tuple[list[str], tuple[str, ...]]] = []
    open_block = False
    for raw_line in repair(text).splitlines():
        line, bullet, heading = _clean_line(raw_line)
        if not line:
            open_block = False
            continue
        mentioned = tuple(dict.fromkeys(m.service for m in names.find(line)))
        line_words = words(line)
        short = len(line_words) <= 6 and not line.endswith((".", "!", "?"))
        if (heading or (short and not bullet)) and mentioned:
            context = mentioned
            open_block = False
            if heading or len(line_words) <= 2:
                continue
        continues = (
            open_block
            and not bullet
            and blocks
            and (line[:1].islower() or len(line_words) <= 2)
            and not blocks[-1][0][-1].endswith((".", "!", "?"))
        )
        if continues:
            blocks[-1][0].append(line)
        else:
            blocks.append(([line], context))
        open_block = True
    statements: list[tuple[str, tuple[str, ...]]] = []
    for lines, block_context in blocks:
        for sentence in _split_sentences(" ".join(lines)):
            if len(words(sentence)) < 3:
                continue
            named = tuple(dict.fromkeys(m.service for m in names.find(sentence)))
            services = named or block_context
            if services:
                statements.append((sentence, services))
    return statements


def index_notes(
    folder: Path, services: Iterable[object]
) -> tuple[list[NoteStatement], list[str], list[Problem]]:
    """Index every note in `folder`; unreadable notes are problems, not crashes."""
    names = ServiceNames(services)
    statements: list[NoteStatement] = []
    files: list[str] = []
    problems: list[Problem] = []
    if not folder.is_dir():
        return statements, files, problems
    for path in sorted(p for p in folder.iterdir() if p.suffix in NOTE_SUFFIXES):
        try:
            text = path.read_bytes().decode("utf-8")
        except (OSError, UnicodeDecodeError) as error:
            problems.append(Problem(str(path), 1, f"cannot read the note: {error}"))
            continue
        files.append(path.name)
        for number, (sentence, about) in enumerate(split_statements(text, names), start=1):
            if has_mojibake(sentence):
                continue
            statements.append(NoteStatement(f"{path.name}#{number}", path.name, sentence, about))
    return statements, files, problems
