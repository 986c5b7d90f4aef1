"""Corrections to note lines known to be wrong, applied when the notes are read.

The team's notes stay as they wrote them; `knowledge/errata.yaml` says which line is
wrong, what it says, what it should say and why, so the bot never serves the error.
An erratum whose wrong text is no longer on its line is a problem for `validate`: the
note changed, and the correction must be looked at again.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.core.knowledge.schema import Problem


@dataclass(frozen=True)
class Erratum:
    note: str
    line: int
    wrong: str
    right: str
    why: str
    where: str  # errata file and line, for problems


def apply_errata(texts: dict[str, str], errata: list[Erratum]) -> list[Problem]:
    """Correct `texts` (note file → text) in place; problems for errata that no longer fit."""
    problems: list[Problem] = []
    for erratum in errata:
        path, _, line = erratum.where.rpartition(":")
        text = texts.get(erratum.note)
        if text is None:
            problems.append(Problem(path, int(line), f"erratum for unknown note `{erratum.note}`"))
            continue
        lines = text.split("\n")
        index = erratum.line - 1
        if not 0 <= index < len(lines) or erratum.wrong not in lines[index]:
            problems.append(
                Problem(
                    path,
                    int(line),
                    f"`{erratum.wrong}` is not on {erratum.note}:{erratum.line} any more; "
                    "check the note and move or drop the erratum",
                )
            )
            continue
        lines[index] = lines[index].replace(erratum.wrong, erratum.right)
        texts[erratum.note] = "\n".join(lines)
    return problems
