"""The layout of a note: headings, paragraphs, list items, tables and "need → service" lines.

People write notes in Markdown, in plain text with titles on their own lines, or pasted
from slides with one bullet wrapped over three lines. This module only finds the
structure (with the line each part starts on); what the parts are about is notes.py's.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from bot.core.knowledge.text import repair, words

_BULLET = re.compile(r"^(\s*)(?:[·•\-*+]|\.(?=\s)|\d+[.)](?=\s))\s+")
_HEADING = re.compile(r"^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$")
_UNDERLINE = re.compile(r"^\s*(=+|-+|~+)\s*$")
# "=== 3. AMAZON APPFLOW ===", "*** Pricing ***", "== AWS Proton ==" (wiki style): a
# title between runs of two or more marks.
_BANNER = re.compile(r"^\s*([=*~-])\1+\s+(.*?[^\s=*~-].*?)\s+\1{2,}\s*$")
_FENCE = re.compile(r"^\s*(```|~~~)")
_TABLE_SEPARATOR = re.compile(r"^[\s|:+-]+$")
# "need -> Service"; not a two-way "<->" nor an arrow inside a word run ("clouds->S3").
_ARROW = re.compile(r"(?<![<\w])\s*(?:→|->|=>|⇒|⟶)\s*|\s+(?:→|->|=>|⇒|⟶)\s*")
_BOLD_LEAD = re.compile(r"^(?:(?:a|an|the)\s+)?(?:\*\*|__)(.+?)(?:\*\*|__)(.*)$", re.I)
_LABEL_LEAD = re.compile(r"^([A-Z][\w /&.+()'-]{0,40}?)\s*:\s+(\S.*)$")
_MARKDOWN = re.compile(r"\*\*|__|`|\[([^\]]*)\]\([^)]*\)|(?<!\w)[*_](?=\S)|(?<=\S)[*_](?!\w)")
_URL = re.compile(r"https?://\S+")
_ENDS_SENTENCE = (".", "!", "?")
_CLOSED = (*_ENDS_SENTENCE, ",", ";", ":")  # how a sentence, a clause or a lead-in ends
_MAX_ITEM_WORDS = 10
_MAX_TOPIC_WORDS = 5  # a bullet this short over deeper ones names their topic
_MAX_TITLE_WORDS = 9  # a plain-text line longer than this is a sentence, not a title
_DIGIT = re.compile(r"\d")
_MAX_JOINED = 320  # a lead-in with longer items keeps them as statements of their own


@dataclass
class Block:
    kind: str  # heading | text | item | table | dropped
    text: str
    line: int
    level: int = 0  # heading level, or list indent
    lead: str = ""  # a bold or labelled term the block opens with ("NAT Gateway")
    tail: str = ""  # what follows the lead
    lead_colon: bool = False  # the lead is a label ("Bandwidth: 5 Gbps")
    context: str = ""  # the lead-in line a list item sits under
    rows: list[list[str]] = field(default_factory=list)
    row_lines: list[int] = field(default_factory=list)  # the note line of each row
    why: str = ""  # for dropped blocks

    @property
    def choice(self) -> tuple[str, str] | None:
        """ "need -> Service" as (need, target); a choice if the target names a service."""
        if self.kind not in ("text", "item") or not _offers_a_choice(self.text):
            return None
        last = list(_ARROW.finditer(self.text))[-1]  # "S3 -> S3 with billions -> DataSync"
        return self.text[: last.start()], self.text[last.end() :]


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip())


_DEFINITION_LINE = re.compile(r"^[A-Za-z][\w./+&-]*(?:\s+[\w./+&()-]+){0,3}\s*=\s*\S")


def _offers_a_choice(text: str) -> bool:
    """ "need -> Service": an arrow after something, not one opening the line."""
    return bool(_ARROW.search(text)) and not _ARROW.match(text)


def _same_shape(above: str, line: str) -> bool:
    """Two "need -> Service" lines, or two "TERM = meaning" lines: a list without marks."""
    if _offers_a_choice(above) and _offers_a_choice(line):
        return True
    return bool(_DEFINITION_LINE.match(above) and _DEFINITION_LINE.match(line))


def _clean(text: str) -> str:
    text = _MARKDOWN.sub(lambda m: m.group(1) or "", text)
    text = _URL.sub("", text).replace("....", ".")
    return " ".join(text.split()).strip(" \t")


def _lead_of(body: str) -> tuple[str, str, bool]:
    bold = _BOLD_LEAD.match(body.strip())
    if bold:
        lead = _clean(bold.group(1))
        tail = bold.group(2)
        colon = lead.endswith(":") or tail.lstrip().startswith(":")
        return lead.rstrip(": "), _clean(tail), colon
    label = _LABEL_LEAD.match(_clean(body))
    if label and len(words(label.group(1))) <= 5:
        return label.group(1).strip(), label.group(2), True
    return "", "", False


def _cells(line: str) -> list[str]:
    return [_clean(c) for c in line.strip().strip("|").split("|")]


Table = tuple[list[list[str]], list[int]]  # rows of cells, and the line of each row


def _aligned_table(lines: list[tuple[int, str]], starts: list[int] | None = None) -> Table | None:
    """Rows of a plain-text table whose columns are set apart by two or more spaces, or
    start where the runs of dashes under the header start ("Aurora Serverless v2 MySQL"
    fills its column and leaves one space)."""
    rows = [(n, _split_row(ln, starts)) for n, ln in lines if ln.strip()]
    if len(rows) < 2:
        return None
    header = rows[0][1]  # a blank first cell: the row labels go under it
    width = len(header)
    body = [
        (n, r) for n, r in rows[1:] if len(r) == width or (len(r) == width - 1 and header[0] == "")
    ]
    if width < 2 or len(body) < max(1, (len(rows) - 1) // 2):
        return None
    kept = [rows[0], *body]
    return [[_clean(c) for c in r] for _, r in kept], [n for n, _ in kept]


_DASH_ROW = re.compile(r"^\s*-{3,}(?:\s+-{3,})+\s*$")


def _split_row(line: str, starts: list[int] | None) -> list[str]:
    """A row's cells: cut where the columns start, when every cut falls after a space
    and before text; else at the gaps of two or more spaces."""
    line = line.rstrip()
    if starts and all(s < len(line) and line[s - 1] == " " and line[s] != " " for s in starts[1:]):
        return [line[a:b].strip() for a, b in zip(starts, [*starts[1:], len(line)], strict=True)]
    return re.split(r"\s{2,}", line)


def _dash_starts(line: str) -> list[int]:
    """Where each run of dashes starts: the columns of the table above it."""
    return [m.start() for m in re.finditer(r"-{3,}", line)]


def _plain_table_at(lines: list[tuple[int, str]], start: int) -> tuple[Table, int] | None:
    """A plain-text table starting at `start`: a header of two or more columns set apart
    by wide gaps, then rows of the same shape (a line of dashes may sit under the header).
    Returns its rows and the position of its last line."""
    header = lines[start][1]
    if _BULLET.match(header) or header.lstrip().startswith("|"):
        return None  # a list, or a Markdown table (read by its pipes)
    columns = re.split(r"\s{2,}", header.strip())
    if len(columns) < 2 or any(_ARROW.match(c) or c.startswith(("=", ":")) for c in columns[1:]):
        return None  # one column; or "need  -> Service", "UW   = UltraWarm" lines, aligned
    body: list[tuple[int, str]] = []
    end = start
    starts: list[int] | None = None
    for position in range(start + 1, len(lines)):
        text = lines[position][1]
        if _DASH_ROW.match(text):
            starts = starts or _dash_starts(text)
            end = position
            continue
        if not text.strip() or len(re.split(r"\s{2,}", text.strip())) < 2 or _BULLET.match(text):
            break
        body.append(lines[position])
        end = position
    if len(body) < 2 and not (body and _DASH_ROW.match(lines[start + 1][1])):
        return None
    table = _aligned_table([lines[start], *body], starts)
    return (table, end) if table else None


def _short_and_open(text: str) -> bool:
    """Short enough for a title and ending as no sentence or lead-in does."""
    return len(words(text)) <= _MAX_TITLE_WORDS and not text.endswith(_CLOSED)


def _is_title(line: str, previous: str, following: str, is_name: Callable[[str], bool]) -> bool:
    """A plain-text line that reads as a section title rather than a sentence."""
    text = line.strip()
    tokens = words(text)
    if not tokens or not _short_and_open(text):
        return False
    if not (text[:1].isupper() or text[:1].isdigit()):
        return False
    prev = previous.strip()
    after_break = not prev or prev.endswith(_ENDS_SENTENCE)
    letters = [c for c in text if c.isalpha()]
    if len(letters) >= 3 and all(c.isupper() for c in letters) and len(tokens) <= 6:
        return after_break
    if len(tokens) <= 4 and is_name(text):
        return True
    if not following.strip():
        return False
    if not prev:
        return True
    capitalised = sum(1 for w in text.split() if w[:1].isupper() or not w[:1].isalpha())
    return prev.endswith(_ENDS_SENTENCE) and capitalised * 2 >= len(text.split()) > 1


# "AWS Graviton:" names a product: "AWS"/"Amazon" and capitalised words.
_PRODUCT_NAME = re.compile(r"(?:AWS|Amazon)(?:\s+[A-Z0-9][\w-]*){1,4}")


def _is_product_title(
    line: str,
    cleaned: str,
    bulleted: bool,
    previous: str,
    following: str,
    is_name: Callable[[str], bool],
) -> bool:
    """A line that is only a service's name, over the points about it: "AWS Graviton:"
    or "[AWS Graviton]" alone at the margin after a break, or "1. AWS Graviton" as a list
    item with its points indented under it. The title of that service's section, not the
    lead-in of one list ("Big picture first:" names no service; "VPC environments:" only
    opens with a name: both stay lead-ins)."""
    name = _title_of(cleaned)
    product = bool(_PRODUCT_NAME.fullmatch(name))
    if bulleted:  # "- **Auto-scaling**:" over its points is a feature of the section's
        return product and _indent(following) > _indent(line)  # service, not a section
    marked = cleaned.endswith(":") or (cleaned.startswith("[") and cleaned.endswith("]"))
    if _indent(line) or not marked or previous.strip():
        return False
    if not product:
        capitalised = all(w[:1].isupper() or w[:1].isdigit() for w in name.split())
        if not (capitalised and len(words(name)) <= 4 and is_name(name)):
            return False
    return _indent(following) > 0 or bool(_BULLET.match(following))


def _title_of(cleaned: str) -> str:
    """The name a title line holds: "AWS Graviton" of "AWS Graviton:" or "[AWS Graviton]"."""
    return cleaned.strip().rstrip(":").strip().removeprefix("[").removesuffix("]").strip()


def _is_list_title(line: str, following: str) -> bool:
    """ "pricing (approx)" alone after a blank line and over bullets, after a titled part
    ("SFTP connectors (outbound)"): the next part of the section, not a list inside the
    last one."""
    text = line.strip()
    return (
        line[:1].isalnum()
        and len(words(text)) <= _MAX_TOPIC_WORDS
        and not text.endswith(_CLOSED)
        and ":" not in text
        and bool(_BULLET.match(following))
    )


_NUMBERED = re.compile(r"^\d+[.)]\s")


def _text_before(lines: list[tuple[int, str]], position: int) -> str:
    """The nearest line with text above `position`."""
    return next((lines[at][1] for at in range(position - 1, -1, -1) if lines[at][1].strip()), "")


def _is_numbered_title(text: str, around: tuple[str, str], neighbours: tuple[str, str]) -> bool:
    """ "1) AWS Mainframe Modernization (M2)" alone between blank lines (`around`), at the
    margin: a numbered section of a plain-text note, not an item of a list (whose other
    items would be its nearest lines with text, `neighbours`)."""
    return (
        not any(side.strip() for side in around)
        and not any(_NUMBERED.match(side) for side in neighbours)
        and text[:1].isupper()
        and _short_and_open(text)
    )


_QUOTE = re.compile(r"^\s*(?:>\s?)+")  # a Markdown quote's marks ("> **EOS = 30 Sep 2026.**")


def _repaired_lines(text: str) -> list[tuple[int, str]]:
    """Each line repaired on its own, so every part keeps the line it came from."""
    out: list[tuple[int, str]] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        raw = _QUOTE.sub("", raw)
        fixed = repair(raw) if raw.strip() else ""
        for piece in fixed.split("\n") or [""]:
            out.append((number, piece))
    return out


def read_blocks(text: str, is_name: Callable[[str], bool] = lambda _: False) -> list[Block]:
    """The blocks of a note, in order."""
    lines = _repaired_lines(text)
    blocks: list[Block] = []
    fence: list[tuple[int, str]] | None = None
    fence_line = 0
    table: list[tuple[int, str]] = []
    table_line = 0
    lead_in: Block | None = None  # a line ending in ":" whose list follows
    lead_in_bulleted = False  # its items must then sit deeper than it

    def flush_table() -> None:
        nonlocal table
        if table:
            kept = [(n, r) for n, r in table if not _TABLE_SEPARATOR.match(r)]
            if len(kept) >= 2:
                rows = [_cells(r) for _, r in kept]
                blocks.append(
                    Block("table", "", table_line, rows=rows, row_lines=[n for n, _ in kept])
                )
            table = []

    skip_until = -1
    last_indent = 0
    # Whether the section has a title of the plain-text kind ("SFTP connectors
    # (outbound)" over its bullets): the lines like it that follow are its siblings.
    titled = False
    for position, (number, line) in enumerate(lines):
        if position <= skip_until:
            continue
        plain_table = _plain_table_at(lines, position) if fence is None else None
        if plain_table is not None:
            (rows, row_lines), skip_until = plain_table
            blocks.append(Block("table", "", number, rows=rows, row_lines=row_lines))
            continue
        # "~~~~~~" right under a title underlines it; a fence opens after a break.
        underline = fence is None and _UNDERLINE.match(line) and lines[position - 1][1].strip()
        if _FENCE.match(line) and not (position and underline):
            if fence is None:
                fence, fence_line = [], number
            else:
                fenced = _aligned_table(fence)
                if fenced:
                    rows, row_lines = fenced
                    blocks.append(
                        Block("table", "", fence_line + 1, rows=rows, row_lines=row_lines)
                    )
                elif fence:
                    blocks.append(Block("dropped", fence[0][1].strip(), fence_line, why="code"))
                fence = None
            continue
        if fence is not None:
            fence.append((number, line))
            continue
        if line.lstrip().startswith("|") and line.count("|") >= 2:
            if not table:
                table_line = number
            table.append((number, line))
            continue
        flush_table()
        following = next((ln for _, ln in lines[position + 1 :] if ln.strip()), "")
        previous = lines[position - 1][1] if position else ""
        if not line.strip():
            lead_in = None
            continue
        if not any(c.isalnum() for c in line):
            underlines = blocks and blocks[-1].kind in ("text", "heading", "item")
            if _UNDERLINE.match(line) and underlines and blocks[-1].line == lines[position - 1][0]:
                last = blocks[-1]
                blocks[-1] = Block("heading", last.text, last.line, 1 if "=" in line else 2)
                titled = False
            continue
        heading = _HEADING.match(line)
        banner = None if heading else _BANNER.match(line)
        if heading or banner:
            title, level = (
                (heading.group(2), len(heading.group(1)))
                if heading
                else (banner.group(2), 1 if banner.group(1) == "=" else 2)
            )
            blocks.append(Block("heading", _clean(title), number, level))
            lead_in = None
            titled = False
            continue
        bullet = _BULLET.match(line)
        body = line[bullet.end() :] if bullet else line
        cleaned = _clean(body)
        if not cleaned:
            continue
        next_line = lines[position + 1][1] if position + 1 < len(lines) else ""
        if _NUMBERED.match(line) and _is_numbered_title(
            cleaned, (previous, next_line), (_text_before(lines, position), following)
        ):
            blocks.append(Block("heading", cleaned, number, 2))
            titled = True
            lead_in = None
            continue
        if _is_product_title(line, cleaned, bool(bullet), previous, following, is_name):
            blocks.append(Block("heading", _title_of(cleaned), number, 3))
            titled = True
            lead_in = None
            continue
        if not bullet and (
            _UNDERLINE.match(next_line)
            or _is_title(cleaned, previous, following, is_name)
            or (titled and not previous.strip() and _is_list_title(line, following))
        ):
            blocks.append(Block("heading", cleaned, number, 3))
            titled = True
            lead_in = None
            continue
        last = blocks[-1] if blocks else None
        joins = (
            last is not None
            and last.kind in ("text", "item")
            and last.line < number
            and not bullet
            and previous.strip()
            # a line out-dented from an indented bullet starts a part of its own ("quotas")
            and not (last.kind == "item" and 0 < last.level >= _indent(line))
            # "need    -> Service" and "UW   = UltraWarm" lines, one under another, are
            # each a line of its own
            and not (_indent(line) <= last_indent and _same_shape(last.text, cleaned))
            and (
                # an indented line under a bullet goes on with it, even after a full stop
                (last.kind == "item" and line[:1].isspace() and not last.text.endswith(":"))
                or (
                    not last.text.endswith((*_ENDS_SENTENCE, ":"))
                    and (cleaned[:1].islower() or len(words(cleaned)) <= 2 or line[:1].isspace())
                )
            )
        )
        if joins and last is not None:
            last.text = f"{last.text} {cleaned}"
            if last.lead:
                last.tail = f"{last.tail} {cleaned}"
            continue
        lead, tail, colon = _lead_of(body)
        indent = len(bullet.group(1)) if bullet else 0
        if not bullet and last is not None and last.kind == "item" and _indent(line) < last.level:
            lead_in = None  # back at the margin after indented bullets: their list is over
        kind = "item" if bullet or (lead_in is not None and not cleaned.endswith(":")) else "text"
        block = Block(kind, cleaned, number, indent, lead, tail, colon)
        if lead_in is not None and bullet and lead_in_bulleted and indent <= lead_in.level:
            lead_in = None  # a sibling of a bulleted lead-in ends its list
        if lead_in is not None and kind == "item" and indent >= lead_in.level:
            block.context = lead_in.text.rstrip(":")
        blocks.append(block)
        last_indent = _indent(line)  # where its first line starts: its own lines go deeper
        starts_list = (
            not bullet
            and len(words(cleaned)) <= 8
            and not cleaned.endswith(_ENDS_SENTENCE)
            and not block.choice  # "moving off payShield -> Payment Cryptography"
            and not _DEFINITION_LINE.match(cleaned)  # "AOSS = Amazon OpenSearch Serverless"
        )
        # A short bullet with deeper bullets under it ("- manual approval action" over
        # "  - default timeout 7 days") names what they are about; a longer one says
        # something of its own, and its sub-points stand alone.
        deeper = _BULLET.match(following)
        names_a_topic = len(words(cleaned)) <= _MAX_TOPIC_WORDS and not _DIGIT.search(cleaned)
        starts_list = starts_list or bool(
            bullet and deeper and len(deeper.group(1)) > indent and names_a_topic
        )
        if cleaned.endswith(":") or (lead and not tail.strip()) or starts_list:
            lead_in, lead_in_bulleted = block, bool(bullet)
    flush_table()
    return _join_lists(blocks)


def _join_lists(blocks: list[Block]) -> list[Block]:
    """A lead-in with a list of short items is one statement: "Stages: build, test"."""
    out: list[Block] = []
    position = 0
    while position < len(blocks):
        block = blocks[position]
        items: list[Block] = []
        cursor = position + 1
        while (
            cursor < len(blocks)
            and blocks[cursor].kind == "item"
            and blocks[cursor].context
            and blocks[cursor].context == block.text.rstrip(":")
        ):
            items.append(blocks[cursor])
            cursor += 1
        short = items and all(
            len(words(i.text)) <= _MAX_ITEM_WORDS and not i.text.endswith(_ENDS_SENTENCE)
            for i in items
        )
        brief = items and len(block.text) + sum(len(i.text) + 2 for i in items) <= _MAX_JOINED
        if (short or brief) and block.kind in ("text", "item"):
            joined = (", " if short else "; ").join(i.text.rstrip(".") for i in items)
            merged = Block(block.kind, f"{block.text.rstrip(':')}: {joined}.", block.line)
            merged.lead, merged.tail, merged.lead_colon = block.lead, block.tail, block.lead_colon
            merged.level = block.level
            out.append(merged)
            position = cursor
            continue
        out.append(block)
        position += 1
    return out
