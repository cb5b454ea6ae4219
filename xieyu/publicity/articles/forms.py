"""The editor's, the reviewer's and the import forms. The body's cleaning is the service's, not the form's."""

from __future__ import annotations

import datetime
from typing import cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xieyu.core.forms import field_messages

from .models import Category
from .services import BODY_CHARS, NOTE_CHARS, SERIES_CHARS, SUMMARY_CHARS, TITLE_CHARS, ArticleFields


class ArticleForm(forms.Form):
    desk = forms.ChoiceField(label=_("Published in"), required=False)
    title = forms.CharField(label=_("title"), max_length=TITLE_CHARS)
    category = forms.ChoiceField(label=_("category"), choices=Category.choices)
    summary = forms.CharField(label=_("summary"), max_length=SUMMARY_CHARS, required=False,
                              widget=forms.Textarea(attrs={"rows": 2}),
                              help_text=_("One or two sentences shown in the list and in a shared link."))  # fmt: skip
    body = forms.CharField(label=_("content"), max_length=BODY_CHARS * 2,
                           widget=forms.Textarea(attrs={"rows": 16, "data-rich-text": ""}),
                           help_text=_("Paste from Word or WPS as you like: styles, scripts and frames are removed "
                                       "when it is saved."))  # fmt: skip
    county_wide = forms.BooleanField(label=_("Put it forward for the county column"), required=False,
                                     help_text=_("After your school's review the county publishes it for every "
                                                 "family of the county."))  # fmt: skip
    is_public = forms.BooleanField(label=_("Public: readable without login (and shareable in WeChat)"),
                                   required=False)  # fmt: skip
    video_url = forms.CharField(label=_("video link"), max_length=200, required=False,
                                help_text=_("A web address of the video (https://…), or upload a file below."))
    series = forms.CharField(label=_("series"), max_length=SERIES_CHARS, required=False,
                             help_text=_("Articles with the same series name are read in order, e.g. "
                                         "“减什么、为什么减、如何减”."))  # fmt: skip
    series_order = forms.IntegerField(label=_("Part"), min_value=0, max_value=999, required=False, initial=0)
    cover = forms.FileField(label=_("cover picture"), required=False)
    video = forms.FileField(label=_("video file"), required=False, help_text=_("MP4, at most 200 MB."))
    video_poster = forms.FileField(label=_("video poster"), required=False)

    def __init__(self, *args, desks=None, school_desk: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if desks and len(desks) > 1:
            cast(forms.ChoiceField, self.fields["desk"]).choices = [(d.key, d.label) for d in desks]
            self.fields["desk"].required = True
        else:
            del self.fields["desk"]
        if not school_desk:
            del self.fields["county_wide"]
        field_messages(self, {
            "title": _("Give the article a title (at most %(n)d characters).") % {"n": TITLE_CHARS},
            "category": _("Choose the article's category."),
            "summary": _("The summary is too long: at most %(n)d characters.") % {"n": SUMMARY_CHARS},
            "body": _("Write the article's content."),
            "series_order": _("The part number in the series must be between 0 and 999."),
            "desk": _("Choose the column the article is for."),
        })  # fmt: skip

    @staticmethod
    def initial_of(article) -> dict:
        return {k: getattr(article, k) for k in ("title", "category", "summary", "body", "county_wide", "is_public",
                                                 "video_url", "series", "series_order")}  # fmt: skip

    def fields_value(self) -> ArticleFields:
        d = self.cleaned_data
        return ArticleFields(title=d["title"], category=d["category"], body=d["body"], summary=d.get("summary") or "",
                             county_wide=bool(d.get("county_wide")), is_public=bool(d.get("is_public")),
                             video_url=d.get("video_url") or "", series=d.get("series") or "",
                             series_order=d.get("series_order") or 0)  # fmt: skip


class ImportForm(forms.Form):
    desk = forms.ChoiceField(label=_("Published in"), required=False)
    file = forms.FileField(label=_("The document"),
                           help_text=_("In Word or WPS: File → Save as → Web page (.htm); or a .txt file."))
    category = forms.ChoiceField(label=_("category"), choices=Category.choices)
    title = forms.CharField(label=_("title"), max_length=TITLE_CHARS, required=False,
                            help_text=_("Leave empty to take the document's own title."))  # fmt: skip

    def __init__(self, *args, desks=None, **kwargs):
        super().__init__(*args, **kwargs)
        if desks and len(desks) > 1:
            cast(forms.ChoiceField, self.fields["desk"]).choices = [(d.key, d.label) for d in desks]
            self.fields["desk"].required = True
        else:
            del self.fields["desk"]
        field_messages(self, {"file": _("Choose the document to import."),
                              "category": _("Choose the article's category."),
                              "title": _("Give the article a title (at most %(n)d characters).") % {"n": TITLE_CHARS},
                              "desk": _("Choose the column the article is for.")})  # fmt: skip


class DecisionForm(forms.Form):
    """A reviewer's or publisher's decision."""

    decision = forms.ChoiceField(label=_("Decision"), widget=forms.RadioSelect,
                                 choices=[("approve", _("Approve")), ("return", _("Return to the author"))])
    note = forms.CharField(label=_("Note"), max_length=NOTE_CHARS, required=False,
                           widget=forms.Textarea(attrs={"rows": 2}),
                           help_text=_("Required when you return it: say what should change."))  # fmt: skip
    publish_at = forms.DateTimeField(label=_("Publish at"), required=False,
                                     input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
                                     widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
                                     help_text=_("Leave empty to publish at once."))  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field_messages(self, {"decision": _("Choose whether to approve or return it."),
                              "note": _("The note is too long: at most %(n)d characters.") % {"n": NOTE_CHARS},
                              "publish_at": _("Give the publishing time as year-month-day hour:minute.")})

    def clean_publish_at(self) -> datetime.datetime | None:
        value = self.cleaned_data.get("publish_at")
        if value is not None and timezone.is_naive(value):
            value = timezone.make_aware(value)
        return value


class RetractForm(forms.Form):
    note = forms.CharField(label=_("why it is retracted"), max_length=NOTE_CHARS,
                           widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field_messages(self, {"note": _("Say why the article is retracted (at most %(n)d characters).")
                              % {"n": NOTE_CHARS}})  # fmt: skip


class UploadForm(forms.Form):
    file = forms.FileField(label=_("File"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field_messages(self, {"file": _("Choose a file to upload.")})
