"""The labelled paraphrase pairs and synthetic parent questions for the similarity test and benchmark.

The pairs (voice, the question a parent asks, the answered question it should find) come in two halves kept apart:
data/pairs_dev.tsv, against which search's data files are tuned, and data/pairs_heldout.tsv, which they never see
(its header says the rule). `corpus()` is every answered question the pairs point at; `synthetic_questions` are
varied texts built from everyday fragments, so the targets compete with many look-alike questions."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Literal, NamedTuple

DATA = Path(__file__).resolve().parent / "data"
HALVES = {"dev": DATA / "pairs_dev.tsv", "heldout": DATA / "pairs_heldout.tsv"}


class Pair(NamedTuple):
    voice: str  # plain, traditional, pinyin, dialect, typo, story, elder
    query: str  # what the parent types
    target: str  # the answered question it should find


WHO = ["孩子", "儿子", "女儿", "孙子", "孙女", "我家娃", "外孙", "家里老大", "小儿子", "我家姑娘"]
GRADE = ["一年级", "二年级", "三年级", "四年级", "五年级", "六年级", "初一", "初二", "初三", "高一", "幼儿园大班"]
PROBLEM = [
    "最近成绩下滑得厉害", "回家不爱说话", "上课爱讲话被老师点名", "总是丢三落四忘带东西", "和同桌闹矛盾",
    "周末一直睡懒觉", "不肯参加学校活动", "喜欢和大人讲条件", "画画很有天赋", "特别喜欢养小动物",
    "吃饭要喂", "早上起床困难经常迟到", "总和弟弟抢东西", "放学后不按时回家", "对什么都提不起兴趣",
    "参加了学校合唱团", "想学跆拳道", "体育课跑不动", "做事三分钟热度", "说脏话", "爱哭鼻子", "写作文没有思路",
    "口算速度慢", "拼音总是混淆", "英语口语不敢开口", "数学计算题老出错", "课堂笔记记不全", "被选为班干部压力大",
    "学校要求穿校服不愿意", "午休时间睡不着", "不愿意去亲戚家", "见到陌生人不打招呼", "喜欢收集卡片",
    "总是要买新文具", "不爱喝水", "周末想去网吧", "跟爷爷奶奶住不习惯", "刚转学到新学校", "在学校食堂吃不饱",
    "钢琴练了两年不想练了", "做实验很有兴趣", "动不动就说累", "考前复习没有计划", "总和同学比较成绩",
    "放假在家看电视时间长", "不敢一个人上厕所", "爱顶撞老师", "喜欢模仿网上的主播", "常常忘记写日记",
]  # fmt: skip
CONTEXT = [
    "我们平时工作很忙", "爸爸常年在外地打工", "家里是奶奶在带", "老师也找我谈过", "我们试过奖励的办法",
    "说了很多次都没用", "他自己也想改", "我们家住在乡下", "家里只有我一个人管", "学校离家比较远",
    "我们夫妻意见不一致", "周末会带他出去玩", "已经给他报了兴趣班", "他很听老师的话", "我们没读过多少书辅导不了",
]  # fmt: skip
ASK = [
    "请问该怎么引导?", "家长应该怎么做?", "有什么好的建议吗?", "这正常吗?", "需要带去看医生吗?",
    "要不要跟老师沟通?", "怎样才能改过来?", "我们该不该管?", "求专家指点。", "怎么办才好?",
]  # fmt: skip


def labelled_pairs(half: Literal["dev", "heldout", "all"] = "dev") -> list[Pair]:
    """The labelled pairs of one half (or both)."""
    rows = []
    for name in ("dev", "heldout") if half == "all" else (half,):
        for line in HALVES[name].read_text(encoding="utf-8").splitlines():
            if not line.strip() or line.startswith("#"):
                continue
            voice, query, target = line.split("\t")
            rows.append(Pair(voice.strip(), query.strip(), target.strip()))
    return rows


def corpus() -> list[str]:
    """Every answered question the pairs of both halves should find, each once, in a stable order."""
    return list(dict.fromkeys(p.target for p in labelled_pairs("all")))


def synthetic_questions(n: int, seed: int = 7) -> list[str]:
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        parts = [f"{rng.choice(WHO)}{rng.choice(GRADE)},{rng.choice(PROBLEM)}"]
        if rng.random() < 0.6:
            parts.append(rng.choice(PROBLEM))
        if rng.random() < 0.7:
            parts.append(rng.choice(CONTEXT))
        out.append(",".join(parts) + "," + rng.choice(ASK))
    return out
