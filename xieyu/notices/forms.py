"""The compose form: what to say, how guardians answer, when, and to whom (only what the sender may reach)."""

from __future__ import annotations

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from xieyu.accounts.models import Role
from xieyu.directory.models import School

from . import access
from .audience import Audience, role_key
from .models import Notice


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault(
            "widget", MultipleFileInput(attrs={"accept": "image/*,.pdf,.doc,.docx,.xls,.xlsx,.ppt,.pptx"})
        )
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if not data:
            return []
        files = data if isinstance(data, list | tuple) else [data]
        return [super(MultipleFileField, self).clean(f, initial) for f in files]


class ClassChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.school.name} {obj}"


class GradeChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.school.name} {obj.name}"


class StudentChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.school_class} {obj.name}"


class NoticeForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("Title"), max_length=60)
    body = forms.CharField(label=gettext_lazy("Content"), max_length=5000, widget=forms.Textarea(attrs={"rows": 6}))
    attachments = MultipleFileField(
        label=gettext_lazy("Images and files"),
        required=False,
        help_text=gettext_lazy("Images up to 5 MB; PDF, Word, Excel or PowerPoint up to 10 MB; at most 9."),
    )
    receipt_mode = forms.ChoiceField(
        label=gettext_lazy("Guardians answer by"),
        choices=Notice.ReceiptMode.choices,
        initial=Notice.ReceiptMode.READ,
        widget=forms.RadioSelect,
    )
    choices = forms.CharField(
        label=gettext_lazy("Options (one per line)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    send_at = forms.DateTimeField(
        label=gettext_lazy("Send at (leave empty to send now)"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )
    sms_after_hours = forms.IntegerField(
        label=gettext_lazy("Text unread guardians after (hours)"),
        required=False,
        min_value=1,
        max_value=168,
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        roles = {m.role for m in access.sender_memberships(user)}
        self.is_county = Role.COUNTY_ADMIN in roles
        self.is_school = Role.SCHOOL_ADMIN in roles
        if self.is_county:
            self.fields["whole_county"] = forms.BooleanField(label=gettext_lazy("The whole county"), required=False)
            self.fields["school_kinds"] = forms.MultipleChoiceField(
                label=gettext_lazy("Types of school"),
                choices=School.Kind.choices,
                required=False,
                widget=forms.CheckboxSelectMultiple,
            )
        if self.is_county or self.is_school:
            self.fields["schools"] = forms.ModelMultipleChoiceField(
                label=gettext_lazy("Schools"),
                queryset=access.targetable_schools(user).order_by("kind", "name"),
                required=False,
                widget=forms.CheckboxSelectMultiple if not self.is_county else forms.SelectMultiple,
            )
        if self.is_school and not self.is_county:
            self.fields["grades"] = GradeChoiceField(
                label=gettext_lazy("Grades"),
                queryset=access.targetable_grades(user),
                required=False,
                widget=forms.CheckboxSelectMultiple,
            )
        if not self.is_county:
            self.fields["classes"] = ClassChoiceField(
                label=gettext_lazy("Classes"),
                queryset=access.targetable_classes(user),
                required=False,
                widget=forms.CheckboxSelectMultiple,
                initial=access.own_classes(user),  # a head teacher writes to her own class most of the time
            )
        roles_choices = [
            (role_key(kind, unit_id, role), f"{unit_name} · {Role(role).label}")
            for kind, role, unit_id, unit_name in access.targetable_roles(user)
        ]
        if roles_choices:
            self.fields["roles"] = forms.MultipleChoiceField(
                label=gettext_lazy("Staff by role"),
                choices=roles_choices,
                required=False,
                widget=forms.CheckboxSelectMultiple,
            )
        if self.is_county or self.is_school:
            self.fields["student_numbers"] = forms.CharField(
                label=gettext_lazy("Guardians of these students (student numbers, one per line)"),
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
        else:
            self.fields["students"] = StudentChoiceField(
                label=gettext_lazy("Or only the guardians of these students"),
                queryset=access.targetable_students(user),
                required=False,
                widget=forms.CheckboxSelectMultiple,
            )

    def clean_send_at(self):
        send_at = self.cleaned_data.get("send_at")
        if send_at and send_at < timezone.now() - datetime.timedelta(minutes=5):
            raise forms.ValidationError(_("The sending time has already passed."))
        return send_at

    def clean_student_numbers(self):
        raw = self.cleaned_data.get("student_numbers") or ""
        numbers = sorted({n.strip() for n in raw.replace(",", "\n").replace(",", "\n").splitlines() if n.strip()})
        if not numbers:
            return []
        found = dict(
            access.targetable_students(self.user).filter(student_number__in=numbers).values_list("student_number", "pk")
        )
        unknown = [n for n in numbers if n not in found]
        if unknown:
            raise forms.ValidationError(
                _("No student of yours has the student number %(numbers)s.") % {"numbers": "、".join(unknown[:5])}
            )
        return list(found.values())

    def audience(self) -> Audience:
        d = self.cleaned_data
        students = [s.pk for s in d.get("students") or []] + list(d.get("student_numbers") or [])
        return Audience(
            counties=[
                m.county_id
                for m in access.sender_memberships(self.user)
                if m.role == Role.COUNTY_ADMIN and m.county_id is not None
            ]
            if d.get("whole_county")
            else [],
            school_kinds=list(d.get("school_kinds") or []),
            schools=[s.pk for s in d.get("schools") or []],
            grades=[g.pk for g in d.get("grades") or []],
            classes=[c.pk for c in d.get("classes") or []],
            students=students,
            roles=list(d.get("roles") or []),
        )

    def choice_list(self) -> list[str]:
        return [line.strip() for line in (self.cleaned_data.get("choices") or "").splitlines() if line.strip()]

    def audience_fields(self):
        names = ("whole_county", "school_kinds", "schools", "grades", "classes", "roles", "students", "student_numbers")
        return [self[n] for n in names if n in self.fields]

    def message_fields(self):
        return [self[n] for n in ("title", "body", "attachments")]

    def receipt_fields(self):
        return [self[n] for n in ("receipt_mode", "choices")]

    def timing_fields(self):
        return [self[n] for n in ("send_at", "sms_after_hours")]


class RetractForm(forms.Form):
    note = forms.CharField(label=gettext_lazy("Why is it withdrawn?"), max_length=200)
