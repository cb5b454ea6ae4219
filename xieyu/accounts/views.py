from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import logout as auth_logout
from django.contrib.auth.decorators import login_required
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .forms import PasswordLoginForm
from .roles import SESSION_KEY, roles_of


def _safe_next(request, fallback: str = "/") -> str:
    nxt = request.POST.get("next") or request.GET.get("next") or ""
    if nxt and url_has_allowed_host_and_scheme(
        nxt, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return nxt
    return fallback


def login(request):
    if request.user.is_authenticated:
        return redirect("home")
    form = PasswordLoginForm(request, request.POST or None)
    if request.method == "POST" and form.is_valid():
        auth_login(request, form.user, backend="django.contrib.auth.backends.ModelBackend")
        return HttpResponseRedirect(_safe_next(request))
    return render(request, "accounts/login.html", {"form": form, "next": _safe_next(request, "")})


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
    on = request.POST.get("care_mode") == "1"
    response = HttpResponseRedirect(_safe_next(request))
    if request.user.is_authenticated:
        request.user.care_mode = on
        request.user.save(update_fields=["care_mode"])
    response.set_cookie("care_mode", "1" if on else "0", max_age=365 * 24 * 3600, samesite="Lax", httponly=True)
    return response


@login_required
def profile(request):
    return render(request, "accounts/profile.html", {"roles": roles_of(request.user)})
