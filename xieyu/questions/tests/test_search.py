"""Chinese search: jieba terms, synonyms, the BM25 index in the database, and recall@5 on the labelled pairs."""

import pytest

from xieyu.questions.knowledge import search
from xieyu.questions.knowledge.scaledata import labelled_pairs, synthetic_questions
from xieyu.questions.models import IndexStat, Posting, TermStat

DISTRACTORS = 1500


def test_terms_drop_stopwords_and_fold_synonyms():
    assert "手机" in search.terms("孙子天天玩平板")
    assert "作业" in search.terms("娃做功课很慢")
    assert "磨蹭" in search.terms("写作业拖拉")
    assert "的" not in search.terms("孩子的作业")
    assert search.terms("???!!!") == []


def test_the_labelled_set_holds_at_least_60_genuine_paraphrase_pairs():
    pairs = labelled_pairs()
    assert len(pairs) >= 60
    for _category, a, b in pairs:
        assert a != b and a not in b and b not in a
        # differently worded: far from a copy (at most 60% of B's characters appear in A in the same order)
        assert _common_chars(a, b) / len(b) < 0.6, (a, b)


def _common_chars(a: str, b: str) -> int:
    """Length of the longest common subsequence."""
    prev = [0] * (len(b) + 1)
    for ca in a:
        cur = [0]
        for j, cb in enumerate(b):
            cur.append(prev[j] + 1 if ca == cb else max(prev[j + 1], cur[j]))
        prev = cur
    return prev[-1]


@pytest.mark.django_db
def test_recall_at_5_on_the_labelled_pairs_is_at_least_0_8():
    pairs = labelled_pairs()
    docs = [(i + 1, a) for i, (_c, a, _b) in enumerate(pairs)]
    docs += [(100_000 + i, text) for i, text in enumerate(synthetic_questions(DISTRACTORS))]
    search.index_bulk(search.KIND_QUESTION, docs)
    hits = sum(1 for i, (_c, _a, b) in enumerate(pairs) if i + 1 in search.similar_ids(search.KIND_QUESTION, b))
    recall = hits / len(pairs)
    print(f"recall@5 = {recall:.3f} over {len(pairs)} pairs and {DISTRACTORS} distractors")
    assert recall >= 0.8


@pytest.mark.django_db
def test_indexing_one_document_at_a_time_matches_bulk_and_removal_undoes_it():
    search.index_document("a", 1, "孩子玩手机停不下来")
    search.index_document("a", 2, "孩子写作业磨蹭")
    assert search.similar_ids("a", "孙子天天刷手机怎么办")[0] == 1
    assert IndexStat.objects.get(kind="a").docs == 2
    search.index_document("a", 1, "孩子不爱吃青菜")  # re-indexing replaces
    assert TermStat.objects.get(kind="a", term="手机").df == 0
    assert not Posting.objects.filter(kind="a", term="手机").exists()
    search.remove_document("a", 2)
    assert not Posting.objects.filter(kind="a", doc_id=2).exists()
    assert TermStat.objects.get(kind="a", term="作业").df == 0
    assert IndexStat.objects.get(kind="a").docs == 1


@pytest.mark.django_db
def test_a_lookup_is_three_queries_whatever_the_index_size(django_assert_num_queries):
    search.index_bulk("q", [(i, t) for i, t in enumerate(synthetic_questions(50))])
    with django_assert_num_queries(3):
        search.search("q", "孩子上课不专心总走神")
    search.index_bulk("q", [(1000 + i, t) for i, t in enumerate(synthetic_questions(500, seed=3))])
    with django_assert_num_queries(3):
        search.search("q", "孩子上课不专心总走神")
