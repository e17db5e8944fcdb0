"""Web boilerplate out of article text before parsing, without moving a single character.

Text copied from news sites carries embedded tweets, ``pic.twitter.com`` links, share and
comment prompts, "Related News" link lists, advertising blocks, hashtag lines, image credits
and bare URLs. None of it is the article, and parsed it becomes nodes ("StockXpo", "Listed On
OKX").

Cleaning *blanks* noise instead of deleting it: every noise character except line breaks
becomes a space. The cleaned text has the same length and the same line breaks as the text
read, so every offset of every triple points into the document exactly as read and no offset
map is needed. Noise is blanked as whole lines or as the tail of a line; since sentences never
cross a line break (``extractors.nlp``), a sentence's text is always the same in both.

Each kind of noise is one named pattern in :data:`LINE_NOISE` (whole lines),
:data:`TAIL_NOISE` (the end of a line with text before it) or a block rule (a heading and the
list under it: :data:`LINK_LIST_HEADINGS`, :data:`AD_WORDS`).

>>> text = "Ant Group was fined.\\npic.twitter.com/2Fi8VHsBLn\\nLeave a Comment"
>>> cleaned = clean(text)
>>> cleaned.text.split("\\n") == ["Ant Group was fined.", " " * 26, " " * 15]
True
>>> [(n.kind, n.text) for n in cleaned.noise]
[('tweet', 'pic.twitter.com/2Fi8VHsBLn'), ('prompt', 'Leave a Comment')]
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_URL = r"(?:https?://|www\.)\S+"
_HANDLE_AND_DATE = r"\(@\w{1,15}\)\s+[A-Z][a-z]+\.? \d{1,2}, \d{4}"

#: Whole lines that are noise, by kind. Patterns match the stripped line, case-insensitively.
LINE_NOISE: dict[str, re.Pattern[str]] = {
    # The text of an embedded tweet ends in its t.co / pic.twitter.com links; the next line
    # credits it: "— StockXpo – All about stocks (@StockXpo) November 4, 2020".
    "tweet": re.compile(
        r".*(?:pic\.twitter\.com/\S+|https?://t\.co/\S+)\s*"
        rf"|[—–-]+\s*.*{_HANDLE_AND_DATE}"
        r"|a post shared by .*\(@[\w.]+\)", re.IGNORECASE),
    "url": re.compile(rf"{_URL}(?:\s+{_URL})*", re.IGNORECASE),
    "hashtags": re.compile(r"#\w+(?:[\s,]+#\w+)*"),
    "prompt": re.compile(
        r"(?:leave|post|add|write) a (?:comment|reply)|\d* ?comments?|show comments"
        r"|(?:share|tweet|email|print)(?: (?:this|on|via|the) [\w ]{1,30})?[:!]?"
        r"|click here[\w ,]{0,60}[.!:]?|(?:follow|like) us on [\w ,&]{1,40}[.!]?"
        r"|(?:sign up|subscribe)(?: (?:to|for) [\w ’'-]{1,40})?[.!:]?"
        r"|advertisement|sponsored(?: content)?|(?:continue|read) (?:reading|more)[.:]?",
        re.IGNORECASE),
    "credit": re.compile(
        r"(?:image|photo|picture|video)s?(?: source| credit)?s?\s*:.{0,60}"
        r"|\(?(?:photo|image|picture)s? (?:by|courtesy of|credit) .{1,60}",
        re.IGNORECASE),
}

#: Noise at the end of a line that has article text before it, by kind.
TAIL_NOISE: dict[str, re.Pattern[str]] = {
    # "...celebrate the shopping festival.  Photo: VCG"
    "credit": re.compile(r"(?<=[.!?”\"'])\s+(?:photo|image|picture)s?(?: credit| source)?"
                         r"\s*:\s*[^.!?]{1,60}$", re.IGNORECASE),
    "url": re.compile(rf"(?<=\S)(?:\s+{_URL})+\s*$", re.IGNORECASE),
}

#: Words without which each tail pattern cannot match (any case): looking for them first is
#: five times cheaper than the pattern's own search, which tries its lookbehind at every
#: character of a line (a third of cleaning the BBC corpus).
_TAIL_CUES: dict[str, tuple[str, ...]] = {
    "credit": ("photo", "image", "picture"),
    "url": ("http", "www."),
}
# For lines that are not ASCII, where case-insensitive matching is more than lower case
# ("İmage" matches "image"), the cues as patterns with the tail patterns' flags.
_TAIL_CUE_PATTERNS = {kind: re.compile("|".join(map(re.escape, words)), re.IGNORECASE)
                      for kind, words in _TAIL_CUES.items()}

#: Headings of link lists: the heading and the list items under it are noise.
LINK_LIST_HEADINGS = re.compile(
    r"(?:related|more|recommended|latest|popular|trending|top)"
    r" (?:news|articles?|stories|posts|reads?|reading|coverage|headlines)"
    r"|read (?:more|also|next)|also read|see also|you (?:may|might) also like"
    r"|more from [\w ]{1,40}|trending now", re.IGNORECASE)

#: Words that mark a heading with a list under it as an advertisement ("Wall Street Memes
#: (WSM) - Newest Meme Coin" followed by "- Listed On OKX", "- Staking Rewards").
AD_WORDS = re.compile(
    r"\b(?:meme ?coin|presale|pre-sale|airdrop|staking|sponsored|advertisement|promoted"
    r"|casino|buy now|limited offer|token sale|ico)\b", re.IGNORECASE)

_NOT_LINE_BREAK = re.compile(r"[^\r\n]")
_LIST_ITEM = re.compile(r"\s*(?:[-*•·–—]|\d{1,2}[.)])\s+\S.*")
#: An advertising list is short items without sentence punctuation.
_AD_ITEM = re.compile(r"\s*(?:[-*•·–—]|\d{1,2}[.)])\s+\S[^.!?]{0,80}")


@dataclass(frozen=True, slots=True)
class Noise:
    """One blanked span of the text as read: where it is, what it said, what kind it is."""

    start: int
    end: int
    text: str
    kind: str


@dataclass(frozen=True, slots=True)
class CleanText:
    """The text to parse (same length and line breaks as the input) and what was blanked."""

    text: str
    noise: tuple[Noise, ...]


def clean(text: str) -> CleanText:
    """Blank the boilerplate of ``text``; see the module docstring for what counts."""
    lines = _lines(text)
    spans: list[Noise] = []
    blanked: set[int] = set()
    for start_line, end_line, kind in _blocks(lines):
        for number in range(start_line, end_line):
            if lines[number][2]:
                blanked.add(number)
                spans.append(_whole_line(text, lines[number], kind))
    for number, line in enumerate(lines):
        if number in blanked or not line[2]:
            continue
        span = _line_noise(text, line)
        if span:
            spans.append(span)
    spans.sort(key=lambda span: span.start)
    return CleanText(blank(text, [(s.start, s.end) for s in spans]), tuple(spans))


def blank(text: str, spans: list[tuple[int, int]]) -> str:
    """Replace every character of ``spans`` but line breaks by a space.

    >>> blank("one\\ntwo", [(1, 6)])
    'o  \\n  o'
    """
    pieces = []
    position = 0
    for start, end in sorted(spans):
        start = max(start, position)
        if end <= start:
            continue
        pieces.append(text[position:start])
        pieces.append(_NOT_LINE_BREAK.sub(" ", text[start:end]))
        position = end
    pieces.append(text[position:])
    return "".join(pieces)


def _lines(text: str) -> list[tuple[int, int, str]]:
    """``(start, end, stripped text)`` of every line, ``end`` before its line break."""
    found = []
    position = 0
    for raw in text.splitlines(keepends=True):
        content = raw.rstrip("\r\n")
        found.append((position, position + len(content), content.strip()))
        position += len(raw)
    return found


def _blocks(lines: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """Link lists and ad blocks: a heading line and the list items under it, with their kind."""
    blocks = []
    for number, (_, _, heading) in enumerate(lines):
        is_link_list = LINK_LIST_HEADINGS.fullmatch(heading.rstrip(":"))
        is_ad = len(heading) <= 100 and AD_WORDS.search(heading)
        if not (is_link_list or is_ad) or _LIST_ITEM.match(heading):
            continue
        item = _AD_ITEM if not is_link_list else _LIST_ITEM
        end = number + 1
        while end < len(lines) and (not lines[end][2] or item.fullmatch(lines[end][2])):
            end += 1
        while end > number + 1 and not lines[end - 1][2]:
            end -= 1
        if end > number + 1:
            blocks.append((number, end, "link list" if is_link_list else "ad"))
    return blocks


def _whole_line(text: str, line: tuple[int, int, str], kind: str) -> Noise:
    start, end, _ = line
    return Noise(start, end, text[start:end], kind)


def _line_noise(text: str, line: tuple[int, int, str]) -> Noise | None:
    start, end, content = line
    for kind, pattern in LINE_NOISE.items():
        if pattern.fullmatch(content):
            return _whole_line(text, line, kind)
    lowered = content.lower() if content.isascii() else None
    for kind, pattern in TAIL_NOISE.items():
        if lowered is None:
            cued = _TAIL_CUE_PATTERNS[kind].search(content)
        else:
            cued = any(word in lowered for word in _TAIL_CUES[kind])
        found = cued and pattern.search(text, start, end)
        if found:
            return Noise(found.start(), end, text[found.start():end], kind)
    return None
