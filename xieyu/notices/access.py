"""Who may send notices to whom, who may read a notice's receipts, and whose inbox holds what.

- Sending: county admins (their county, its schools, school types, roles), school admins (their school, its
  grades, classes, roles), head teachers (their classes); any of them to the guardians of chosen students
  in the classes they reach as staff. A guardian never sends, and never targets their own child's classmates.
- Receipts: the sender, and those above them (the school admin over a head teacher's notice, the county admin
  over every notice sent in the county). A head teacher also sees the print list and unreached families of
  their own class for any notice that reached it.
- Inbox: a guardian sees only deliveries to their own guardian record; staff see deliveries addressed to them.
Missing and forbidden both answer 404.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.http import Http404

from xieyu.accounts.models import Membership, Role
from xieyu.accounts.scope import scope_of
from xieyu.directory.access import classes_visible_to, schools_managed_by
from xieyu.directory.models import Grade, Region, School, SchoolClass, Student

from .models import Delivery, Notice, NoticeAttachment

SENDER_ROLES = (Role.COUNTY_ADMIN, Role.SCHOOL_ADMIN, Role.HEAD_TEACHER)
# Which staff roles each sender may address as a role target.
ROLE_TARGETS = {
    Role.COUNTY_ADMIN: (Role.SCHOOL_ADMIN, Role.HEAD_TEACHER, Role.TEACHER),
    Role.SCHOOL_ADMIN: (Role.HEAD_TEACHER, Role.TEACHER),
}


def _authenticated(user) -> bool:
    return bool(getattr(user, "is_authenticated", False))


def sender_memberships(user) -> list[Membership]:
    """The memberships a user may send notices in (most senior first)."""
    order = {Role.COUNTY_ADMIN: 0, Role.SCHOOL_ADMIN: 1, Role.HEAD_TEACHER: 2}
    grants = sorted(scope_of(user).of(*SENDER_ROLES), key=lambda g: (order[g.role], g.pk))
    return [g.membership for g in grants]


def can_send(user) -> bool:
    return scope_of(user).has(*SENDER_ROLES)


@dataclass
class Reach:
    counties: set[int] = field(default_factory=set)
    schools: set[int] = field(default_factory=set)
    classes: set[int] = field(default_factory=set)


def _reach(user) -> Reach:
    scope = scope_of(user)
    return Reach(
        counties=scope.counties(Role.COUNTY_ADMIN),
        schools=scope.whole_schools(Role.SCHOOL_ADMIN),
        classes=scope.classes(Role.HEAD_TEACHER),
    )


def targetable_counties(user) -> QuerySet[Region]:
    return Region.objects.filter(pk__in=_reach(user).counties)


def targetable_schools(user) -> QuerySet[School]:
    return schools_managed_by(user)


def targetable_grades(user) -> QuerySet[Grade]:
    return Grade.objects.filter(school__in=schools_managed_by(user).values("pk")).select_related("school")


def targetable_classes(user) -> QuerySet[SchoolClass]:
    """Classes the user reaches as staff (head teacher, school admin, county admin): never as a parent."""
    return classes_visible_to(user).select_related("school", "grade")


def own_classes(user) -> list[int]:
    """The classes the user is head teacher of (the compose form ticks them): no query, from the scope."""
    return sorted(scope_of(user).classes(Role.HEAD_TEACHER))


def targetable_students(user) -> QuerySet[Student]:
    """Enrolled students in the classes the user reaches as staff."""
    return Student.objects.filter(
        school_class__in=classes_visible_to(user).values("pk"), status=Student.Status.ENROLLED
    ).select_related("school_class", "school_class__grade")


def targetable_roles(user) -> list[tuple[str, str, int, str]]:
    """(unit kind, role, unit id, label unit) for every role target the user may address."""
    out: list[tuple[str, str, int, str]] = []
    for m in sender_memberships(user):
        for role in ROLE_TARGETS.get(Role(m.role), ()):
            unit = m.county if m.role == Role.COUNTY_ADMIN else m.school
            if unit is None:  # never: a sender's membership names its county or school
                continue
            out.append(("county" if m.role == Role.COUNTY_ADMIN else "school", role, unit.pk, unit.name))
    return out


# --- who may read receipts ----------------------------------------------------------------------------------


def _receipts_filter(user) -> Q:
    if not _authenticated(user):
        return Q(pk__in=[])
    q = Q(sender=user)
    reach = _reach(user)
    if reach.counties:
        q |= Q(county__in=reach.counties)
    if reach.schools:
        q |= Q(school__in=reach.schools, sender_role=Role.HEAD_TEACHER)
    return q & Q(kind=Notice.Kind.BROADCAST)  # a message to one person has no receipts page


def notices_managed_by(user) -> QuerySet[Notice]:
    """Notices whose receipts the user may read: their own, and those of the people below them."""
    return Notice.objects.filter(_receipts_filter(user))


def can_manage(user, notice: Notice) -> bool:
    return notices_managed_by(user).filter(pk=notice.pk).exists()


def get_notice_for(user, pk) -> Notice:
    notice = notices_managed_by(user).select_related("sender", "cursor").filter(pk=pk).first()
    if notice is None:
        raise Http404("notice not found")
    return notice


def notices_reaching_my_classes(user) -> QuerySet[Notice]:
    """Notices that reached a class the user is head teacher of (for print lists and home visits)."""
    classes = scope_of(user).classes(Role.HEAD_TEACHER)
    if not classes:
        return Notice.objects.none()
    return Notice.objects.filter(pk__in=Delivery.objects.filter(school_class__in=classes).values("notice")).exclude(
        _receipts_filter(user)
    )


def get_notice_class_for(user, notice_pk, class_pk) -> tuple[Notice, SchoolClass]:
    """A notice's page for one class: receipts readers of the notice, or the class's head teacher."""
    school_class = targetable_classes(user).filter(pk=class_pk).first()
    if school_class is None:
        raise Http404("class not found")
    notice = (
        Notice.objects.filter(pk=notice_pk)
        .filter(_receipts_filter(user) | Q(deliveries__school_class=school_class))
        .select_related("sender")
        .distinct()
        .first()
    )
    if notice is None:
        raise Http404("class not found")
    return notice, school_class


# --- inbox --------------------------------------------------------------------------------------------------


def _inbox_filter(user, prefix: str = "") -> Q:
    return Q(**{f"{prefix}guardian__user": user}) | Q(**{f"{prefix}guardian__isnull": True, f"{prefix}user": user})


def deliveries_of(user) -> QuerySet[Delivery]:
    """Notices that reached the user: as a guardian (their own guardian record) or as staff."""
    if not _authenticated(user):
        return Delivery.objects.none()
    return Delivery.objects.filter(_inbox_filter(user))


def inbox_for(user) -> QuerySet[Delivery]:
    """The inbox: unread first, then newest."""
    unread = Case(When(read_at__isnull=True, then=Value(1)), default=Value(0), output_field=IntegerField())
    return deliveries_of(user).select_related("notice").order_by(unread.desc(), "-notice__send_at", "-pk")


def unread_count(user) -> int:
    return deliveries_of(user).filter(read_at__isnull=True).count()


def get_delivery_for(user, notice_pk) -> Delivery:
    delivery = deliveries_of(user).select_related("notice").filter(notice_id=notice_pk).first()
    if delivery is None:
        raise Http404("notice not found")
    return delivery


def get_attachment_for(user, pk) -> NoticeAttachment:
    """An attachment is seen by its notice's recipients and its receipts readers."""
    if not _authenticated(user):
        raise Http404("attachment not found")
    recipient = Q(notice__in=deliveries_of(user).values("notice"))
    manager = Q(notice__in=notices_managed_by(user).values("pk"))
    attachment = NoticeAttachment.objects.filter(pk=pk).filter(recipient | manager).first()
    if attachment is None:
        raise Http404("attachment not found")
    return attachment


# --- the home page ------------------------------------------------------------------------------------------


def _awaiting_response_q() -> Q:
    return Q(responded_at__isnull=True) & ~Q(notice__receipt_mode=Notice.ReceiptMode.READ)


def needing_response(user, limit: int) -> list[Delivery]:
    """Notices that reached the user and ask for a confirmation, a reply or a choice not yet given, newest first:
    one query, at most `limit` rows (withdrawn notices left out: they ask nothing any more)."""
    return list(
        deliveries_of(user)
        .filter(_awaiting_response_q(), notice__retracted_at__isnull=True)
        .select_related("notice")
        .order_by("-notice__send_at", "-pk")[:limit]
    )


def recent_notices(user, limit: int) -> list[Delivery]:
    """The latest notices that reached the user and ask nothing of them now (read or not), newest first: one
    query, at most `limit` rows. Messages about one item (an answer) are shown with that item instead."""
    return list(
        deliveries_of(user)
        .filter(notice__kind=Notice.Kind.BROADCAST)
        .exclude(_awaiting_response_q() & Q(notice__retracted_at__isnull=True))
        .select_related("notice")
        .order_by("-notice__send_at", "-pk")[:limit]
    )
