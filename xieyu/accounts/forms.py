import re

from django import forms
from django.contrib.auth import authenticate, password_validation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .models import User

PHONE_RE = re.compile(r"^1[3-9]\d{9}$")


def clean_phone(value: str) -> str:
    value = (value or "").strip().replace(" ", "").replace("-", "")
    if value.startswith("+86"):
        value = value[3:]
    if not PHONE_RE.match(value):
        raise forms.ValidationError(_("Enter an 11-digit mainland mobile number, such as 13800000000."))
    return value


def phone_field() -> forms.CharField:
    return forms.CharField(
        label=_("Mobile number"),
        max_length=20,
        error_messages={"required": _("Please enter your mobile number.")},
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "username", "inputmode": "numeric"}),
    )


class PasswordLoginForm(forms.Form):
    phone = phone_field()
    password = forms.CharField(
        label=_("Password"),
        error_messages={"required": _("Please enter your password.")},
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, request, *args, **kwargs):
        self.request = request
        self.user: User | None = None
        super().__init__(*args, **kwargs)

    def clean_phone(self):
        return clean_phone(self.cleaned_data["phone"])

    def clean(self):
        super().clean()
        data = self.cleaned_data
        if self.errors:
            return data
        self.user = authenticate(self.request, phone=data["phone"], password=data["password"])
        if self.user is None or not self.user.is_active:
            raise forms.ValidationError(_("The mobile number or password is wrong."))
        return data


class PhoneForm(forms.Form):
    """Step one of logging in or signing up by SMS: the mobile number."""

    phone = phone_field()

    def clean_phone(self):
        return clean_phone(self.cleaned_data["phone"])


class CodeForm(forms.Form):
    """Step two: the six-digit code from the text message."""

    code = forms.CharField(
        label=_("Verification code"),
        max_length=6,
        min_length=6,
        error_messages={
            "required": _("Please enter the 6-digit code from the text message."),
            "min_length": _("The code has 6 digits."),
            "max_length": _("The code has 6 digits."),
        },
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "pattern": "[0-9]*", "maxlength": "6"}
        ),
    )

    def clean_code(self):
        code = self.cleaned_data["code"].strip()
        if not code.isdigit():
            raise forms.ValidationError(_("The code has 6 digits."))
        return code


def _in_chinese(error: forms.ValidationError) -> forms.ValidationError:
    """Django 5.2 reworded the minimum-length message and its zh_Hans catalogue lacks the new wording."""
    if error.code == "password_too_short":
        return forms.ValidationError(
            gettext("The password is too short: it needs at least %(min_length)d characters.")
            % {"min_length": (error.params or {}).get("min_length", 8)},
            code=error.code,
        )
    return error


class NewPasswordMixin(forms.Form):
    """A new password typed twice, checked against AUTH_PASSWORD_VALIDATORS."""

    new_password1 = forms.CharField(
        label=_("New password"),
        strip=False,
        error_messages={"required": _("Please enter a new password.")},
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("At least 8 characters, with both letters and digits; not a common password."),
    )
    new_password2 = forms.CharField(
        label=_("New password again"),
        strip=False,
        error_messages={"required": _("Please enter the new password a second time.")},
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    user: User | None = None

    def clean_new_password2(self):
        p1, p2 = self.cleaned_data.get("new_password1"), self.cleaned_data.get("new_password2")
        if p1 and p2 and p1 != p2:
            raise forms.ValidationError(_("The two passwords are not the same."))
        if p2:
            try:
                password_validation.validate_password(p2, self.user)
            except forms.ValidationError as refused:
                raise forms.ValidationError([_in_chinese(e) for e in refused.error_list]) from None
        return p2


class SignUpForm(NewPasswordMixin):
    """The last step of signing up: name and password (the mobile number was proven by SMS)."""

    name = forms.CharField(
        label=_("Your name"),
        max_length=50,
        error_messages={"required": _("Please enter your name.")},
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    field_order = ["name", "new_password1", "new_password2"]

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].split())
        if not name:
            raise forms.ValidationError(_("Please enter your name."))
        return name


class PasswordChangeForm(NewPasswordMixin):
    """Change one's password; the current one is asked for when there is one."""

    old_password = forms.CharField(
        label=_("Current password"),
        strip=False,
        required=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    field_order = ["old_password", "new_password1", "new_password2"]
    user: User

    def __init__(self, user, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        if not user.has_usable_password():
            del self.fields["old_password"]

    def clean_old_password(self):
        old = self.cleaned_data.get("old_password", "")
        if not old:
            raise forms.ValidationError(_("Please enter your current password."))
        if not self.user.check_password(old):
            raise forms.ValidationError(_("The current password is wrong."))
        return old


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("What the token is for"),
        max_length=50,
        error_messages={"required": _("Please name the token, for example the app that will use it.")},
    )
