from django import forms
from django.utils.translation import gettext_lazy as _

from .models import RightsRequest
from .services import ANSWER_CHARS, DETAIL_CHARS


class RightsRequestForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("request"),
        choices=RightsRequest.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose whether you ask for a correction or a deletion.")},
    )
    detail = forms.CharField(label=_("what should change"), max_length=DETAIL_CHARS, widget=forms.Textarea(attrs={"rows": 4}),
                             error_messages={"required": _("Say what should be corrected or deleted.")})  # fmt: skip


class RightsAnswerForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("answer"),
        choices=[("done", _("Done: the record was corrected or deleted")), ("refused", _("Refused"))],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose done or refused.")},
    )
    answer = forms.CharField(label=_("reason"), max_length=ANSWER_CHARS, widget=forms.Textarea(attrs={"rows": 4}),
                             error_messages={"required": _("Give the reason for your answer: the guardian reads it.")})  # fmt: skip
