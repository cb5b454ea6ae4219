"""Guardians join a class with its join code or QR; head teachers and school admins confirm.

孩子入园,家长入校: the class poster carries a QR of /join/<code>/. A guardian scans it, signs up right there
(mobile number proven by an SMS code, name, password) or logs in, then names the child and the child's birth
date. A match in that class becomes a pending guardianship the head teacher confirms on /join-requests/.
"""

from __future__ import annotations

import datetime
import io

import segno
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import IntegrityError
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from xieyu.accounts.forms import CodeForm, PhoneForm, SignUpForm
from xieyu.accounts.models import mask_phone
from xieyu.accounts.services import CodeRefused, login_code_send, login_code_verify, user_sign_up
from xieyu.accounts.throttle import throttle_count, throttle_exceeded, throttle_hit
from xieyu.accounts.verification import (
    active_user_for_phone,
    forget_verified_phone,
    login_verified,
    remember_verified_phone,
    verified_phone,
)
from xieyu.core.clientip import client_address

from .access import (
    classes_led_by,
    decides_joins,
    get_class_for,
    get_guardianship_for,
    pending_join_requests_decidable_by,
)
from .models import Guardianship, Relationship, SchoolClass
from .services import (
    class_for_join_code,
    guardian_for_user,
    guardianship_decide,
    guardianship_request,
    normalize_join_code,
    phone_on_class_roster,
    student_matching,
)

# Against guessing children's names and birth dates: five failed matches an hour per account.
MATCH_FAILURE_LIMIT = 5
# Against guessing join codes: twenty unknown codes an hour per address (a school shares one address).
BAD_CODE_LIMIT = 20
WINDOW = datetime.timedelta(hours=1)
# A join code is printed on a poster, so anyone may ask for SMS codes on its page. A number on the class's roster
# meets only the per-number limits (accounts.services); any other number also counts against the class's join code
# and the client's address, settings.JOIN_SMS_PER_CODE and JOIN_SMS_PER_CLIENT an hour.
SMS_PER_CODE_SCOPE = "join_sms_code"
SMS_PER_CLIENT_SCOPE = "join_sms_client"
JOIN_PHONE_KEY = "join_phone"
REQUESTS_PER_PAGE = 20


# --- Forms --------------------------------------------------------------------------------------------------


class JoinCodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Class join code"),
        max_length=20,
        error_messages={"required": gettext_lazy("Please enter the class join code.")},
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}),
        help_text=gettext_lazy("8 letters and digits, printed under the QR code on the class poster."),
    )


class ChildForm(forms.Form):
    child_name = forms.CharField(
        label=gettext_lazy("Child's name"),
        max_length=50,
        error_messages={"required": gettext_lazy("Please enter the child's name.")},
    )
    birth_date = forms.DateField(
        label=gettext_lazy("Child's birth date"),
        error_messages={
            "required": gettext_lazy("Please enter the child's birth date."),
            "invalid": gettext_lazy("Enter the birth date like 2017-05-12."),
        },
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    relationship = forms.ChoiceField(
        label=gettext_lazy("You are the child's"),
        choices=[("", gettext_lazy("Please choose")), *Relationship.choices],
        error_messages={"required": gettext_lazy("Please choose how you are related to the child.")},
    )
    is_primary_carer = forms.BooleanField(label=gettext_lazy("I look after the child day to day"), required=False)
    lives_with_child = forms.BooleanField(label=gettext_lazy("I live with the child"), required=False, initial=True)

    def clean_birth_date(self):
        born = self.cleaned_data["birth_date"]
        today = timezone.localdate()
        if born > today or born < today.replace(year=today.year - 25):
            raise forms.ValidationError(_("That birth date cannot be right; please check it."))
        return born


# --- Entering a code -----------------------------------------------------------------------------------------


def _client_key(request) -> str:
    return client_address(request) or "unknown"


def _send_join_code(request, school_class: SchoolClass, phone: str) -> None:
    """Text a login code to the number; raises CodeRefused past any limit, with the reason."""
    if phone_on_class_roster(school_class, phone):
        login_code_send(phone=phone)
        return
    limits = [
        (SMS_PER_CODE_SCOPE, school_class.join_code, settings.JOIN_SMS_PER_CODE),
        (SMS_PER_CLIENT_SCOPE, _client_key(request), settings.JOIN_SMS_PER_CLIENT),
    ]
    if any(throttle_exceeded(scope=scope, key=key, limit=limit, window=WINDOW) for scope, key, limit in limits):
        raise CodeRefused(
            _(
                "Too many codes have been asked for on this page for numbers not on the class's roster. Please try "
                "again in an hour, or ask the head teacher to add your mobile number to the class roster."
            )
        )
    login_code_send(phone=phone)
    for scope, key, _limit in limits:
        throttle_hit(scope=scope, key=key)


def _bad_code_page(request, form: JoinCodeForm, error: str, status: int):
    return render(request, "directory/join_start.html", {"form": form, "error": error}, status=status)


def _too_many_bad_codes(request) -> bool:
    return throttle_exceeded(scope="join_code", key=_client_key(request), limit=BAD_CODE_LIMIT, window=WINDOW)


def _unknown_code(request, raw: str):
    throttle_hit(scope="join_code", key=_client_key(request))
    form = JoinCodeForm(initial={"code": raw})
    message = _(
        "No class has the join code “%(code)s”. Please check it against the class poster "
        "(the letters O and I are never used), or ask the head teacher."
    ) % {"code": raw}
    return _bad_code_page(request, form, message, 404)


def _too_many_codes_response(request):
    form = JoinCodeForm()
    message = _("Too many wrong join codes were tried from here. Please try again in an hour.")
    return _bad_code_page(request, form, message, 429)


def join_start(request):
    """Enter a class join code (for guardians who cannot scan the poster's QR)."""
    form = JoinCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if _too_many_bad_codes(request):
            return _too_many_codes_response(request)
        raw = form.cleaned_data["code"].strip()
        school_class = class_for_join_code(raw)
        if school_class is None:
            return _unknown_code(request, raw)
        return redirect("directory:join_class", code=school_class.join_code)
    return render(request, "directory/join_start.html", {"form": form})


# --- Joining one class ----------------------------------------------------------------------------------------


@never_cache
def join_class(request, code: str):
    """The page behind the poster's QR: sign up or log in if needed, then ask to join for a child."""
    if _too_many_bad_codes(request):
        return _too_many_codes_response(request)
    school_class = class_for_join_code(code)
    if school_class is None:
        return _unknown_code(request, code)
    if normalize_join_code(code) != code:
        return redirect("directory:join_class", code=school_class.join_code)
    if not request.user.is_authenticated:
        return _sign_in_step(request, school_class)
    return _child_step(request, school_class)


def _sign_in_step(request, school_class: SchoolClass):
    """Anonymous visitors prove their number by SMS; an existing account logs in, a new one signs up."""
    here = request.path
    action = request.POST.get("action") if request.method == "POST" else None
    if action == "restart":
        request.session.pop(JOIN_PHONE_KEY, None)
        forget_verified_phone(request)
        return redirect(here)

    context = {"school_class": school_class, "demo": settings.DEMO_MODE, "phone_in_session": True, "next": ""}
    proven = verified_phone(request)
    if proven:
        form = SignUpForm(request.POST if action == "signup" else None)
        if action == "signup" and form.is_valid():
            try:
                user = user_sign_up(
                    phone=proven, name=form.cleaned_data["name"], password=form.cleaned_data["new_password1"]
                )
            except IntegrityError:
                user = None
                form.add_error(None, _("This mobile number already has an account. Please log in instead."))
            if user is not None:
                forget_verified_phone(request)
                request.session.pop(JOIN_PHONE_KEY, None)
                login_verified(request, user)
                messages.success(request, _("Your account is ready. Now tell us which child is yours."))
                return redirect(here)
        context.update(step="signup", signup_form=form, masked_phone=mask_phone(proven))
        return render(request, "directory/join_class.html", context)

    phone = request.session.get(JOIN_PHONE_KEY, "")
    phone_form = PhoneForm(request.POST if action == "send" and "phone" in request.POST else None)
    code_form = CodeForm(request.POST if action == "verify" else None)
    step, notice, error = ("code" if phone else "phone"), "", ""
    if action == "send":
        if phone_form.is_bound:
            phone = phone_form.cleaned_data["phone"] if phone_form.is_valid() else ""
        if phone:
            request.session[JOIN_PHONE_KEY] = phone
            step = "code"
            try:
                _send_join_code(request, school_class, phone)
                notice = _(
                    "A code has been sent to your mobile number by SMS. It is valid for %(minutes)d minutes."
                ) % {"minutes": settings.LOGIN_CODE_TTL_SECONDS // 60}
            except CodeRefused as refused:
                error = str(refused)
        else:
            step = "phone"
    elif action == "verify" and phone and code_form.is_valid():
        check = login_code_verify(phone=phone, code=code_form.cleaned_data["code"])
        if check.ok:
            request.session.pop(JOIN_PHONE_KEY, None)
            user = active_user_for_phone(phone)
            if user is not None:
                login_verified(request, user)
                messages.success(request, _("You are logged in. Now tell us which child is yours."))
            else:
                remember_verified_phone(request, phone)
            return redirect(here)
        code_form.add_error("code", check.error)
    context.update(
        step=step,
        phone_form=phone_form,
        code_form=code_form,
        notice=notice,
        error=error,
        masked_phone=mask_phone(phone),
        login_url=f"{reverse('accounts:login')}?next={here}",
    )
    return render(request, "directory/join_class.html", context)


def _child_step(request, school_class: SchoolClass):
    user = request.user
    form = ChildForm(request.POST or None)
    context = {"school_class": school_class, "step": "child", "child_form": form}
    if request.method != "POST":
        return render(request, "directory/join_class.html", context)
    key = str(user.pk)
    failures = throttle_count(scope="join_match", key=key, window=WINDOW)
    if failures >= MATCH_FAILURE_LIMIT:
        form.add_error(
            None,
            _(
                "The name and birth date did not match too many times. Please try again in an hour, "
                "or ask the head teacher to add you."
            ),
        )
        return render(request, "directory/join_class.html", context, status=429)
    if not form.is_valid():
        return render(request, "directory/join_class.html", context)
    data = form.cleaned_data
    student = student_matching(school_class=school_class, name=data["child_name"], birth_date=data["birth_date"])
    if student is None:
        throttle_hit(scope="join_match", key=key)
        left = MATCH_FAILURE_LIMIT - failures - 1
        message = _(
            "No child in %(class)s has this name and birth date. Please check both are exactly as at school "
            "(the name in Chinese characters, the birth date as on the household register), or contact the "
            "head teacher."
        ) % {"class": school_class}
        if left > 0:
            message += " " + ngettext(
                "You may try %(left)d more time this hour.", "You may try %(left)d more times this hour.", left
            ) % {"left": left}
        form.add_error(None, message)
        return render(request, "directory/join_class.html", context)

    guardian = guardian_for_user(actor=user, user=user)
    g, created = guardianship_request(
        actor=user,
        student=student,
        guardian=guardian,
        relationship=data["relationship"],
        is_primary_carer=data["is_primary_carer"],
        lives_with_child=data["lives_with_child"],
    )
    names = {"child": student.name, "class": school_class}
    if created:
        messages.success(
            request,
            _(
                "Your request for %(child)s (%(class)s) has been sent. Once the head teacher confirms it, "
                "you will receive the class's notices."
            )
            % names,
        )
    elif g.status == Guardianship.Status.PENDING:
        messages.info(
            request, _("You have already asked to join for %(child)s; the head teacher will confirm it soon.") % names
        )
    elif g.status == Guardianship.Status.CONFIRMED:
        messages.info(request, _("You are already confirmed as a guardian of %(child)s.") % names)
    else:
        messages.warning(
            request, _("Your request for %(child)s was not accepted. Please contact the head teacher.") % names
        )
    return redirect("accounts:profile")


# --- The class's QR and poster (staff) ------------------------------------------------------------------------


def _join_url(request, school_class: SchoolClass) -> str:
    return request.build_absolute_uri(reverse("directory:join_class", args=[school_class.join_code]))


@login_required
def class_qr(request, pk: int):
    """An SVG QR code of the class's join address, for staff who can see the class."""
    school_class = get_class_for(request.user, pk)
    out = io.BytesIO()
    segno.make(_join_url(request, school_class), error="m").save(out, kind="svg", scale=8, border=2, xmldecl=False)
    response = HttpResponse(out.getvalue(), content_type="image/svg+xml")
    response["Cache-Control"] = "private, max-age=300"
    return response


@login_required
def class_poster(request, pk: int):
    """A printable poster for the classroom door and the parents' group chat: QR, join code, four steps."""
    school_class = get_class_for(request.user, pk)
    url = _join_url(request, school_class)
    qr_svg = segno.make(url, error="m").svg_inline(scale=8, border=2, omitsize=True)
    context = {
        "school_class": school_class,
        "qr_svg": qr_svg,
        "join_url": url,
        "start_url": request.build_absolute_uri(reverse("directory:join_start")),
    }
    return render(request, "directory/class_poster.html", context)


# --- Deciding join requests (head teachers, school admins) ----------------------------------------------------


@login_required
def join_requests(request):
    """Guardians waiting to be confirmed, oldest first: the head teacher's classes, the school admin's school."""
    if not decides_joins(request.user):
        raise Http404("no join requests here")
    page = Paginator(pending_join_requests_decidable_by(request.user), REQUESTS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    own_classes = classes_led_by(request.user)
    return render(request, "directory/join_requests.html", {"page": page, "own_classes": own_classes})


@login_required
@require_POST
def join_decide(request, pk: int):
    """Confirm or reject one request; answers the updated row to htmx, else back to the list."""
    g = get_guardianship_for(request.user, pk)
    decision = request.POST.get("decision")
    if decision not in ("confirm", "reject"):
        return HttpResponseBadRequest(_("Choose to confirm or to reject."))
    names = {"guardian": g.guardian.name, "child": g.student.name}
    if g.status == Guardianship.Status.PENDING:
        guardianship_decide(actor=request.user, guardianship=g, confirm=decision == "confirm")
        if decision == "confirm":
            text = _("Confirmed: %(guardian)s is now a guardian of %(child)s.") % names
        else:
            text = _("Rejected: %(guardian)s's request for %(child)s.") % names
    else:
        text = _("This request was already decided.")
    if request.htmx:
        return render(request, "directory/join_requests.html#request_row", {"g": g, "decided_text": text})
    messages.success(request, text)
    page = request.POST.get("page", "")
    return redirect(reverse("directory:join_requests") + (f"?page={page}" if page.isdigit() else ""))
