from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import logout as auth_logout
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from xieyu.core.viewhelpers import safe_next

from . import hooks
from .forms import CodeForm, PasswordChangeForm, PasswordLoginForm, PhoneForm, TokenForm
from .models import mask_phone
from .roles import SESSION_KEY, roles_of
from .scope import scope_of
from .services import CodeRefused, login_code_send, login_code_verify, user_set_care_mode, user_set_password
from .tokens import token_create, token_is_live, token_revoke
from .verification import account_for_proven_phone, login_verified, may_receive_login_code

MAX_TOKENS = 10


def login(request):
    if request.user.is_authenticated:
        return redirect("home")
    form = PasswordLoginForm(request, request.POST or None)
    if request.method == "POST" and form.is_valid():
        auth_login(request, form.user, backend="django.contrib.auth.backends.ModelBackend")
        return HttpResponseRedirect(safe_next(request))
    return render(request, "accounts/login.html", {"form": form, "next": safe_next(request, "")})


def code_sent_notice() -> str:
    return _(
        "If this number is registered, a code has been sent to it by SMS. It is valid for %(minutes)d minutes."
    ) % {"minutes": settings.LOGIN_CODE_TTL_SECONDS // 60}


@never_cache
def login_code(request):
    """Log in with a one-time code texted to one's mobile number. Never tells whether a number has an account."""
    if request.user.is_authenticated:
        return redirect("home")
    action = request.POST.get("action") if request.method == "POST" else None
    phone_form = PhoneForm(request.POST if action else None)
    code_form = CodeForm(request.POST if action == "verify" else None)
    step, notice, phone, error = "phone", "", "", ""
    if action and phone_form.is_valid():
        phone = phone_form.cleaned_data["phone"]
        step = "code"
        if action == "send":
            try:
                login_code_send(phone=phone, deliver=may_receive_login_code(phone))
                notice = code_sent_notice()
            except CodeRefused as refused:
                error = str(refused)
        elif action == "verify" and code_form.is_valid():
            check = login_code_verify(phone=phone, code=code_form.cleaned_data["code"])
            user = account_for_proven_phone(phone) if check.ok else None
            if user is not None:
                login_verified(request, user)
                return HttpResponseRedirect(safe_next(request))
            code_form.add_error("code", check.error or _("The code is wrong."))
    context = {
        "phone_form": phone_form,
        "code_form": code_form,
        "step": step,
        "notice": notice,
        "error": error,
        "phone": phone,
        "masked_phone": mask_phone(phone),
        "next": safe_next(request, ""),
        "demo": settings.DEMO_MODE,
    }
    return render(request, "accounts/login_code.html", context)


@require_POST
def logout(request):
    auth_logout(request)
    return redirect("accounts:login")


@login_required
@require_POST
def switch_role(request):
    key = request.POST.get("role", "")
    roles = {r.key: r for r in roles_of(request.user)}
    if key not in roles:
        messages.error(request, _("You do not hold that role."))
    else:
        request.session[SESSION_KEY] = key
        messages.success(request, _("You are now acting as %(role)s.") % {"role": roles[key].label})
    return redirect("home")


@require_POST
def care_mode(request):
    """Turn the care mode (关怀版) on or off: remembered on the account, and by cookie for visitors."""
    on = request.POST.get("care_mode") == "1"
    response = HttpResponseRedirect(safe_next(request))
    if request.user.is_authenticated:
        user_set_care_mode(actor=request.user, user=request.user, on=on)
    response.set_cookie("care_mode", "1" if on else "0", max_age=365 * 24 * 3600, samesite="Lax", httponly=True)
    return response


def _tokens_of(user) -> list:
    tokens = list(user.api_tokens.order_by("-created_at"))
    for token in tokens:
        token.user = user
        token.live = token_is_live(token)
    return tokens


def _may_hold_tokens(user) -> bool:
    """App tokens are for staff (developers of the school's own apps): a family never sees or makes one."""
    return scope_of(user).is_staff


def _profile_page(request, *, token_form=None, new_token: str = "", status: int = 200):
    user = request.user
    context = {"roles": roles_of(user), **hooks.directory.profile_context(user), "show_tokens": False}
    if _may_hold_tokens(user):
        context.update(
            show_tokens=True,
            tokens=_tokens_of(user),
            token_form=token_form or TokenForm(),
            new_token=new_token,
        )
    response = render(request, "accounts/profile.html", context, status=status)
    response["Cache-Control"] = "no-store"
    return response


@login_required
def profile(request):
    return _profile_page(request)


@login_required
@require_POST
def token_new(request):
    """Create an API token (staff only); its plain text is shown on this one response and never again."""
    if not _may_hold_tokens(request.user):
        raise Http404("no tokens for this user")
    form = TokenForm(request.POST)
    if form.is_valid() and request.user.api_tokens.count() >= MAX_TOKENS:
        form.add_error(
            None, _("You already have %(max)d tokens. Revoke one you no longer use first.") % {"max": MAX_TOKENS}
        )
    if not form.is_valid():
        return _profile_page(request, token_form=form, status=400)
    _token, plain = token_create(actor=request.user, user=request.user, name=form.cleaned_data["name"])
    return _profile_page(request, new_token=plain)


@login_required
@require_POST
def token_delete(request, pk: int):
    if not _may_hold_tokens(request.user):
        raise Http404("token not found")
    token = request.user.api_tokens.filter(pk=pk).first()
    if token is None:
        raise Http404("token not found")
    token_revoke(actor=request.user, token=token)
    messages.success(
        request, _("The token “%(name)s” was revoked; apps using it can no longer connect.") % {"name": token.name}
    )
    return redirect("accounts:profile")


@login_required
def password(request):
    form = PasswordChangeForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        user_set_password(actor=request.user, user=request.user, password=form.cleaned_data["new_password1"])
        update_session_auth_hash(request, request.user)
        messages.success(request, _("Your password has been changed."))
        return redirect("accounts:profile")
    return render(request, "accounts/password.html", {"form": form})
