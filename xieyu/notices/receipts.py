"""Receipt figures of a notice the caller is already allowed to see (access.get_notice_for / get_notice_class_for).

Each function runs a fixed number of queries, whatever the audience's size.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from io import BytesIO

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import BooleanField, Case, Count, ExpressionWrapper, F, IntegerField, Max, Q, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _

from xieyu.accounts.models import mask_phone
from xieyu.directory.models import Guardianship, SchoolClass, Student

from .audience import audience_guardianships, student_q
from .models import Delivery, Notice, NoticeTarget
from .reach import reached_otherwise_q

# --- families: the one count of who has the notice -------------------------------------------------------------
#
# A family is the guardians of one student in the notice's audience (the confirmed guardianships of an enrolled
# student whose guardians the notice was delivered to). Each family is in exactly one state, the first that holds:
#
#   confirmed  any of its guardians answered (confirmed, replied or chose);
#   read       any of its guardians read it in the app, or the head teacher handed it over on paper;
#   unreached  none of its guardians has any channel: no account and no phone (未触达(无任何渠道)), and it was not
#              reached otherwise (reach.py: a recent home visit);
#   unread     otherwise: it reached a phone or an account, and nobody has read it yet.
#
# family_counts() is the only code that counts them; every page (receipts, sent list, class page, print sheet) and
# the API read it, and Family.state below says the same of one family already loaded.

FAMILY_STATES = ("unread", "read", "confirmed", "unreached")


@dataclass
class FamilyCounts:
    families: int = 0
    unread: int = 0
    read: int = 0
    confirmed: int = 0
    unreached: int = 0

    def as_dict(self) -> dict[str, int]:
        return {
            "families": self.families, "unread": self.unread, "read": self.read, "confirmed": self.confirmed,
            "unreached": self.unreached,
        }  # fmt: skip


def family_state(*, confirmed: bool, read: bool, channel: bool) -> str:
    if confirmed:
        return "confirmed"
    if read:
        return "read"
    if not channel:
        return "unreached"
    return "unread"


def _has_channel_q(prefix: str = "") -> Q:
    """A guardian with an account or a phone."""
    return Q(**{f"{prefix}user__isnull": False}) | (
        Q(**{f"{prefix}phone__isnull": False}) & ~Q(**{f"{prefix}phone": ""})
    )


def _channel_q(student_ref: str, prefix: str = "guardian__") -> Q:
    """A guardian with a channel, or a family reached otherwise (reach.py)."""
    q = _has_channel_q(prefix)
    otherwise = reached_otherwise_q(student_ref)
    return q | otherwise if otherwise is not None else q


def _flag(q: Q):
    return Max(Case(When(q, then=Value(1)), default=Value(0), output_field=IntegerField()))


def _family_rows(notices: list[Notice], targets: dict[int, list[NoticeTarget]], school_class_id: int | None):
    """One row per (notice, family): the notice, the student, the student's class, and whether any guardian of
    the family confirmed, read, has a channel."""
    g = "guardian__guardianships__"
    audience = Q(pk__in=[])
    for n in notices:
        audience |= Q(notice_id=n.pk) & student_q(targets.get(n.pk, []), f"{g}student__")
    qs = Delivery.objects.filter(
        audience,
        **{f"{g}status": Guardianship.Status.CONFIRMED, f"{g}student__status": Student.Status.ENROLLED},
    )
    if school_class_id is not None:
        qs = qs.filter(**{f"{g}student__school_class_id": school_class_id})
    return (
        qs.values(n=F("notice_id"), s=F(f"{g}student_id"), c=F(f"{g}student__school_class_id"))
        .annotate(
            f_conf=_flag(Q(responded_at__isnull=False)),
            f_read=_flag(Q(read_at__isnull=False) | Q(handed_at__isnull=False)),
            f_chan=_flag(_channel_q(f"{g}student")),
        )
        .order_by()
    )


def family_counts(notices: list[Notice], *, by_class: bool = False, school_class_id: int | None = None) -> dict:
    """The family counts of each notice: {notice id: FamilyCounts}, or with by_class {(notice id, class id):
    FamilyCounts}. Two queries whatever the number of notices and families (their targets, then the counts)."""
    if not notices:
        return {}
    targets: dict[int, list[NoticeTarget]] = defaultdict(list)
    for t in NoticeTarget.objects.filter(notice__in=[n.pk for n in notices]):
        targets[t.notice_id].append(t)
    out: dict = {}
    try:
        sql, params = _family_rows(notices, targets, school_class_id).query.sql_with_params()
    except EmptyResultSet:  # no notice has a target that reaches students (e.g. staff only)
        sql = ""
    if sql:
        _count_families(sql, params, by_class, out)
    if not by_class:
        for notice in notices:
            out.setdefault(notice.pk, FamilyCounts())
    return out


def _count_families(sql: str, params, by_class: bool, out: dict) -> None:
    qn = connection.ops.quote_name
    n, c, conf, read, chan = (qn(x) for x in ("n", "c", "f_conf", "f_read", "f_chan"))
    keys = f"{n}, {c}" if by_class else n
    # The inner query is the ORM's own SQL with its parameters; only quoted column names are added here.
    outer = (
        f"SELECT {keys}, COUNT(*), "  # noqa: S608
        f"SUM(CASE WHEN {conf} = 1 THEN 1 ELSE 0 END), "
        f"SUM(CASE WHEN {conf} = 0 AND {read} = 1 THEN 1 ELSE 0 END), "
        f"SUM(CASE WHEN {conf} = 0 AND {read} = 0 AND {chan} = 0 THEN 1 ELSE 0 END) "
        f"FROM ({sql}) families GROUP BY {keys}"
    )
    with connection.cursor() as cursor:
        cursor.execute(outer, params)
        for row in cursor.fetchall():
            key = (row[0], row[1]) if by_class else row[0]
            total, confirmed, read_, unreached = (int(v or 0) for v in row[-4:])
            out[key] = FamilyCounts(
                families=total, confirmed=confirmed, read=read_, unreached=unreached,
                unread=total - confirmed - read_ - unreached,
            )  # fmt: skip


def counts(notice: Notice) -> FamilyCounts:
    """One notice's family counts."""
    return family_counts([notice])[notice.pk]


def class_counts(notice: Notice, school_class: SchoolClass) -> FamilyCounts:
    """The family counts of one class of the notice's audience."""
    return family_counts([notice], school_class_id=school_class.pk)[notice.pk]


def channel_counts(notice: Notice) -> dict[str, int]:
    """How the notice went out, per recipient (guardians and staff): sent, by SMS, handed over, without a phone
    (one query). Not a receipt figure: receipts count families (family_counts)."""
    result = Delivery.objects.filter(notice=notice).aggregate(
        sent=Count("pk"),
        sms=Count("pk", filter=Q(sms_sent_at__isnull=False, sms_error="")),
        handed=Count("pk", filter=Q(handed_at__isnull=False)),
        no_phone=Count("pk", filter=Q(guardian__isnull=False, guardian__phone__isnull=True)),
    )
    return {k: v or 0 for k, v in result.items()}


@dataclass
class ClassCounts:
    school_class: SchoolClass
    counts: FamilyCounts


def by_class(notice: Notice) -> list[ClassCounts]:
    """Per class of the audience: its family counts, the classes with most families unreached (then unread)
    first (three queries)."""
    found = family_counts([notice], by_class=True)
    classes = SchoolClass.objects.filter(pk__in=[c for _n, c in found if c is not None]).select_related(
        "school", "grade"
    )
    rows = [ClassCounts(school_class=sc, counts=found[(notice.pk, sc.pk)]) for sc in classes]
    rows.sort(key=lambda r: (-r.counts.unreached, -r.counts.unread, r.school_class.school.name,
                             r.school_class.grade.level, r.school_class.name))  # fmt: skip
    return rows


@dataclass
class FamilyMember:
    guardianship: Guardianship
    delivery: Delivery

    @property
    def guardian(self):
        return self.guardianship.guardian

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.guardian.phone)


@dataclass
class Family:
    """A child's guardians in the audience and how the notice reached each."""

    student: Student
    members: list[FamilyMember] = field(default_factory=list)

    @property
    def state(self) -> str:
        """One of FAMILY_STATES, by the rule family_counts() counts with."""
        return family_state(
            confirmed=any(m.delivery.responded_at for m in self.members),
            read=any(m.delivery.read_at or m.delivery.handed_at for m in self.members),
            channel=any(
                m.guardian.user_id or m.guardian.phone or getattr(m.guardianship, "reached_otherwise", False)
                for m in self.members
            ),
        )

    @property
    def without_phone(self) -> list[FamilyMember]:
        return [m for m in self.members if not m.guardian.phone]


STATE_ORDER = {"unreached": 0, "unread": 1, "read": 2, "confirmed": 3}


def families(notice: Notice, school_class: SchoolClass) -> list[Family]:
    """The class's families in the notice's audience: unreached, then unread, read, confirmed (three queries)."""
    targets = list(notice.targets.all())
    linked = audience_guardianships(targets)
    if (otherwise := reached_otherwise_q("student")) is not None:
        linked = linked.annotate(reached_otherwise=ExpressionWrapper(otherwise, output_field=BooleanField()))
    links = list(
        linked.filter(
            student__school_class=school_class,
            guardian_id__in=Delivery.objects.filter(notice=notice).values("guardian_id"),
        )
        .select_related("student", "guardian")
        .order_by("student__student_number", "-is_primary_carer", "guardian_id")
    )
    deliveries = {
        d.guardian_id: d for d in Delivery.objects.filter(notice=notice, guardian_id__in={g.guardian_id for g in links})
    }
    out: dict[int, Family] = {}
    for g in links:
        family = out.setdefault(g.student_id, Family(student=g.student))
        family.members.append(FamilyMember(guardianship=g, delivery=deliveries[g.guardian_id]))
    return sorted(out.values(), key=lambda f: (STATE_ORDER[f.state], f.student.student_number))


# --- the spreadsheet ------------------------------------------------------------------------------------------

DANGEROUS_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    """Text a spreadsheet would run as a formula is written as plain text (leading apostrophe)."""
    if isinstance(value, str) and value.startswith(DANGEROUS_PREFIXES):
        return "'" + value
    return value


def _when(dt) -> str:
    return timezone.localtime(dt).strftime("%Y-%m-%d %H:%M") if dt else ""


def export_rows(notice: Notice, chunk: int = 2000) -> Iterator[list]:
    targets = list(notice.targets.all())
    deliveries = (
        Delivery.objects.filter(notice=notice)
        .select_related("guardian", "user", "school", "school_class", "school_class__grade")
        .order_by("school_id", "school_class_id", "pk")
    )
    batch: list[Delivery] = []
    for d in deliveries.iterator(chunk_size=chunk):
        batch.append(d)
        if len(batch) >= chunk:
            yield from _rows(notice, targets, batch)
            batch = []
    if batch:
        yield from _rows(notice, targets, batch)


def _status(notice: Notice, d: Delivery) -> str:
    """One recipient's state, in the words of the family states (a staff recipient has an account)."""
    if d.responded_at:
        return _("Confirmed") if notice.receipt_mode == Notice.ReceiptMode.CONFIRM else _("Answered")
    if d.read_at:
        return _("Read")
    if d.handed_at:
        return _("handed over")
    if d.guardian is not None and not (d.guardian.user_id or d.guardian.phone):
        return _("No channel")
    return _("Unread")


def _rows(notice: Notice, targets, batch: list[Delivery]) -> Iterator[list]:
    children: dict[int | None, list[str]] = defaultdict(list)  # by guardian id (None for staff rows)
    guardian_ids = [d.guardian_id for d in batch if d.guardian_id]
    if guardian_ids:
        for guardian_id, name in (
            audience_guardianships(targets)
            .filter(guardian_id__in=guardian_ids)
            .values_list("guardian_id", "student__name")
        ):
            children[guardian_id].append(name)
    for d in batch:
        if d.guardian is not None:
            name, phone = d.guardian.name, mask_phone(d.guardian.phone)
        elif d.user is not None:  # a delivery goes to a guardian or else to a staff member
            name, phone = d.user.name, d.user.masked_phone
        else:
            name, phone = "", ""
        status = _status(notice, d)
        yield [
            safe_cell(d.school.name if d.school else ""),
            safe_cell(str(d.school_class) if d.school_class else ""),
            safe_cell("、".join(children.get(d.guardian_id, []))),
            safe_cell(name),
            phone or _("no phone"),
            status,
            _when(d.read_at),
            _when(d.responded_at),
            safe_cell(d.reply),
            _when(d.sms_sent_at),
            _when(d.handed_at),
        ]


def export_xlsx(notice: Notice) -> bytes:
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet(_("Receipts"))
    ws.append([safe_cell(notice.title)])
    ws.append(
        [
            _("School"), _("Class"), _("Children"), _("Guardian"), _("Mobile"), _("Status"), _("Read at"),
            _("Answered at"), _("Reply or choice"), _("SMS sent at"), _("Handed over at"),
        ]
    )  # fmt: skip
    for row in export_rows(notice):
        ws.append(row)
    out = BytesIO()
    wb.save(out)
    return out.getvalue()
