"""Notice pages: the guardian's inbox, composing, receipts, class lists and the print sheet."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from xieyu.audit.services import access_record
from xieyu.core.uploads import serve_file, type_for_content_type
from xieyu.core.viewhelpers import error_text, parse_id

from . import access, receipts, services
from .forms import NoticeForm, RetractForm

PAGE_SIZE = 20


# --- the recipient's side -----------------------------------------------------------------------------------


@login_required
def inbox(request):
    page = Paginator(access.inbox_for(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "notices/inbox.html", {"page": page})


@login_required
def detail(request, pk):
    try:
        delivery = access.get_delivery_for(request.user, pk)
    except Http404:
        if access.notices_managed_by(request.user).filter(pk=pk).exists():
            return redirect("notices:receipts", pk=pk)  # the sender's page of a notice is its receipts
        raise
    services.delivery_read(actor=request.user, delivery=delivery)
    notice = delivery.notice
    return render(
        request,
        "notices/detail.html",
        {"delivery": delivery, "notice": notice, "attachments": list(notice.attachments.all())},
    )


@login_required
@require_POST
def respond(request, pk):
    delivery = access.get_delivery_for(request.user, pk)
    error = ""
    try:
        services.delivery_respond(actor=request.user, delivery=delivery, reply=request.POST.get("reply", ""))
    except ValidationError as exc:
        error = error_text(exc)
    if request.htmx:
        return render(
            request,
            "notices/detail.html#respond",
            {"delivery": delivery, "notice": delivery.notice, "error": error},
        )
    if error:
        messages.error(request, error)
    else:
        messages.success(request, _("Thank you, your answer has been sent."))
    return redirect("notices:detail", pk=pk)


@login_required
def attachment(request, pk):
    att = access.get_attachment_for(request.user, pk)
    return serve_file(att.file, filename=att.name, file_type=type_for_content_type(att.content_type))


# --- the sender's side --------------------------------------------------------------------------------------


def _require_sender(user) -> None:
    if not access.can_send(user):
        raise Http404("not a sender")


@login_required
def sent_list(request):
    _require_sender(request.user)
    notices = access.notices_managed_by(request.user).select_related("sender")
    page = Paginator(notices, PAGE_SIZE).get_page(request.GET.get("page"))
    figures = receipts.family_counts(list(page.object_list))
    for n in page.object_list:
        n.figures = figures[n.pk]
    reaching = list(access.notices_reaching_my_classes(request.user).order_by("-send_at")[:10])
    my_classes = [m.school_class for m in access.sender_memberships(request.user) if m.school_class_id]
    return render(
        request,
        "notices/sent_list.html",
        {"page": page, "reaching": reaching, "my_classes": my_classes, "unread": access.unread_count(request.user)},
    )


@login_required
def compose(request):
    _require_sender(request.user)
    form = NoticeForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            notice = services.notice_create(
                actor=request.user,
                title=d["title"],
                body=d["body"],
                receipt_mode=d["receipt_mode"],
                choices=form.choice_list(),
                attachments=d["attachments"],
                send_at=d.get("send_at"),
                sms_after_hours=d.get("sms_after_hours"),
                audience=form.audience(),
            )
        except (ValidationError, PermissionDenied) as exc:
            form.add_error(None, error_text(exc) if isinstance(exc, ValidationError) else str(exc))
        else:
            if notice.status == notice.Status.SCHEDULED:
                when = timezone.localtime(notice.send_at).strftime("%Y-%m-%d %H:%M")
                messages.success(request, _("The notice will be sent at %(when)s.") % {"when": when})
            else:
                messages.success(request, _("The notice is being sent."))
            return redirect("notices:receipts", pk=notice.pk)
    return render(request, "notices/compose.html", {"form": form})


@login_required
def receipts_page(request, pk):
    notice = access.get_notice_for(request.user, pk)
    classes = Paginator(receipts.by_class(notice), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "notices/receipts.html",
        {
            "notice": notice,
            "counts": receipts.counts(notice),
            "channels": receipts.channel_counts(notice),
            "classes": classes,
            "retract_form": RetractForm(),
            "can_remind_at": _next_remind(notice),
        },
    )


def _next_remind(notice):
    if notice.last_reminded_at is None:
        return None
    at = notice.last_reminded_at + services.remind_interval()
    return at if at > timezone.now() else None


@login_required
def receipts_counts(request, pk):
    """The live figures (htmx polls this every few seconds)."""
    notice = access.get_notice_for(request.user, pk)
    return render(
        request,
        "notices/receipts.html#counts",
        {"notice": notice, "counts": receipts.counts(notice), "channels": receipts.channel_counts(notice)},
    )


@login_required
@require_POST
def remind(request, pk):
    notice = access.get_notice_for(request.user, pk)
    try:
        services.notice_remind(actor=request.user, notice=notice)
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, _("The guardians who have not read it are being reminded."))
    return redirect("notices:receipts", pk=pk)


@login_required
@require_POST
def retract(request, pk):
    notice = access.get_notice_for(request.user, pk)
    form = RetractForm(request.POST)
    if form.is_valid():
        try:
            services.notice_retract(actor=request.user, notice=notice, note=form.cleaned_data["note"])
        except ValidationError as exc:
            messages.error(request, error_text(exc))
        else:
            messages.success(request, _("The notice has been withdrawn; those who had it see your note."))
    else:
        messages.error(request, _("Say in a few words why the notice is withdrawn."))
    return redirect("notices:receipts", pk=pk)


@login_required
def export(request, pk):
    notice = access.get_notice_for(request.user, pk)
    access_record(actor=request.user, target=notice, purpose="notice.receipts.export", request=request)
    response = HttpResponse(
        receipts.export_xlsx(notice),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="notice-{notice.pk}-receipts.xlsx"'
    return response


# --- one class: families not reached, the print list, hand delivery -----------------------------------------


@login_required
def class_page(request, pk, class_pk):
    notice, school_class = access.get_notice_class_for(request.user, pk, class_pk)
    if request.method == "POST":
        families = receipts.families(notice, school_class)
        allowed = {m.delivery.pk for f in families for m in f.members}
        ticked = {parse_id(x) for x in request.POST.getlist("handed")}
        chosen = {pk for pk in allowed if pk in ticked}
        undo = request.POST.get("undo") == "1"
        count = services.deliveries_mark_handed(
            actor=request.user, notice=notice, delivery_ids=sorted(chosen), handed=not undo
        )
        messages.success(request, _("%(count)d guardians marked as reached by hand.") % {"count": count} if not undo
                         else _("%(count)d marks removed.") % {"count": count})  # fmt: skip
        return redirect("notices:class_page", pk=pk, class_pk=class_pk)
    families = receipts.families(notice, school_class)
    return render(
        request,
        "notices/class_page.html",
        {
            "notice": notice,
            "school_class": school_class,
            "families": families,
            "counts": receipts.class_counts(notice, school_class),
            "printable": [f for f in families if f.without_phone],
            "can_manage": access.can_manage(request.user, notice),
        },
    )


@login_required
def print_sheet(request, pk, class_pk):
    notice, school_class = access.get_notice_class_for(request.user, pk, class_pk)
    families = [f for f in receipts.families(notice, school_class) if f.without_phone]
    families.sort(key=lambda f: f.student.student_number)
    return render(
        request,
        "notices/print_sheet.html",
        {
            "notice": notice,
            "school_class": school_class,
            "families": families,
            "counts": receipts.class_counts(notice, school_class),
            "today": timezone.localdate(),
        },
    )
