"""The roster file's format: its columns and headers, the words a school may write in them, the limits.

The column headers are Chinese by design (they are the data format, like the file itself), so they are
constants here, not msgids.
"""

from __future__ import annotations

import datetime
import re

from ..models import Relationship, Student

COL_GRADE = "年级"
COL_CLASS = "班级"
COL_NAME = "学生姓名"
COL_GENDER = "性别"
COL_BIRTH = "出生日期"
COL_NUMBER = "学籍号"
STUDENT_COLUMNS = (COL_GRADE, COL_CLASS, COL_NAME, COL_GENDER, COL_BIRTH, COL_NUMBER)

GUARDIAN_SLOTS = 4
PART_NAME, PART_PHONE, PART_RELATIONSHIP, PART_PRIMARY, PART_LIVES = "姓名", "手机", "关系", "主要照料人", "同住"
GUARDIAN_PARTS = (PART_NAME, PART_PHONE, PART_RELATIONSHIP, PART_PRIMARY, PART_LIVES)


def guardian_column(slot: int, part: str) -> str:
    """监护人1姓名, 监护人1手机 … 监护人4同住."""
    return f"监护人{slot}{part}"


HEADERS = [
    *STUDENT_COLUMNS,
    *(guardian_column(k, part) for k in range(1, GUARDIAN_SLOTS + 1) for part in GUARDIAN_PARTS),
]
KNOWN_HEADERS = frozenset(HEADERS)
SHEET_ROSTER = "学生名单"
SHEET_HELP = "填写说明"

GENDER_LABELS = {Student.Gender.MALE: "男", Student.Gender.FEMALE: "女"}
GENDERS = {"男": "M", "女": "F", "男生": "M", "女生": "F", "M": "M", "F": "F"}
RELATIONSHIP_LABELS = {
    Relationship.FATHER: "父亲",
    Relationship.MOTHER: "母亲",
    Relationship.GRANDFATHER: "祖父",
    Relationship.GRANDMOTHER: "祖母",
    Relationship.MATERNAL_GRANDFATHER: "外祖父",
    Relationship.MATERNAL_GRANDMOTHER: "外祖母",
    Relationship.OTHER: "其他监护人",
}
RELATIONSHIPS = {label: value.value for value, label in RELATIONSHIP_LABELS.items()} | {
    "爸爸": "father", "妈妈": "mother", "爷爷": "grandfather", "奶奶": "grandmother",
    "外公": "maternal_grandfather", "姥爷": "maternal_grandfather",
    "外婆": "maternal_grandmother", "姥姥": "maternal_grandmother", "其他": "other",
}  # fmt: skip
YES, NO = "是", "否"
BOOLEANS = {"是": True, "否": False, "Y": True, "N": False, "YES": True, "NO": False, "TRUE": True, "FALSE": False}
BOOLEANS |= {"√": True, "×": False}

PHONE_RE = re.compile(r"^1[3-9]\d{9}$")
DATE_RE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?$")
COMPACT_DATE_RE = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
EARLIEST_BIRTH = datetime.date(1990, 1, 1)
MAX_LENGTHS = {COL_NAME: 50, PART_NAME: 50}

# Spreadsheet programs run a cell that begins with one of these as a formula (CSV/formula injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

MAX_ROWS = 50_000  # a whole county has about 30,000 students
HEADER_SCAN_ROWS = 10  # the header may sit under a title row or two
ERRORS_KEPT = 1000  # problems stored per import; the total is counted
PROGRESS_EVERY = 1000  # rows between progress writes
LOOKUP_CHUNK = 900  # ids per IN (…) query; SQLite allows 999 parameters by default

CN_DIGITS = "一二三四五六七八九"


def cn_number(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 21 → 二十一 (up to 99)."""
    tens, ones = divmod(n, 10)
    head = "" if tens == 0 else ("十" if tens == 1 else CN_DIGITS[tens - 1] + "十")
    return head + (CN_DIGITS[ones - 1] if ones else "")


CN_NUMBERS = {cn_number(n): n for n in range(1, 100)}


# --- the 学籍号 --------------------------------------------------------------------------------------------
#
# The national student number (全国中小学生学籍号) of a child with an identity card is "G" followed by the
# 18-character resident identity number (居民身份证号, GB 11643): a six-digit region, the birth date as
# YYYYMMDD, a three-digit sequence (odd for boys) and a check character computed with ISO 7064 MOD 11-2,
# "X" standing for 10. A child without a number yet has the column left empty, never a placeholder.

STUDENT_NUMBER_RE = re.compile(r"^G(\d{6})(\d{8})(\d{3})([\dX])$")
ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)  # 2^(17-i) mod 11


def id_check_digit(first17: str) -> str:
    """The check character of a resident identity number (ISO 7064 MOD 11-2) from its first 17 digits."""
    return "10X98765432"[sum(int(c) * w for c, w in zip(first17, ID_WEIGHTS, strict=True)) % 11]


def national_student_number(first17: str) -> str:
    """G, the 17 digits and their check character: national_student_number("36072920170512001")."""
    return f"G{first17}{id_check_digit(first17)}"


def student_number_problem(number: str) -> str | None:
    """Why a non-empty 学籍号 is not a national one ("format" or "check"), or None when it is."""
    match = STUDENT_NUMBER_RE.match(number)
    if match is None:
        return "format"
    born = match[2]
    try:
        datetime.date(int(born[:4]), int(born[4:6]), int(born[6:]))
    except ValueError:
        return "format"
    if id_check_digit(number[1:18]) != number[18]:
        return "check"
    return None


EXAMPLE_STUDENT_NUMBER = national_student_number("36072920170512001")
