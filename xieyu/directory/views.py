from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from xieyu.accounts.roles import active_role


@login_required
def home(request):
    """One home page per acting role."""
    acting = active_role(request)
    return render(request, "directory/home_empty.html", {"acting": acting})


def class_roster(request, pk):
    raise NotImplementedError


def student_detail(request, pk):
    raise NotImplementedError


def school_overview(request, pk):
    raise NotImplementedError
