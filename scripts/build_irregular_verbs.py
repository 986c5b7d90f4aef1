"""Regenerate `bot/core/knowledge/irregular_verbs.txt`: irregular English verb forms and
their base ("sent send", "took take", "lying lie"), so "users sent to the EU" meets
"send users to the nearest Region".

Read from lemminflect's inflection table, only here (`python scripts/build_irregular_verbs.py`):
looking lemmas up at run time costs a third of a second per start. A form that is also a
noun, an adjective or a verb of its own ("bit", "left", "found") is left out, so it keeps
its own meaning.
"""

from __future__ import annotations

import csv
import gzip
from pathlib import Path

import lemminflect

TABLE = Path(lemminflect.__file__).parent / "resources" / "infl_lu.csv.gz"
OUT = Path(__file__).resolve().parents[1] / "bot" / "core" / "knowledge" / "irregular_verbs.txt"


def irregular_forms() -> dict[str, str]:
    bases: dict[str, set[str]] = {}
    participles: set[str] = set()  # "dying" is also an adjective, of the same meaning
    other_words: set[str] = set()
    verbs: set[str] = set()
    with gzip.open(TABLE, "rt", encoding="utf-8") as rows:
        for row in csv.reader(rows):
            if len(row) < 3:
                continue
            lemma, pos, *forms = row
            if pos != "verb":
                other_words.add(lemma.lower())
                other_words.update(f.lower() for field in forms for f in field.split("/"))
                continue
            verbs.add(lemma.lower())
            if not lemma.isalpha() or not lemma.islower():
                continue
            for field in forms[:2]:  # past tense, past participle
                for form in field.split("/"):
                    if form.isalpha() and form != lemma and not form.endswith("ed"):
                        bases.setdefault(form, set()).add(lemma)
            for form in forms[2].split("/") if len(forms) > 2 else ():  # "dying" for "die"
                if form.isalpha() and not form.startswith(lemma.rstrip("e")):
                    bases.setdefault(form, set()).add(lemma)
                    participles.add(form)
    return {
        form: next(iter(lemmas))
        for form, lemmas in sorted(bases.items())
        if len(lemmas) == 1
        and (form in participles or form not in other_words)
        and form not in verbs
    }


def main() -> None:
    forms = irregular_forms()
    lines = [f"{form} {base}" for form, base in forms.items()]
    header = "# form base: irregular English verb forms, from scripts/build_irregular_verbs.py\n"
    OUT.write_text(header + "\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {len(lines)} forms to {OUT}")


if __name__ == "__main__":
    main()
