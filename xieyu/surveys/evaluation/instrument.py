"""The standard instrument 家庭教育评价: six dimensions, 4–5 Likert items each (1 从不 … 5 总是), some reverse-scored,
and two context questions that are not scored.

This is content, like the demo's: the county's own text, written in Chinese for the families who answer it (plain
words a grandparent understands), stored in the questionnaire when `evaluation_install` runs. The interface around
it (the profile page, the staff pages) is translated as usual. A county that replaces the instrument keeps the
dimension codes below to keep its advice and links; any other dimension is shown by its section's title.

Each dimension also carries the advice shown to a family for whom it is weak and the keywords by which the
knowledge base and the parent-school curriculum find entries that fit it (the `advice_providers` registry).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

KEY = "family_evaluation"
TITLE = "家庭教育评价"
DESCRIPTION = (
    "这份评价帮助您看看自家在家庭教育上做得好的地方和可以改进的地方。没有对错,请按平时的真实情况选择。"
    "学校只看到全班、全校的汇总,看不到您家的答案。"
)

SCALE = [
    {"value": "1", "label": "从不"},
    {"value": "2", "label": "很少"},
    {"value": "3", "label": "有时"},
    {"value": "4", "label": "经常"},
    {"value": "5", "label": "总是"},
]


@dataclass(frozen=True)
class Dimension:
    code: str
    label: str
    description: str
    advice: str
    keywords: tuple[str, ...]
    items: tuple[tuple[str, bool], ...]  # (text, reverse-scored)


DIMENSIONS: tuple[Dimension, ...] = (
    Dimension(
        "climate",
        "家庭教育氛围",
        "家里的气氛、规矩和大人的榜样。",
        "孩子最先学的是大人怎么做。试着定下全家都守的几条家规(几点睡、几点写作业),大人先做到;"
        "家里有分歧时,避开孩子商量好再说。",
        ("家风", "家庭氛围", "榜样", "作息", "隔代", "家规"),
        (
            ("家里大人说话和气,很少当着孩子的面吵架。", False),
            ("我们家有固定的作息,孩子知道什么时候该学习、什么时候该休息。", False),
            ("家里大人说到做到,给孩子做了好榜样。", False),
            ("家里几位大人对孩子的要求是一致的,不会一个说行、一个说不行。", False),
            ("家里大人常常当着孩子的面玩手机、打牌到很晚。", True),
        ),
    ),
    Dimension(
        "communication",
        "亲子沟通",
        "孩子愿不愿意说,大人会不会听。",
        "每天留出十分钟,只听孩子说,不打断、不急着批评。先问“今天有什么开心的事”,再问学习。"
        "孩子说完,您用自己的话复述一遍,让他知道您听懂了。",
        ("沟通", "倾听", "不愿意说", "聊天", "亲子关系", "说话"),
        (
            ("孩子愿意主动跟我说学校里的事。", False),
            ("孩子跟我说话时,我会放下手里的事,认真听他说完。", False),
            ("遇到和孩子有关的事,我会先问问孩子自己的想法。", False),
            ("孩子一开口,我常常还没听完就批评他。", True),
            ("每周至少有一次,我和孩子聊聊天,不谈分数和成绩。", False),
        ),
    ),
    Dimension(
        "homework",
        "作业陪伴（不代劳）",
        "陪孩子写作业,但让孩子自己动脑、自己动手。",
        "作业是孩子自己的事。帮他安排好时间和安静的地方,不会的题先让他再读一遍题、说说想法,"
        "只给一点提示;写错了让他自己找,千万不要替他写、替他改。",
        ("作业", "磨蹭", "拖拉", "学习习惯", "专心"),
        (
            ("孩子写作业时,我让他自己先想,实在不会再给一点提示。", False),
            ("孩子的作业我常常直接替他做完。", True),
            ("孩子作业写错了,我直接把正确答案告诉他。", True),
            ("我帮孩子安排好写作业的时间和一个安静的地方。", False),
            ("作业写完后,我让孩子自己检查,而不是我替他改好。", False),
        ),
    ),
    Dimension(
        "screen",
        "屏幕使用规则",
        "手机、平板、电视怎么用,全家有没有规矩。",
        "和孩子一起商量定下每天看屏幕的时间(小学生一次不超过20分钟为宜),写下来贴在墙上;"
        "吃饭、睡前全家都不看手机,大人带头。孩子哭闹时别用手机哄。",
        ("手机", "电视", "游戏", "屏幕", "网络", "平板"),
        (
            ("我们和孩子一起定好了每天看手机、电视的时间。", False),
            ("孩子用手机、平板时,我知道他在看什么、玩什么。", False),
            ("孩子哭闹时,我会把手机给他,让他安静下来。", True),
            ("吃饭时和睡觉前,家里大人小孩都不看手机。", False),
            ("孩子玩手机、打游戏超过了说好的时间,我也就算了。", True),
        ),
    ),
    Dimension(
        "reading",
        "亲子共读",
        "大人和孩子一起读书、聊书。",
        "每天睡前花一刻钟和孩子一起读书:小一点的孩子您读给他听,大一点的让他读给您听。"
        "读完聊一聊书里讲了什么。不识字的老人也可以让孩子讲故事给您听。",
        ("阅读", "读书", "共读", "绘本", "书"),
        (
            ("我和孩子每周至少一起读三次书(或听孩子读、给孩子讲故事)。", False),
            ("家里有孩子喜欢看的课外书。", False),
            ("读完一本书或一个故事,我会和孩子聊聊里面讲了什么。", False),
            ("我会带孩子去图书馆、书店或农家书屋。", False),
        ),
    ),
    Dimension(
        "emotion",
        "情绪支持",
        "孩子难过、害怕、生气时,大人接不接得住。",
        "孩子有情绪时先接住:抱一抱,说一句“我知道你很难过”,等他平静了再讲道理。"
        "夸孩子要具体,说出他哪里做得好,比如“你今天自己把字写工整了”。",
        ("情绪", "心理", "紧张", "焦虑", "失眠", "发脾气"),
        (
            ("孩子难过或害怕时,我会先抱抱他、安慰他,再讲道理。", False),
            ("孩子考得不好时,我会和他一起找原因,而不是只骂他。", False),
            ("孩子哭的时候,我会说“哭什么哭,不许哭”。", True),
            ("我能看出孩子最近心情好不好。", False),
            ("孩子做得好的地方,我会具体地夸他。", False),
        ),
    ),
)

BY_CODE = {d.code: d for d in DIMENSIONS}

CONTEXT_QUESTIONS: tuple[dict[str, Any], ...] = (
    {
        "code": "ctx_caregiver",
        "text": "平时主要是谁在家照顾孩子?",
        "options": [
            {"value": "parents", "label": "父母双方"},
            {"value": "mother", "label": "主要是妈妈"},
            {"value": "father", "label": "主要是爸爸"},
            {"value": "grandparents", "label": "爷爷奶奶或外公外婆"},
            {"value": "other", "label": "其他亲友"},
        ],
    },
    {
        "code": "ctx_time",
        "text": "上学的日子,家里大人每天能陪孩子的时间大约有多少?",
        "options": [
            {"value": "lt30", "label": "不到半小时"},
            {"value": "30to60", "label": "半小时到1小时"},
            {"value": "1to2h", "label": "1到2小时"},
            {"value": "gt2h", "label": "2小时以上"},
        ],
    },
)


def item_code(dimension: str, n: int) -> str:
    return f"{dimension}_{n}"
