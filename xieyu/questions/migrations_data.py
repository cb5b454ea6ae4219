"""The built-in urgent lexicon (self-harm, suicide, abuse, violence). The county adds terms or switches terms off in
the admin (UrgentTerm rows); these stay on unless a row switches one off."""

URGENT_TERMS = [
    "自杀", "轻生", "不想活", "活着没意思", "想死", "去死", "寻死", "跳楼", "跳河", "喝农药", "安眠药",
    "自残", "自伤", "割腕", "伤害自己", "划手", "打我", "被打", "家暴", "虐待", "性侵", "猥亵", "强奸",
    "摸我", "威胁我", "离家出走", "欺凌", "霸凌", "勒索",
]  # fmt: skip
