"""Helpers shared by the views of the four subdomains: a page of a list, a form's errors as one message, the URL of a
question."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.urls import reverse

PAGE_SIZE = 20


def page_of(request, items, per_page: int = PAGE_SIZE):
    return Paginator(items, per_page).get_page(request.GET.get("page"))


def form_errors(form) -> str:
    return " ".join(e for errs in form.errors.values() for e in errs)


def question_url(question) -> str:
    return reverse("questions:detail", args=[question.pk])
