"""The one-minute diary's pages: a logged-in guardian's open requests (burden:diary_today, with opting out and
back in), and the request's own link from the SMS (burden:diary_answer), which needs no login."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from xieyu.core.viewhelpers import error_text, id_or_404

from . import access, services
from .forms import DiaryForm
from .models import DiaryRequest


def _masked(name: str) -> str:
    """The child's name as the link shows it (whoever holds the link): the surname and a mark."""
    return name[:1] + "＊" * max(1, len(name) - 1)


def _answer(request, diary_request, *, actor, template_ctx: dict):
    form = DiaryForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        values, unknown = form.answers()
        try:
            services.diary_submit(actor=actor, request=diary_request, values=values, unknown=unknown)
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                form.add_error(None, exc)
            else:
                template_ctx["error"] = error_text(exc)
        else:
            return None
    return form


@login_required
@require_http_methods(["GET", "POST"])
def diary_today(request):
    open_requests = list(access.requests_open_for(request.user)[:10])
    raw = request.GET.get("request") or request.POST.get("request")
    current: DiaryRequest | None
    if raw:
        current = access.get_open_request_for(request.user, id_or_404(raw))
    else:
        current = open_requests[0] if open_requests else None
    ctx: dict = {"open_requests": open_requests, "current": current,
                 "children": list(access.children_sampled_for(request.user))}  # fmt: skip
    form = None
    if current is not None:
        form = _answer(request, current, actor=request.user, template_ctx=ctx)
        if form is None:
            messages.success(request, _("Thank you: the diary is saved."))
            return redirect("burden:diary_today")
    elif request.method == "POST":
        return redirect("burden:diary_today")
    ctx["form"] = form
    ctx["child_name"] = current.student.name if current else ""
    return render(request, "burden/diary/today.html", ctx)


@require_http_methods(["GET", "POST"])
def diary_answer(request, token: str):
    diary_request = access.get_request_by_token(token)
    state = services.request_state(diary_request)
    ctx: dict = {"current": diary_request, "state": state, "child_name": _masked(diary_request.student.name),
                 "token_page": True}  # fmt: skip
    form = None
    if state == "open":
        actor = request.user if request.user.is_authenticated else None
        form = _answer(request, diary_request, actor=actor, template_ctx=ctx)
        if form is None:
            ctx["state"] = "thanks"
    ctx["form"] = form
    return render(request, "burden/diary/answer.html", ctx)


@login_required
@require_POST
def diary_optout(request):
    child = access.get_child_for(request.user, id_or_404(request.POST.get("student")))
    out = request.POST.get("out") == "1"
    services.diary_opt_out(actor=request.user, student=child, opted_out=out)
    messages.success(request, _("You will not be asked for the diary any more.") if out
                     else _("You may be asked for the diary again."))  # fmt: skip
    return redirect("burden:diary_today")
