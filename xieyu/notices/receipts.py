"""Receipt figures of a notice the caller is already allowed to see (access.get_notice_for / get_notice_class_for).

Each function runs a fixed number of queries, whatever the audience's size.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from io import BytesIO

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from xieyu.accounts.models import mask_phone
from xieyu.directory.models import Guardianship, SchoolClass, Student

from .audience import audience_guardianships
from .models import Delivery, Notice, reached_q


def counts(notice: Notice) -> dict[str, int]:
    """Sent, read, answered, texted, handed over, not reached by any channel, without a phone (one query)."""
    result = Delivery.objects.filter(notice=notice).aggregate(
        sent=Count("pk"),
        read=Count("pk", filter=Q(read_at__isnull=False)),
        responded=Count("pk", filter=Q(responded_at__isnull=False)),
        sms=Count("pk", filter=Q(sms_sent_at__isnull=False, sms_error="")),
        handed=Count("pk", filter=Q(handed_at__isnull=False)),
        unreached=Count("pk", filter=~reached_q()),
        no_phone=Count("pk", filter=Q(guardian__isnull=False, guardian__phone__isnull=True)),
    )
    return {k: v or 0 for k, v in result.items()}


def by_class(notice: Notice):
    """Per class: sent, read, answered, not reached (a queryset of dicts, to paginate)."""
    return (
        Delivery.objects.filter(notice=notice, school_class__isnull=False)
        .values(
            "school_class", "school_class__name", "school_class__grade__name", "school_class__grade__level",
            "school__name",
        )
        .annotate(
            sent=Count("pk"),
            read=Count("pk", filter=Q(read_at__isnull=False)),
            responded=Count("pk", filter=Q(responded_at__isnull=False)),
            unreached=Count("pk", filter=~reached_q()),
            no_phone=Count("pk", filter=Q(guardian__phone__isnull=True)),
        )
        .order_by("-unreached", "school__name", "school_class__grade__level", "school_class__name")
    )  # fmt: skip


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
    def reached(self) -> bool:
        return any(m.delivery.reached for m in self.members)

    @property
    def responded(self) -> bool:
        return any(m.delivery.responded_at for m in self.members)

    @property
    def read(self) -> bool:
        return any(m.delivery.read_at for m in self.members)

    @property
    def without_phone(self) -> list[FamilyMember]:
        return [m for m in self.members if not m.guardian.phone]


def families(notice: Notice, school_class: SchoolClass) -> list[Family]:
    """The class's families in the notice's audience, unreached first (three queries)."""
    targets = list(notice.targets.all())
    links = list(
        audience_guardianships(targets)
        .filter(
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
    return sorted(out.values(), key=lambda f: (f.reached, f.student.student_number))


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
        if d.read_at:
            status = _("read")
        elif d.handed_at:
            status = _("handed over")
        elif d.sms_sent_at and not d.sms_error:
            status = _("by SMS")
        else:
            status = _("not reached")
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
