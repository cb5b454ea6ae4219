"""Finding a family at the door by what the organiser types: the child's name in 汉字, its 拼音 in full, by initials
or mixed ("lxy", "liuxiaoyu", "liuxy" and "xiaoyu" all find 刘小宇), or the last digits of a guardian's phone.

The query is cleaned and bounded before anything else: full-width letters and digits fold to ASCII, spaces and
apostrophes go, at most MAX_QUERY characters count. Readings come from pypinyin's own dictionary (offline), every
reading of a character counts (曾 matches zeng and ceng; 吕 lv and lu), and both are cached per process, so a
search over a school's families is a scan of short tuples in memory.
"""

from __future__ import annotations

import functools
import unicodedata
from dataclasses import dataclass

from pypinyin import Style, pinyin

MAX_QUERY = 30
MIN_PHONE_DIGITS = 4
PHONE_DIGITS = 11
_DROPPED = set("'’‘`·-_.")


def is_hanzi(ch: str) -> bool:
    cp = ord(ch)
    return 0x4E00 <= cp <= 0x9FFF or 0x3400 <= cp <= 0x4DBF or 0x20000 <= cp <= 0x2EBEF or 0xF900 <= cp <= 0xFAFF


@dataclass(frozen=True)
class Query:
    """A cleaned query: kind is "hanzi", "pinyin", "phone", "short_phone", "unsupported" or "empty"."""

    kind: str
    text: str = ""

    @property
    def searchable(self) -> bool:
        return self.kind in ("hanzi", "pinyin", "phone")


def parse_query(raw: object) -> Query:
    text = unicodedata.normalize("NFKC", str(raw or "")[: MAX_QUERY * 8]).lower()
    text = "".join(ch for ch in text if not ch.isspace() and ch not in _DROPPED)[:MAX_QUERY]
    if not text:
        return Query("empty")
    hanzi = "".join(ch for ch in text if is_hanzi(ch))
    if hanzi:
        return Query("hanzi", hanzi)
    if text.isascii() and text.isdigit():
        if len(text) < MIN_PHONE_DIGITS:
            return Query("short_phone", text)
        return Query("phone", text[-PHONE_DIGITS:])
    if text.isascii() and text.isalpha():
        return Query("pinyin", text)
    return Query("unsupported")


@functools.lru_cache(maxsize=16384)
def _readings(ch: str) -> tuple[str, ...]:
    """Every toneless reading of one character; ü is typed as v or u. Latin letters and digits stand for themselves."""
    if ch.isascii():
        return (ch,) if ch.isalnum() else ()
    if not is_hanzi(ch):
        return ()
    found = pinyin(ch, style=Style.NORMAL, heteronym=True, errors="ignore")
    readings = {r for group in found for r in group if r.isascii() and r.isalpha()}
    readings |= {r.replace("v", "u") for r in readings if "v" in r}
    return tuple(sorted(readings))


@functools.lru_cache(maxsize=32768)
def name_key(name: str) -> tuple[tuple[str, ...], ...]:
    """A name as the readings of each of its characters (characters without a reading are left out)."""
    return tuple(r for r in (_readings(ch) for ch in name.lower()) if r)


@functools.lru_cache(maxsize=32768)
def _starts(name: str) -> dict[str, tuple[int, ...]]:
    """For each first letter of a reading, the characters of the name it may start a match from."""
    out: dict[str, list[int]] = {}
    for i, readings in enumerate(name_key(name)):
        for letter in {r[0] for r in readings}:
            out.setdefault(letter, []).append(i)
    return {letter: tuple(at) for letter, at in out.items()}


def _spells(key: tuple[tuple[str, ...], ...], start: int, query: str) -> bool:
    """Whether the query, read from the start-th character on, spells each character with a prefix of one of its
    readings (at least its first letter) until the query is used up."""
    n = len(query)
    at = {0}  # how much of the query the characters so far may have used
    for readings in key[start:]:
        nxt = set()
        for j in at:
            for reading in readings:
                k = 0
                while k < len(reading) and j + k < n and reading[k] == query[j + k]:
                    k += 1
                    if j + k == n:
                        return True
                    nxt.add(j + k)
        if not nxt:
            return False
        at = nxt
    return False


def pinyin_position(query: str, name: str) -> int | None:
    """The character from which the query spells the name (0: from the first, the surname), or None."""
    starts = _starts(name).get(query[0])
    if starts:
        key = name_key(name)
        for start in starts:
            if _spells(key, start, query):
                return start
    return None
