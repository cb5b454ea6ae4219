"""The form that publishes an answered question to the knowledge base. The anonymity check is the service's."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from xieyu.questions.asking.models import Category


class ArticleForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=60)
    category = forms.ChoiceField(label=_("Category"), choices=Category.choices)
    question_text = forms.CharField(label=_("The question"), max_length=2000, widget=forms.Textarea(attrs={"rows": 5}))
    answer_text = forms.CharField(label=_("The answer"), max_length=4000, widget=forms.Textarea(attrs={"rows": 8}))
    is_public = forms.BooleanField(label=_("Public: readable without logging in"), required=False, initial=True)
