"""Chinese search and similarity: jieba terms, a few synonyms folded together, BM25 over an index in the database.

The index is a posting table (term → documents, with each posting's BM25 term weight computed when indexed), a
document-frequency table and one row of totals per kind. A lookup is three small queries: the totals, the
document frequencies of the query's terms, and one grouped sum over their postings — no scan of the documents.
Terms held by more than MAX_DF_SHARE of the documents are dropped from a query when rarer terms remain.
"""

from __future__ import annotations

import logging
import math
import re
import threading
from collections import Counter
from collections.abc import Iterable

from django.db import transaction
from django.db.models import BigIntegerField, Case, ExpressionWrapper, F, FloatField, Sum, Value, When

from .models import DocKind, IndexStat, Posting, TermStat

K1, B = 1.2, 0.75
MAX_DF_SHARE = 0.25
MIN_DOCS_TO_PRUNE = 50
MAX_QUERY_TERMS = 24
MAX_TERM_LEN = 24

# Words parents use for the same thing, folded to one term (the first of each group).
SYNONYMS = [
    ["孩子", "小孩", "娃", "孩", "儿子", "女儿", "孙子", "孙女", "外孙", "外孙女", "小朋友", "宝宝"],
    ["手机", "平板", "iPad", "ipad", "电子产品"],
    ["玩手机", "刷手机", "看手机", "抱着手机"],
    ["游戏", "王者", "王者荣耀", "打游戏", "玩游戏", "吃鸡"],
    ["短视频", "抖音", "快手", "刷视频"],
    ["作业", "功课", "练习册", "家庭作业"],
    ["磨蹭", "拖拉", "拖延", "慢吞吞", "拖沓"],
    ["顶嘴", "犟嘴", "回嘴", "叛逆", "逆反"],
    ["发脾气", "生气", "暴躁", "脾气大", "摔东西", "乱发脾气"],
    ["焦虑", "紧张", "害怕", "担心", "不安"],
    ["难过", "伤心", "哭", "哭泣", "情绪低落", "低落", "闷闷不乐"],
    ["沟通", "交流", "说话", "聊天", "谈心"],
    ["睡觉", "睡眠", "熬夜", "晚睡", "入睡", "早睡", "睡", "上床", "作息"],
    ["多动症", "多动", "多动障碍", "注意缺陷"],
    ["题目", "题", "题意", "应用题", "文字题"],
    ["二胎", "弟弟", "妹妹", "老二", "二宝", "小弟弟", "小妹妹"],
    ["考试", "测验", "月考", "期中", "期末", "考"],
    ["成绩", "分数", "名次", "排名"],
    ["下降", "下滑", "退步", "变差", "掉"],
    ["老师", "班主任"],
    ["同学", "朋友", "伙伴", "同伴"],
    ["欺负", "欺凌", "霸凌", "排挤", "孤立"],
    ["中考", "升学", "初升高"],
    ["高考", "新高考", "选科", "3+1+2"],
    ["补习", "补课", "培训班", "辅导班", "课外班"],
    ["阅读", "看书", "读书", "课外书"],
    ["注意力", "专注", "走神", "分心", "不专心", "坐不住"],
    ["爸爸", "父亲", "爸"],
    ["妈妈", "母亲", "妈"],
    ["爷爷", "奶奶", "外婆", "外公", "姥姥", "姥爷", "老人", "隔代"],
    ["打工", "外出务工", "在外地", "不在身边", "外地"],
    ["零花钱", "零用钱", "钱"],
    ["上学", "去学校", "厌学", "不想上学", "逃学"],
    ["早恋", "谈恋爱", "喜欢上"],
    ["挑食", "不吃饭", "偏食"],
    ["运动", "锻炼", "体育", "跑步"],
    ["近视", "视力", "眼睛"],
    ["说谎", "撒谎", "骗人"],
    ["自卑", "没自信", "不自信"],
    ["内向", "不爱说话", "胆小", "害羞"],
    ["课后服务", "托管", "晚托"],
    ["溺水", "游泳", "玩水", "下河"],
    ["学习", "读书成绩"],
]
SYNONYM_OF = {word: group[0] for group in SYNONYMS for word in group}

STOPWORDS = set(
    "的 了 吗 呢 吧 啊 呀 嘛 哦 么 和 与 及 或 是 在 有 也 都 就 还 又 很 太 更 最 我 我们 你 您 他 她 它 他们 她们 "
    "这 那 这个 那个 这样 那样 这种 什么 怎么 怎么办 怎样 如何 为什么 哪些 哪 一个 一些 一点 一下 现在 今年 最近 "
    "每天 总是 经常 老是 一直 已经 没有 不 没 要 会 能 可以 应该 该 想 让 被 把 给 对 从 到 跟 上 下 里 中 时候 "
    "请问 问 问题 老师好 你好 谢谢 办法 方法 好 做 说 看 点 个 家 家里 家长 时 后 前 来 去 着 过 得 地 之 而 但 "
    "但是 所以 因为 如果 而且 自己 一起 多 少 大 小 年级 岁 了解 帮助 建议 情况 有点 有些 比较 非常 特别 真的 "
    "以后 一 老 才 帮 感觉 觉得 发现 知道 平时 其实 然后 可是 只是 还是 几 次 天 里面 出来 起来 怎么样 啥 咋 咋办".split()
)
_PUNCT = re.compile(r"^[\W_]+$")
_WORDS = [
    "双减", "新高考", "玩手机", "刷手机", "短视频", "留守儿童", "课后服务", "叛逆期", "青春期", "发脾气", "不想上学",
    "初升高", "培训班", "辅导班", "注意力", "不专心", "坐不住", "零花钱", "零用钱", "谈恋爱", "王者荣耀", "不爱说话",
    "外出务工", "隔代教养", "选科", "犟嘴", "慢吞吞", "情绪低落", "没自信", "不自信", "二宝", "摔东西", "乱发脾气",
]  # fmt: skip

_lock = threading.Lock()
_tokenizer = None


def _tk():
    """Our own jieba tokenizer (loaded once per process), so our extra words do not change other modules' cuts."""
    global _tokenizer
    if _tokenizer is None:
        with _lock:
            if _tokenizer is None:
                # Imported on first use, not at start-up: jieba with jieba.analyse costs ~1.5 s to import, which only
                # processes that search should pay (not every manage.py command, worker and test run).
                import jieba

                jieba.setLogLevel(logging.WARNING)  # jieba logs its dictionary loading at DEBUG on its own handler
                tk = jieba.Tokenizer()
                tk.initialize()
                for w in _WORDS:
                    tk.add_word(w, freq=20000)
                _tokenizer = tk
    return _tokenizer


def terms(text: str) -> list[str]:
    """The index terms of a text, in order and with repeats: jieba's search-mode words, stopwords and punctuation
    dropped, synonyms folded to one term."""
    out = []
    for raw in _tk().cut_for_search(text or ""):
        word = raw.strip().lower()
        if not word or word in STOPWORDS or _PUNCT.match(word) or word.isdigit():
            continue
        word = SYNONYM_OF.get(word, word)
        if len(word) <= MAX_TERM_LEN:
            out.append(word)
    return out


def keywords(text: str, n: int = 3) -> list[str]:
    """The n most telling words of a text (jieba's TF-IDF keywords), e.g. for a plain LIKE search."""
    import jieba.analyse  # on first use: it loads its IDF table when imported (see _tk)

    return [w for w in jieba.analyse.extract_tags(text or "", topK=n * 2) if w not in STOPWORDS][:n]


# Terms too general to say what a question is about (they stay searchable, but are not "hot").
NOT_HOT = set("孩子 学习 学校 老师 爸爸 妈妈 爷爷 同学 家长 教育 引导 培养 不肯 不想".split())


def hot_terms(text: str, n: int = 6) -> list[str]:
    """The few terms that say what a question is about (for hot topics), synonyms folded, at most n."""
    out = []
    for word in keywords(text, n * 2):
        for t in terms(word):
            if t not in NOT_HOT and len(t) >= 2 and t not in out:
                out.append(t)
    return out[:n]


# --- indexing ---------------------------------------------------------------------------------------------------


def _tf_weight(tf: int, length: int, avg: float) -> float:
    return tf * (K1 + 1) / (tf + K1 * (1 - B + B * length / max(avg, 1.0)))


def _stat(kind: str) -> IndexStat:
    stat, _created = IndexStat.objects.get_or_create(kind=kind)
    return stat


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
    TermStat.objects.bulk_create(
        [TermStat(kind=kind, term=t, df=1) for t in counts if t not in existing], ignore_conflicts=True
    )


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
            [TermStat(kind=kind, term=t, df=n) for t, n in df.items() if t not in existing], batch_size=batch_size
        )
        for t, n in df.items():
            if t in existing:
                TermStat.objects.filter(kind=kind, term=t).update(df=F("df") + n)
        IndexStat.objects.filter(pk=stat.pk).update(docs=total_docs, total_len=total_len)
    return len(tokenized)


# --- lookups ----------------------------------------------------------------------------------------------------


def _idf(n_docs: int, df: int) -> float:
    return math.log(1 + (n_docs - df + 0.5) / (df + 0.5))


def search(kind: str, text: str, *, limit: int = 5, exclude: Iterable[int] = ()) -> list[tuple[int, float]]:
    """The best `limit` documents of a kind for a text, as (doc id, BM25 score), best first."""
    wanted = list(dict.fromkeys(terms(text)))[:MAX_QUERY_TERMS]
    if not wanted:
        return []
    stat = IndexStat.objects.filter(kind=kind).values_list("docs", flat=True).first() or 0
    if not stat:
        return []
    dfs = dict(TermStat.objects.filter(kind=kind, term__in=wanted, df__gt=0).values_list("term", "df"))
    if not dfs:
        return []
    rare = {t: df for t, df in dfs.items() if df <= stat * MAX_DF_SHARE} if stat >= MIN_DOCS_TO_PRUNE else {}
    use = rare or dfs
    weights = {t: _idf(stat, df) for t, df in use.items()}
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
    rows = qs.annotate(doc=doc).values("doc").annotate(score=score).order_by("-score", "-doc")[:limit]
    return [(r["doc"], r["score"]) for r in rows]


def similar_ids(kind: str, text: str, *, limit: int = 5, exclude: Iterable[int] = ()) -> list[int]:
    return [doc_id for doc_id, _score in search(kind, text, limit=limit, exclude=exclude)]


KIND_QUESTION = DocKind.QUESTION.value
KIND_ARTICLE = DocKind.ARTICLE.value
