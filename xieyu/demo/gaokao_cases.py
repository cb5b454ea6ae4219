"""The demo county's 3+1+2 majors table (modelled on the Ministry of Education's 2024 guidance on subject
requirements for undergraduate majors) and its typical case library: eight published cases and one waiting for
the county's review."""

from __future__ import annotations

import datetime

from django.utils import timezone

from xieyu.publicity.cases.models import Case, Theme
from xieyu.publicity.gaokao.models import MajorRequirement

from .personas import Cast

P, H, E = "physics", "history", "either"
C, B, Z, G = "chemistry", "biology", "politics", "geography"

# (discipline, major, first choice, re-chosen subjects, mode, note)
MAJORS: list[tuple[str, str, str, list[str], str, str]] = [
    ("哲学", "哲学", E, [], "none", ""),
    ("经济学", "经济学", E, [], "none", ""),
    ("经济学", "金融学", E, [], "none", "部分高校要求首选物理"),
    ("经济学", "国际经济与贸易", E, [], "none", ""),
    ("经济学", "财政学", E, [], "none", ""),
    ("法学", "法学", E, [], "none", ""),
    ("法学", "政治学与行政学", E, [Z], "all", ""),
    ("法学", "社会学", E, [], "none", ""),
    ("法学", "社会工作", E, [], "none", ""),
    ("法学", "思想政治教育", E, [Z], "all", ""),
    ("教育学", "教育学", E, [], "none", ""),
    ("教育学", "学前教育", E, [], "none", ""),
    ("教育学", "小学教育", E, [], "none", ""),
    ("教育学", "体育教育", E, [], "none", ""),
    ("教育学", "教育技术学", P, [], "none", ""),
    ("文学", "汉语言文学", E, [], "none", ""),
    ("文学", "英语", E, [], "none", ""),
    ("文学", "日语", E, [], "none", ""),
    ("文学", "新闻学", E, [], "none", ""),
    ("文学", "广告学", E, [], "none", ""),
    ("文学", "网络与新媒体", E, [], "none", ""),
    ("历史学", "历史学", H, [], "none", ""),
    ("历史学", "考古学", H, [], "none", ""),
    ("历史学", "文物与博物馆学", H, [], "none", ""),
    ("理学", "数学与应用数学", P, [], "none", ""),
    ("理学", "信息与计算科学", P, [], "none", ""),
    ("理学", "物理学", P, [], "none", ""),
    ("理学", "化学", P, [C], "all", ""),
    ("理学", "生物科学", P, [C, B], "all", ""),
    ("理学", "地理科学", E, [G], "all", "师范类地理科学须选考地理"),
    ("理学", "地理信息科学", P, [], "none", ""),
    ("理学", "心理学", P, [], "none", ""),
    ("理学", "应用心理学", E, [], "none", ""),
    ("理学", "统计学", P, [], "none", ""),
    ("工学", "机械设计制造及其自动化", P, [C], "all", ""),
    ("工学", "电气工程及其自动化", P, [C], "all", ""),
    ("工学", "电子信息工程", P, [C], "all", ""),
    ("工学", "通信工程", P, [C], "all", ""),
    ("工学", "计算机科学与技术", P, [C], "all", ""),
    ("工学", "软件工程", P, [C], "all", ""),
    ("工学", "人工智能", P, [C], "all", ""),
    ("工学", "自动化", P, [C], "all", ""),
    ("工学", "土木工程", P, [C], "all", ""),
    ("工学", "建筑学", P, [], "none", ""),
    ("工学", "城乡规划", P, [], "none", ""),
    ("工学", "化学工程与工艺", P, [C], "all", ""),
    ("工学", "材料科学与工程", P, [C], "all", ""),
    ("工学", "环境工程", P, [C], "all", ""),
    ("工学", "车辆工程", P, [C], "all", ""),
    ("工学", "测绘工程", P, [C], "all", ""),
    ("工学", "水利水电工程", P, [C], "all", ""),
    ("工学", "食品科学与工程", P, [C, B], "any", ""),
    ("工学", "生物工程", P, [C, B], "all", ""),
    ("工学", "制药工程", P, [C], "all", ""),
    ("工学", "稀土工程", P, [C], "all", "赣南特色专业"),
    ("农学", "农学", P, [C, B], "any", ""),
    ("农学", "园艺", P, [C, B], "any", ""),
    ("农学", "林学", P, [C, B], "any", ""),
    ("农学", "动物医学", P, [C], "all", ""),
    ("医学", "临床医学", P, [C, B], "all", ""),
    ("医学", "口腔医学", P, [C, B], "all", ""),
    ("医学", "医学影像学", P, [C], "all", ""),
    ("医学", "预防医学", P, [C], "all", ""),
    ("医学", "中医学", P, [C, B], "any", "部分高校招收首选历史的考生"),
    ("医学", "药学", P, [C], "all", ""),
    ("医学", "中药学", P, [C], "all", ""),
    ("医学", "护理学", E, [C, B], "any", ""),
    ("医学", "医学检验技术", P, [C], "all", ""),
    ("管理学", "工商管理", E, [], "none", ""),
    ("管理学", "会计学", E, [], "none", ""),
    ("管理学", "财务管理", E, [], "none", ""),
    ("管理学", "市场营销", E, [], "none", ""),
    ("管理学", "人力资源管理", E, [], "none", ""),
    ("管理学", "信息管理与信息系统", P, [], "none", ""),
    ("管理学", "工程管理", P, [], "none", ""),
    ("管理学", "物流管理", E, [], "none", ""),
    ("管理学", "电子商务", E, [], "none", ""),
    ("管理学", "旅游管理", E, [], "none", ""),
    ("管理学", "行政管理", E, [], "none", ""),
    ("管理学", "公共事业管理", E, [], "none", ""),
    ("管理学", "土地资源管理", E, [G], "all", "部分高校不提再选要求"),
    ("艺术学", "美术学", E, [], "none", "另须参加美术类专业统考"),
    ("艺术学", "音乐学", E, [], "none", "另须参加音乐类专业统考"),
    ("艺术学", "视觉传达设计", E, [], "none", ""),
    ("艺术学", "数字媒体艺术", E, [], "none", ""),
]

CASES = [
    ("家长学校“周末课堂”进社区", Theme.PARENT_SCHOOL, "a",
     "学校家长多在县城务工,工作日难以到校参加家长学校。",
     "把家长学校搬到城南社区活动室,每月两个周六上午开课,由班主任和社区网格员共同组织,课后留半小时答疑。",
     "一学年开课18次,到课家长由每次30人左右增加到90多人,家长满意度调查达95%。",
     "课程时间跟着家长走;借用社区场地;每次课后收集下次想听的题目,实行“点单”。"),
    ("留守儿童“亲情视频日”", Theme.LEFT_BEHIND, "a",
     "全校有留守儿童百余名,父母常年在广东务工,亲子沟通少。",
     "每周三下午在学校心理室开放“亲情视频”,老师事先与家长约好时间,并教祖辈用手机视频。",
     "留守儿童情绪问题转介数量下降,家长与班主任联系更频繁。",
     "固定时间、固定地点、有人陪伴;先培训祖辈使用手机,再推开。"),
    ("家校沟通“三不”约定", Theme.COMMUNICATION, "b",
     "家长群消息过多,晚间打扰多,家长反映压力大。",
     "学校与家委会约定:晚上九点后不发群消息、不在群里点名批评、不布置需要家长批改的作业。",
     "家长投诉明显减少,家委会评议中“家校沟通”一项满意度提高。",
     "约定由家委会参与制定、全校公示;每学期评议一次执行情况。"),
    ("作业公示与分层布置", Theme.DOUBLE_REDUCTION, "b",
     "部分班级作业量超标,学生睡眠不足。",
     "年级组每天在班级公示作业及预计用时,设置基础题和选做题,班主任统筹总量。",
     "书面作业平均用时控制在90分钟以内,学生睡眠达标率提高。",
     "作业公示栏;年级统筹;家长可通过平台反馈孩子的实际用时。"),
    ("“好家风”故事会", Theme.FAMILY_TRADITION, "a",
     "学校希望把家风家教融入日常德育。",
     "每学期举办一次家风故事会,由学生和祖辈一起讲述家训故事,评选“最美家训”。",
     "收集家训故事200余篇,编印成册,在县家庭教育宣传周展示。",
     "活动简单易办;祖辈参与度高;可与清明、重阳等节日结合。"),
    ("社区“四点半课堂”", Theme.COMMUNITY, "b",
     "双职工家庭孩子放学后无人看管。",
     "学校与城南社区合作,在社区活动中心开设四点半课堂,由退休教师和志愿者辅导作业、组织阅读。",
     "每天服务学生40余名,家长接送时间更灵活。",
     "学校提供课程,社区提供场地,“五老”志愿者提供人手。"),
    ("心理健康“成长驿站”", Theme.MENTAL_HEALTH, "b",
     "青春期学生心理问题增多,家长不知如何应对。",
     "设立心理辅导室“成长驿站”,每周开放三次;每学期为家长开设两次青春期沟通讲座。",
     "主动求助学生增多,家长对亲子沟通的信心提高。",
     "学生、家长两条线同时做;与县家庭教育指导中心心理辅导员联动。"),
    ("家访“一生一档”", Theme.COMMUNICATION, "a",
     "部分家庭与学校联系少,学生在家情况不了解。",
     "班主任每学期至少家访一次,建立“一生一档”,重点家庭每月跟进。",
     "家访覆盖率达100%,发现并帮扶困难家庭12户。",
     "家访前先电话预约;记录统一格式;发现问题及时转介。"),
]
SUBMITTED = ("亲子共读“书香家庭”", Theme.FAMILY_TRADITION, "b",
             "学生课外阅读时间少,家庭藏书不足。",
             "开展亲子共读打卡,每月推荐书目,期末评选“书香家庭”。",
             "参与家庭超过300户,学生日均阅读时间增加。",
             "书目分年级推荐;打卡不排名,只鼓励。")


def seed_gaokao_cases(cast: Cast) -> None:
    county = cast.county
    if not MajorRequirement.objects.filter(county=county).exists():
        MajorRequirement.objects.bulk_create([
            MajorRequirement(county=county, discipline=d, major=m, first=f, subjects=s, mode=mode, note=note)
            for d, m, f, s, mode, note in MAJORS
        ])  # fmt: skip
    if Case.objects.filter(county=county).exists():
        return
    now = timezone.now()
    schools = {"a": (cast.school_a, cast.school_admin_liu), "b": (cast.school_b, cast.school_admin_wang)}
    for i, (title, theme, key, background, actions, results, replicable) in enumerate(CASES):
        school, author = schools[key]
        Case.objects.create(
            county=county, school=school, title=title, theme=theme, background=background, actions=actions,
            results=results, replicable=replicable, status=Case.Status.PUBLISHED, author=author,
            reviewed_by=cast.county_admin_chen, submitted_at=now - datetime.timedelta(days=40 - i * 4),
            published_at=now - datetime.timedelta(days=38 - i * 4),
        )  # fmt: skip
    title, theme, key, background, actions, results, replicable = SUBMITTED
    school, author = schools[key]
    Case.objects.create(
        county=county, school=school, title=title, theme=theme, background=background, actions=actions,
        results=results, replicable=replicable, status=Case.Status.SUBMITTED, author=author, submitted_at=now,
    )  # fmt: skip
