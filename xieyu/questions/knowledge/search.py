"""Chinese search and similarity: normalised text, jieba terms, synonym and situation layers kept as data, pinyin
matching, BM25 over an index in the database.

A text becomes terms the same way on both sides, the indexed documents and the queries:

1. normalise: NFKC (full-width letters, digits and punctuation to half-width), lower case, traditional characters to
   simplified (OpenCC, with the Taiwan variants: 著 → 着 where it reads zhe);
2. cut with our own jieba tokenizer — its dictionary plus data/userdict.txt and every word of data/synonyms.txt — in a
   search mode that keeps a word whole and adds its parts (jieba's own 2- and 3-grams for its dictionary words; for
   our compounds, the words of two characters or more that jieba cuts them into without them: 写作业 → 作业, never
   the 写作 a blind n-gram would give);
3. drop stopwords (data/stopwords.txt), punctuation and numbers, and fold synonyms (data/synonyms.txt: Mandarin,
   Gan, Hakka and colloquial words) to the first word of their group;
4. add the topic terms of every situation the text describes (data/situations.tsv: 拿着手机不放 → 沉迷 手机).

A query is also sounded out (pypinyin), for words the index holds under another spelling: Latin-letter runs are read
as pinyin syllables ("haizi bu xiang xie zuoye") or as initials ("hz", "sj"); runs of single characters and words
the index lacks are read as homophones of indexed words that differ by at most one character (同音字 typos: 做业 →
作业). Each indexed term keeps its toneless pinyin and its initials beside its document frequency (TermStat.py,
TermStat.ini), so sounding out costs no extra query.

The index is a posting table (term → documents, with each posting's BM25 term weight computed when indexed), a
document-frequency table and one row of totals per kind. A lookup is three small queries: the totals, the
document frequencies of the query's terms and of the indexed terms that sound like it (one query), and one grouped
sum over their postings — no scan of the documents. Terms held by more than MAX_DF_SHARE of the documents are dropped
from a query when rarer terms remain, and the rarest terms are summed first within a budget of postings.

The index remembers the fingerprint of what built it (INDEX_VERSION and the data files, `fingerprint()`); after every
`migrate`, `reindex.rebuild_if_stale` rebuilds an index built otherwise (also `manage.py reindex_search`).
"""

from __future__ import annotations

import hashlib
import logging
import math
import re
import threading
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache, lru_cache
from pathlib import Path

from django.db import transaction
from django.db.models import BigIntegerField, Case, ExpressionWrapper, F, FloatField, Q, Sum, Value, When

from .models import DocKind, IndexStat, Posting, TermStat

K1, B = 1.2, 0.75
MAX_DF_SHARE = 0.25
MIN_DOCS_TO_PRUNE = 50
MAX_QUERY_TERMS = 24
# A lookup sums at most about this many postings: the query's rarest terms first, while they fit (and always the
# MIN_TERMS_KEPT rarest), so its cost stays bounded whatever the size of the index.
MAX_POSTINGS = 30_000
MIN_TERMS_KEPT = 3
MAX_TERM_LEN = 24
MAX_KEY_LEN = 64  # TermStat.py

# Sounding out: at most this many syllables (or initials) of Latin letters per query, n-grams of up to MAX_NGRAM of
# them, and this many sound keys in all; a term found by its sound weighs SOUND_WEIGHT of a term typed as such.
MAX_SYLLABLES = 40
MAX_NGRAM = 4
MAX_SOUND_KEYS = 96
SOUND_WEIGHT = 0.8
SINGLE_SYLLABLE_WEIGHT = 0.5
# A query term only jieba's blind n-grams of a longer word gave (第二天 → 第二 二天) weighs this much: a rare word
# would otherwise count two or three times over.
BLIND_WEIGHT = 0.5

# Bump when the code that turns text into terms changes (the data files are fingerprinted by their content).
INDEX_VERSION = 2
DATA = Path(__file__).resolve().parent / "data"
INDEX_FILES = ("synonyms.txt", "userdict.txt", "situations.tsv", "stopwords.txt")

_PUNCT = re.compile(r"^[\W_]+$")
_CJK = re.compile(r"^[\u3400-\u9fff]+$")
_LATIN_RUN = re.compile(r"[a-z]+(?:['\s]+[a-z]+)*")
_LATIN_WORD = re.compile(r"[a-z]+")
_VOWELS = set("aeiouv")

log = logging.getLogger(__name__)


# --- the data files ---------------------------------------------------------------------------------------------


def _lines(name: str) -> list[str]:
    """The lines of a data file, comments ("#" to the end of the line) and blank lines dropped."""
    out = []
    for line in (DATA / name).read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            out.append(line)
    return out


def _situation_pattern(source: str) -> re.Pattern[str]:
    """A situation pattern: literal text, "(a|b)" alternatives, "?" after a character or group for "maybe", and "*"
    for a gap of up to ten characters within one sentence."""
    out = []
    for ch in source:
        if ch == "*":
            out.append(r"[^。!?;\n]{0,10}?")
        elif ch == "(":
            out.append("(?:")
        elif ch in ")|?":
            out.append(ch)
        else:
            out.append(re.escape(ch))
    return re.compile("".join(out))


@dataclass(frozen=True)
class Lexicon:
    """What data/ says: synonyms folded to their canonical word, stopwords, our tokenizer's words, situations."""

    synonym_of: dict[str, str]
    stopwords: frozenset[str]
    hot_stopwords: frozenset[str]
    user_words: dict[str, tuple[int | None, str | None]]  # word → (jieba frequency, part of speech)
    situations: list[tuple[re.Pattern[str], tuple[str, ...]]]
    fingerprint: str


@cache
def lexicon() -> Lexicon:
    synonym_of: dict[str, str] = {}
    for line in _lines("synonyms.txt"):
        group = [normalise(w) for w in line.split()]
        for word in group:
            synonym_of.setdefault(word, group[0])  # a word in two groups folds to the first group's word
    user_words: dict[str, tuple[int | None, str | None]] = {}
    for line in _lines("userdict.txt"):
        word, *rest = line.split()
        freq = int(rest[0]) if rest and rest[0].isdigit() else None
        tag = rest[-1] if rest and not rest[-1].isdigit() else None
        user_words[normalise(word)] = (freq, tag)
    stopwords = frozenset(normalise(w) for line in _lines("stopwords.txt") for w in line.split())
    situations = []
    for line in _lines("situations.tsv"):
        pattern, topics = line.split("\t", 1)
        folded = tuple(dict.fromkeys(synonym_of.get(t, t) for t in topics.split()))
        situations.append((_situation_pattern(normalise(pattern.strip())), folded))
    hot = frozenset(normalise(w) for line in _lines("hot_stopwords.txt") for w in line.split())
    digest = hashlib.sha256(str(INDEX_VERSION).encode())
    for name in INDEX_FILES:
        digest.update((DATA / name).read_bytes())
    return Lexicon(synonym_of, stopwords, stopwords | hot, user_words, situations, digest.hexdigest()[:16])


def fingerprint() -> str:
    """What the terms of a text depend on (INDEX_VERSION and the data files): an index built otherwise is stale."""
    return lexicon().fingerprint


# --- normalisation and the tokenizer ----------------------------------------------------------------------------

_lock = threading.Lock()
_tokenizer = None
_parts: dict[str, list[str]] = {}
_pos_tokenizer = None


@cache
def _converter(config: str):
    import opencc

    return opencc.OpenCC(config)


def normalise_plain(text: str) -> str:
    """Full-width to half-width (NFKC) and lower case, without the traditional → simplified conversion."""
    return unicodedata.normalize("NFKC", text or "").lower()


def normalise(text: str) -> str:
    """The text search reads: half-width, lower case, simplified characters (OpenCC t2s). A text that holds
    traditional characters is read as Taiwan-standard traditional (tw2s: 拿著 → 拿着, where t2s keeps 著); tw2s is not
    used on simplified text, where it would read 么 as the variant of 幺."""
    text = normalise_plain(text)
    if not text:
        return ""
    simplified = _converter("t2s").convert(text)
    return simplified if simplified == text else _converter("tw2s").convert(text)


def _tk():
    """Our own jieba tokenizer (loaded once per process), so our words do not change other modules' cuts."""
    global _tokenizer
    if _tokenizer is None:
        with _lock:
            if _tokenizer is None:
                # Imported on first use, not at start-up: jieba costs ~1 s to load, which only processes that search
                # should pay (not every manage.py command, worker and test run).
                import jieba

                jieba.setLogLevel(logging.WARNING)  # jieba logs its dictionary loading at DEBUG on its own handler
                lex = lexicon()
                tk = jieba.Tokenizer()
                tk.initialize()
                ours = dict(lex.user_words)
                for word in lex.synonym_of:
                    if len(word) >= 2 and word not in ours:
                        ours[word] = (None, None)
                parts = {}
                for word in ours:
                    if not tk.FREQ.get(word):  # a compound of ours: its parts as jieba cut it without it
                        parts[word] = [p for p in tk.lcut(word, HMM=False) if len(p) >= 2 and p != word]
                for word, (freq, tag) in ours.items():
                    if tk.FREQ.get(word) and freq is None and tag is None:
                        continue  # jieba knows the word already
                    tk.add_word(word, freq=freq, tag=tag)
                _parts.update(parts)
                _tokenizer = tk
    return _tokenizer


def _pos():
    """Part-of-speech tagging with our tokenizer (for hot-topic keywords)."""
    global _pos_tokenizer
    if _pos_tokenizer is None:
        tk = _tk()
        with _lock:
            if _pos_tokenizer is None:
                import jieba.posseg

                _pos_tokenizer = jieba.posseg.POSTokenizer(tk)
    return _pos_tokenizer


def _words(text: str) -> list[str]:
    """jieba's precise cut of a normalised text, with our words."""
    return [w for w in _tk().cut(text) if w.strip()]


def _grams(word: str) -> list[str]:
    """jieba's search-mode n-grams of a word of its dictionary: every 2-gram (and 3-gram) that is a word."""
    if len(word) <= 2 or word in _parts:
        return []
    freq = _tk().FREQ
    out = [word[i : i + 2] for i in range(len(word) - 1) if freq.get(word[i : i + 2])]
    if len(word) > 3:
        out += [word[i : i + 3] for i in range(len(word) - 2) if freq.get(word[i : i + 3])]
    return out


def _expand(word: str) -> list[str]:
    """A word and its parts (search mode): our compounds' real parts, or jieba's n-grams for its own words."""
    return [*_parts.get(word, ()), *_grams(word), word]


def _keep(word: str, lex: Lexicon) -> str | None:
    """The index term of one cut word, or None when it says nothing (a stopword, punctuation, a number)."""
    if not word or word in lex.stopwords or _PUNCT.match(word) or word.isdigit():
        return None
    word = lex.synonym_of.get(word, word)
    return word if len(word) <= MAX_TERM_LEN else None


def situation_terms(text: str) -> list[str]:
    """The topic terms of the situations a normalised text describes (data/situations.tsv)."""
    out: list[str] = []
    for pattern, topics in lexicon().situations:
        if pattern.search(text):
            out += [t for t in topics if t not in out]
    return out


def _terms_of(norm: str) -> list[str]:
    lex = lexicon()
    out = []
    for word in _words(norm):
        for w in _expand(word):
            t = _keep(w, lex)
            if t:
                out.append(t)
    return out + situation_terms(norm)


def terms(text: str) -> list[str]:
    """The index terms of a text, in order and with repeats (see the module's docstring)."""
    return _terms_of(normalise(text))


def keywords(text: str, n: int = 3) -> list[str]:
    """The n most telling words of a text (jieba's TF-IDF keywords, its own dictionary), e.g. for a plain LIKE
    search (the benchmark's baseline)."""
    import jieba.analyse  # on first use: it loads its IDF table when imported (see _tk)

    return [w for w in jieba.analyse.extract_tags(text or "", topK=n * 2) if w not in lexicon().stopwords][:n]


# --- hot-topic keywords -----------------------------------------------------------------------------------------

# Parts of speech that name what a question is about: nouns, verbs and verbal nouns, idioms and set phrases,
# adjectives and state words (焦虑, 磨蹭). Pronouns, adverbs, prepositions, conjunctions, particles, numerals,
# measure words, interjections, time words, personal and place names are never hot.
HOT_POS = frozenset("n ng nz nl v vn vi vg vd l i a an z".split())


@cache
def _idf() -> tuple[dict[str, float], float]:
    from jieba.analyse.tfidf import DEFAULT_IDF, IDFLoader

    return IDFLoader(DEFAULT_IDF).get_idf()


def hot_terms(text: str, n: int = 6) -> list[str]:
    """The few terms that say what a question is about (for hot topics): nouns and verb phrases by jieba's part of
    speech, synonyms folded, stopwords (data/stopwords.txt and data/hot_stopwords.txt) dropped, plus the topics of the
    situations the text describes; the telling ones first (TF-IDF), at most n."""
    lex = lexicon()
    norm = normalise(text)
    counts: Counter[str] = Counter()
    for pair in _pos().cut(_LATIN_RUN.sub(" ", norm)):
        word, flag = pair.word, pair.flag
        if len(word) < 2 or word in lex.hot_stopwords:
            continue
        ours = word in lex.synonym_of or word in lex.user_words
        if flag not in HOT_POS and not ours:
            continue
        # A verb phrase of ours counts by what it is about (玩手机, 刷手机 → 手机; 写作业 → 作业); our nouns and set
        # phrases count whole (留守儿童, 注意力不集中).
        parts = _parts.get(word) if ours and (lex.user_words.get(word, (None, None))[1] or "v")[0] == "v" else None
        for w in parts or [word]:
            term = lex.synonym_of.get(w, w)
            if len(term) >= 2 and term not in lex.hot_stopwords and len(term) <= MAX_TERM_LEN:
                counts[term] += 1
    for topic in situation_terms(norm):
        for term in _parts.get(topic) or [topic]:
            term = lex.synonym_of.get(term, term)
            if len(term) >= 2 and term not in lex.hot_stopwords:
                counts[term] += 1
    idf, median = _idf()
    ranked = sorted(counts, key=lambda t: (-counts[t] * idf.get(t, median), t))
    return ranked[:n]


def topic_terms(text: str) -> frozenset[str]:
    """The content terms of a short text (a topic request's title): its search terms without the words that say
    nothing of the subject (hot stopwords, single characters). Two topics about one thing share most of them."""
    hot = lexicon().hot_stopwords
    return frozenset(t for t in terms(text) if len(t) >= 2 and t not in hot)


# --- sounding out: pinyin and initials --------------------------------------------------------------------------


@cache
def _syllables() -> frozenset[str]:
    """Every toneless pinyin syllable pypinyin knows (ü written v, as typed)."""
    from pypinyin.contrib.tone_convert import to_normal
    from pypinyin.pinyin_dict import pinyin_dict

    out = {to_normal(p).replace("ü", "v") for value in pinyin_dict.values() for p in value.split(",")}
    return frozenset(s for s in out if s.isascii() and s.isalpha())


@lru_cache(maxsize=65536)
def sound_keys(term: str) -> tuple[str, str]:
    """(toneless pinyin, initials) of an indexed term of Chinese characters; ("", "") for anything else. Initials
    only for terms of two characters or more."""
    if not _CJK.match(term):
        return "", ""
    from pypinyin import Style, lazy_pinyin

    py = "".join(lazy_pinyin(term, v_to_u=False)).replace("ü", "v")
    ini = "".join(lazy_pinyin(term, style=Style.FIRST_LETTER)) if len(term) >= 2 else ""
    return (py if len(py) <= MAX_KEY_LEN and py.isascii() else ""), ini[:MAX_TERM_LEN]


def _split_syllables(word: str) -> list[str] | None:
    """A run of Latin letters as the fewest pinyin syllables ("haizi" → hai zi), or None when it is not pinyin."""
    valid = _syllables()
    best: dict[int, list[str]] = {0: []}
    for i in range(len(word)):
        if i not in best:
            continue
        for j in range(i + 1, min(len(word), i + 6) + 1):
            if word[i:j] in valid and (j not in best or len(best[i]) + 1 < len(best[j])):
                best[j] = [*best[i], word[i:j]]
    return best.get(len(word))


@dataclass
class _Sound:
    key: str
    kind: str  # "py" or "ini"
    group: int  # sounds of one group compete for the same syllables
    start: int
    end: int
    typed: str = ""  # the characters typed, for homophone typos (the found word differs by at most one)


@dataclass
class _Query:
    terms: list[str] = field(default_factory=list)
    sounds: list[_Sound] = field(default_factory=list)
    fallback: dict[str, _Sound] = field(default_factory=dict)  # typed word → its sound, used when not indexed
    static: dict[str, set[tuple[str, str]]] = field(default_factory=dict)  # sound key → (our word, its term)
    blind: set[str] = field(default_factory=set)  # terms only jieba's blind n-grams gave (第二天 → 二天)


@cache
def _static_sounds() -> dict[str, dict[str, set[tuple[str, str]]]]:
    """Sound keys of the words of our data files, to (the word, the index term it folds to): {"py": …, "ini": …}."""
    lex = lexicon()
    out: dict[str, dict[str, set[tuple[str, str]]]] = {"py": defaultdict(set), "ini": defaultdict(set)}
    for word in [*lex.synonym_of, *lex.user_words]:
        term = lex.synonym_of.get(word, word)
        if term in lex.stopwords:
            continue
        py, ini = sound_keys(word)
        if py:
            out["py"][py].add((word, term))
        if ini:
            out["ini"][ini].add((word, term))
    return out


def _syllable_grams(syllables: list[str], group: int, offset: int, q: _Query) -> None:
    """Sounds of 1 to MAX_NGRAM consecutive pinyin syllables ("hai zi" → hai, zi, haizi)."""
    for n in range(1, MAX_NGRAM + 1):
        for i in range(len(syllables) - n + 1):
            q.sounds.append(_Sound("".join(syllables[i : i + n]), "py", group, offset + i, offset + i + n))


def _plan(text: str) -> _Query:
    """What a query looks for: its terms, and the sounds of what it typed in Latin letters or maybe misspelt."""
    lex = lexicon()
    norm = normalise(text)
    q = _Query()
    latin: list[str] = []  # Latin words that are no pinyin: searched as typed (app, wifi)
    group = 0
    syllables = 0
    for match in _LATIN_RUN.finditer(norm):
        units: list[tuple[str, str]] = []
        for word in _LATIN_WORD.findall(match.group()):
            if word in lex.synonym_of:  # ipad, adhd
                latin.append(lex.synonym_of[word])
                continue
            split = _split_syllables(word)
            if split:
                units += [("py", s) for s in split]
                continue
            latin.append(word)
            if len(word) >= 2 and not _VOWELS & set(word):
                units += [("ini", ch) for ch in word]
        units = units[: max(0, MAX_SYLLABLES - syllables)]
        syllables += len(units)
        group += 1
        i = 0
        while i < len(units):  # pinyin: stretches of whole syllables
            j = i
            while j < len(units) and units[j][0] == units[i][0]:
                j += 1
            if units[i][0] == "py":
                _syllable_grams([u for _k, u in units[i:j]], group, i, q)
            i = j
        # initials: any 2-4 units read by their first letter, when one at least was typed as a bare initial
        # ("wan sj" → wsj → 玩手机)
        letters = [u[0] for _k, u in units]
        for n in range(2, MAX_NGRAM + 1):
            for i in range(len(units) - n + 1):
                if any(k == "ini" for k, _u in units[i : i + n]):
                    q.sounds.append(_Sound("".join(letters[i : i + n]), "ini", group, i, i + n))
    rest = _LATIN_RUN.sub(" ", norm)
    words = _words(rest)
    whole, blind = [], []
    for w in words:
        for part in [*_parts.get(w, ()), w]:
            t = _keep(part, lex)
            if t:
                whole.append(t)
        blind += [t for g in _grams(w) if (t := _keep(g, lex))]
    q.terms = list(dict.fromkeys([*whole, *situation_terms(rest), *latin, *blind]))[:MAX_QUERY_TERMS]
    q.blind = set(blind) - set(whole)
    # Homophone typos: runs of single characters and of words jieba's dictionary lacks (where an unknown word falls
    # apart, or its HMM glues a typo to a neighbour), and words of 2-4 characters the index may lack.
    from pypinyin import lazy_pinyin

    freq = _tk().FREQ
    run: list[str] = []
    for w in [*words, ""]:
        if _CJK.match(w) and (len(w) == 1 or (len(w) <= 3 and not freq.get(w))):
            run += list(w)
            continue
        if len(run) >= 2:
            group += 1
            sounds = [p.replace("ü", "v") for p in lazy_pinyin(run, v_to_u=False)]
            for n in (2, 3):
                for i in range(len(run) - n + 1):
                    q.sounds.append(
                        _Sound("".join(sounds[i : i + n]), "py", group, i, i + n, typed="".join(run[i : i + n]))
                    )
        run = []
        if 2 <= len(w) <= 4 and _CJK.match(w) and w not in lex.synonym_of and w not in lex.stopwords:
            py, _ini = sound_keys(w)
            if py:
                q.fallback[w] = _Sound(py, "py", 0, 0, 0, typed=w)
    q.sounds = q.sounds[:MAX_SOUND_KEYS]
    static = _static_sounds()
    for s in [*q.sounds, *q.fallback.values()]:
        if s.key in static[s.kind]:
            q.static[s.key] = static[s.kind][s.key]
    return q


def _one_off(found: str, typed: str) -> bool:
    """A homophone typo: as long as what was typed, differing in at most one character (and not the same)."""
    return len(found) == len(typed) and found != typed and sum(a != b for a, b in zip(found, typed, strict=True)) <= 1


def _heard(q: _Query, rows: list[tuple[str, int, str, str]], exact: dict[str, int]) -> dict[str, float]:
    """The index terms the query's sounds found (term → weight factor): in each group, the longest sounds first and
    then the commonest term, never two sounds over the same syllables."""
    by_key: dict[tuple[str, str], list[tuple[str, int]]] = defaultdict(list)
    df_of = {}
    for term, df, py, ini in rows:
        df_of[term] = df
        if py:
            by_key[("py", py)].append((term, df))
        if ini:
            by_key[("ini", ini)].append((term, df))
    found: dict[str, float] = {}
    choices = []
    for s in q.sounds:
        cands = list(by_key.get((s.kind, s.key), []))
        if s.typed:
            cands = [(t, df) for t, df in cands if _one_off(t, s.typed)]
        ours = q.static.get(s.key, ())
        cands += [(t, df_of[t]) for w, t in ours if t in df_of and (not s.typed or _one_off(w, s.typed))]
        if s.kind == "ini":
            cands = [(t, df) for t, df in cands if len(t) >= 2]
        if cands:
            term, df = max(cands, key=lambda c: (c[1], c[0]))
            choices.append((s.end - s.start, df, s, term))
    taken: dict[int, set[int]] = defaultdict(set)
    for n, _df, s, term in sorted(choices, key=lambda c: (-c[0], -c[1], c[2].start)):
        span = set(range(s.start, s.end))
        if taken[s.group] & span:
            continue
        taken[s.group] |= span
        factor = SOUND_WEIGHT if n > 1 or s.kind == "ini" else SINGLE_SYLLABLE_WEIGHT
        found[term] = max(found.get(term, 0.0), factor)
    for typed, s in q.fallback.items():
        if typed in exact:
            continue
        cands = [(t, df) for t, df in by_key.get(("py", s.key), []) if _one_off(t, typed)]
        cands += [(t, df_of[t]) for w, t in q.static.get(s.key, ()) if t in df_of and _one_off(w, typed)]
        if cands:
            term, _df = max(cands, key=lambda c: (c[1], c[0]))
            found[term] = max(found.get(term, 0.0), SOUND_WEIGHT)
    return {t: f for t, f in found.items() if t not in exact}


# --- indexing ---------------------------------------------------------------------------------------------------


def _tf_weight(tf: int, length: int, avg: float) -> float:
    return tf * (K1 + 1) / (tf + K1 * (1 - B + B * length / max(avg, 1.0)))


def _stat(kind: str) -> IndexStat:
    stat, _created = IndexStat.objects.get_or_create(kind=kind, defaults={"fingerprint": fingerprint()})
    return stat


def _term_stat(kind: str, term: str, df: int) -> TermStat:
    py, ini = sound_keys(term)
    return TermStat(kind=kind, term=term, df=df, py=py, ini=ini)


@transaction.atomic
def index_document(kind: str, doc_id: int, text: str) -> None:
    """(Re)index one document: its postings, the document frequencies of its terms and the kind's totals."""
    remove_document(kind, doc_id)
    counts = Counter(terms(text))
    if not counts:
        return
    length = sum(counts.values())
    stat = IndexStat.objects.select_for_update().get(pk=_stat(kind).pk)
    stat.docs += 1
    stat.total_len += length
    stat.save(update_fields=["docs", "total_len"])
    avg = stat.total_len / stat.docs
    Posting.objects.bulk_create(
        [Posting(kind=kind, term=t, doc_id=doc_id, tfw=_tf_weight(n, length, avg)) for t, n in counts.items()]
    )
    existing = set(TermStat.objects.filter(kind=kind, term__in=counts).values_list("term", flat=True))
    TermStat.objects.filter(kind=kind, term__in=existing).update(df=F("df") + 1)
    TermStat.objects.bulk_create([_term_stat(kind, t, 1) for t in counts if t not in existing], ignore_conflicts=True)


@transaction.atomic
def remove_document(kind: str, doc_id: int) -> None:
    postings = list(Posting.objects.filter(kind=kind, doc_id=doc_id).values_list("term", flat=True))
    if not postings:
        return
    Posting.objects.filter(kind=kind, doc_id=doc_id).delete()
    TermStat.objects.filter(kind=kind, term__in=postings).update(df=F("df") - 1)
    IndexStat.objects.filter(kind=kind).update(docs=F("docs") - 1)


def index_bulk(kind: str, docs: Iterable[tuple[int, str]], batch_size: int = 5000) -> int:
    """Index many new documents at once (seeding, benchmarks, a rebuild after clearing the kind); returns the count."""
    tokenized = [(doc_id, Counter(terms(text))) for doc_id, text in docs]
    tokenized = [(d, c) for d, c in tokenized if c]
    stat = _stat(kind)
    total_docs = stat.docs + len(tokenized)
    total_len = stat.total_len + sum(sum(c.values()) for _, c in tokenized)
    avg = total_len / max(total_docs, 1)
    df: Counter[str] = Counter()
    batch: list[Posting] = []
    with transaction.atomic():
        for doc_id, counts in tokenized:
            length = sum(counts.values())
            df.update(counts.keys())
            batch += [
                Posting(kind=kind, term=t, doc_id=doc_id, tfw=_tf_weight(n, length, avg)) for t, n in counts.items()
            ]
            if len(batch) >= batch_size:
                Posting.objects.bulk_create(batch)
                batch = []
        Posting.objects.bulk_create(batch)
        existing = dict(TermStat.objects.filter(kind=kind).values_list("term", "df"))
        TermStat.objects.bulk_create(
            [_term_stat(kind, t, n) for t, n in df.items() if t not in existing], batch_size=batch_size
        )
        for t, n in df.items():
            if t in existing:
                TermStat.objects.filter(kind=kind, term=t).update(df=F("df") + n)
        IndexStat.objects.filter(pk=stat.pk).update(docs=total_docs, total_len=total_len)
    return len(tokenized)


# --- lookups ----------------------------------------------------------------------------------------------------


def _idf_bm25(n_docs: int, df: int) -> float:
    return math.log(1 + (n_docs - df + 0.5) / (df + 0.5))


def search(kind: str, text: str, *, limit: int = 5, exclude: Iterable[int] = ()) -> list[tuple[int, float]]:
    """The best `limit` documents of a kind for a text, as (doc id, BM25 score), best first. Three queries."""
    q = _plan(text)
    if not q.terms and not q.sounds and not q.fallback:
        return []
    stat = IndexStat.objects.filter(kind=kind).values_list("docs", flat=True).first() or 0
    if not stat:
        return []
    static = {t for pairs in q.static.values() for _w, t in pairs}
    # One OR of (kind, column) lookups, each on its own index (SQLite's multi-index OR; PostgreSQL's BitmapOr).
    wanted = Q(kind=kind, term__in=[*q.terms, *static])
    py_keys = {s.key for s in q.sounds if s.kind == "py"} | {s.key for s in q.fallback.values()}
    ini_keys = {s.key for s in q.sounds if s.kind == "ini"}
    if py_keys:
        wanted |= Q(kind=kind, py__in=sorted(py_keys))
    if ini_keys:
        wanted |= Q(kind=kind, ini__in=sorted(ini_keys))
    rows = list(TermStat.objects.filter(wanted, df__gt=0).values_list("term", "df", "py", "ini"))
    exact = {t: df for t, df, _py, _ini in rows if t in q.terms}
    heard = _heard(q, rows, exact) if (q.sounds or q.fallback) else {}
    dfs = {t: df for t, df, _py, _ini in rows if t in exact or t in heard}
    if not dfs:
        return []
    factor = {t: BLIND_WEIGHT if t in q.blind else 1.0 for t in exact} | heard
    rare = {t: df for t, df in dfs.items() if df <= stat * MAX_DF_SHARE} if stat >= MIN_DOCS_TO_PRUNE else {}
    use = rare or dfs
    if MAX_POSTINGS:  # the rarest terms first, while their postings fit the budget (and always the rarest few)
        kept: dict[str, int] = {}
        for t, df in sorted(use.items(), key=lambda item: (item[1], item[0])):
            if len(kept) >= MIN_TERMS_KEPT and sum(kept.values()) + df > MAX_POSTINGS:
                break
            kept[t] = df
        use = kept
    weights = {t: _idf_bm25(stat, df) * factor[t] for t, df in use.items()}
    score = Sum(
        F("tfw") * Case(*[When(term=t, then=Value(w)) for t, w in weights.items()], output_field=FloatField()),
        output_field=FloatField(),
    )
    exclude = list(exclude)
    qs = Posting.objects.filter(kind=kind, term__in=list(weights))
    if exclude:
        qs = qs.exclude(doc_id__in=exclude)
    # Grouping by an expression (doc_id + 0) keeps SQLite's planner on the term index: grouping by the bare column
    # tempts it to walk the (kind, doc_id, term) index through every posting of the kind.
    doc = ExpressionWrapper(F("doc_id") + 0, output_field=BigIntegerField())
    rows_ = qs.annotate(doc=doc).values("doc").annotate(score=score).order_by("-score", "-doc")[:limit]
    return [(r["doc"], r["score"]) for r in rows_]


def similar_ids(kind: str, text: str, *, limit: int = 5, exclude: Iterable[int] = ()) -> list[int]:
    return [doc_id for doc_id, _score in search(kind, text, limit=limit, exclude=exclude)]


KIND_QUESTION = DocKind.QUESTION.value
KIND_ARTICLE = DocKind.ARTICLE.value
