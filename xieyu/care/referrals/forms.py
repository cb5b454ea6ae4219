"""Forms of consent and referrals. Choices come from the view (read through access.py); a form names the field in
each error, and the services judge the business rules."""

from __future__ import annotations

import datetime
from typing import cast

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xieyu.care.cases.models import Section, ServiceKind
from xieyu.directory.models import PartnerAgency

KIND_PREFIX = "kind:"


def _default_expiry() -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=settings.CARE_CONSENT_DAYS)


def recipient_choices(agencies) -> list[tuple[str, str]]:
    choices = [(str(a.pk), a.name) for a in agencies]
    choices += [
        (f"{KIND_PREFIX}{value}", _("any %(kind)s") % {"kind": label}) for value, label in PartnerAgency.Kind.choices
    ]
    return choices


class ConsentForm(forms.Form):
    guardian = forms.ChoiceField(label=_("Guardian"))
    recipient = forms.ChoiceField(label=_("Recipient"))
    purpose = forms.CharField(label=_("Purpose"), max_length=200)
    sections = forms.MultipleChoiceField(
        label=_("Sections of the case it covers"), choices=Section.choices, widget=forms.CheckboxSelectMultiple
    )
    expires_on = forms.DateField(
        label=_("Expires on"), initial=_default_expiry, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, guardians, agencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.guardians = {str(g.guardian_id): g.guardian for g in guardians}
        self.agencies = {str(a.pk): a for a in agencies}
        cast(forms.ChoiceField, self.fields["guardian"]).choices = [
            (str(g.guardian_id), f"{g.guardian.name}({g.get_relationship_display()})") for g in guardians
        ]
        cast(forms.ChoiceField, self.fields["recipient"]).choices = recipient_choices(agencies)

    def clean_expires_on(self):
        value = self.cleaned_data["expires_on"]
        if value <= timezone.localdate():
            raise forms.ValidationError(_("Expires on: the consent must end after today."))
        return value

    def terms(self) -> dict:
        data = self.cleaned_data
        recipient = data["recipient"]
        agency = self.agencies.get(recipient)
        kind = recipient.removeprefix(KIND_PREFIX) if agency is None else ""
        end = datetime.datetime.combine(data["expires_on"], datetime.time(23, 59, 59))
        return {
            "guardian": self.guardians[data["guardian"]],
            "agency": agency,
            "agency_kind": kind,
            "purpose": data["purpose"],
            "sections": list(data["sections"]),
            "expires_at": timezone.make_aware(end),
        }


class PaperConsentForm(ConsentForm):
    given_on = forms.DateField(
        label=_("Signed on"), initial=timezone.localdate, widget=forms.DateInput(attrs={"type": "date"})
    )
    scan = forms.FileField(label=_("Scan of the signed paper (PDF, JPG or PNG)"))

    def clean_given_on(self):
        value = self.cleaned_data["given_on"]
        if value > timezone.localdate():
            raise forms.ValidationError(_("Signed on: the date cannot be in the future."))
        return value

    def terms(self) -> dict:
        terms = super().terms()
        given = timezone.make_aware(datetime.datetime.combine(self.cleaned_data["given_on"], datetime.time(12)))
        terms["given_at"] = min(given, timezone.now())
        terms["scan"] = self.cleaned_data["scan"]
        return terms


class ReferralForm(forms.Form):
    consent = forms.ChoiceField(label=_("Consent"))
    agency = forms.ChoiceField(label=_("Agency"))
    service_kind = forms.ChoiceField(label=_("Service"), choices=ServiceKind.choices)
    request = forms.CharField(label=_("What you ask the agency to do"), max_length=2000, widget=forms.Textarea)

    def __init__(self, *args, consents, agencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.consents = {str(c.pk): c for c in consents}
        self.agencies = {str(a.pk): a for a in agencies}
        cast(forms.ChoiceField, self.fields["consent"]).choices = [("", _("— no consent —"))] + [
            (str(c.pk), c.label)
            for c in consents  # label set by the view
        ]
        self.fields["consent"].required = False
        cast(forms.ChoiceField, self.fields["agency"]).choices = [(str(a.pk), a.name) for a in agencies]


class CodeForm(forms.Form):
    code = forms.CharField(label=_("Code from the SMS"), max_length=6, min_length=6)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=300)


class OutcomeForm(forms.Form):
    outcome = forms.CharField(label=_("Outcome"), max_length=5000, widget=forms.Textarea)


class LinkForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=50)
    organisation = forms.CharField(label=_("Organisation"), max_length=100)
    phone = forms.CharField(label=_("Mobile number"), max_length=11, min_length=11)
    days = forms.IntegerField(
        label=_("Valid for (days)"), min_value=1, max_value=60, initial=settings.CARE_REFERRAL_LINK_DAYS
    )


class LinkPhoneForm(forms.Form):
    phone = forms.CharField(label=_("Your mobile number"), max_length=11, min_length=11)


class LinkCodeForm(LinkPhoneForm):
    code = forms.CharField(label=_("Code from the SMS"), max_length=6, min_length=6)
