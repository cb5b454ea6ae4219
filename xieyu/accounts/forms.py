import re

from django import forms
from django.contrib.auth import authenticate
from django.utils.translation import gettext_lazy as _

PHONE_RE = re.compile(r"^1[3-9]\d{9}$")


def clean_phone(value: str) -> str:
    value = (value or "").strip().replace(" ", "").replace("-", "")
    if value.startswith("+86"):
        value = value[3:]
    if not PHONE_RE.match(value):
        raise forms.ValidationError(_("Enter an 11-digit mainland mobile number, such as 13800000000."))
    return value


class PasswordLoginForm(forms.Form):
    phone = forms.CharField(
        label=_("Mobile number"),
        max_length=20,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "username", "inputmode": "numeric"}),
    )
    password = forms.CharField(
        label=_("Password"), widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )

    def __init__(self, request, *args, **kwargs):
        self.request = request
        self.user = None
        super().__init__(*args, **kwargs)

    def clean_phone(self):
        return clean_phone(self.cleaned_data["phone"])

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        self.user = authenticate(self.request, phone=data["phone"], password=data["password"])
        if self.user is None or not self.user.is_active:
            raise forms.ValidationError(_("The mobile number or password is wrong."))
        return data
