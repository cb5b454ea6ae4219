"""Roster import and export pages. (Being built.)"""


def roster_start(request):
    raise NotImplementedError


def roster_upload(request, pk):
    raise NotImplementedError


def roster_template(request, pk):
    raise NotImplementedError


def roster_export(request, pk):
    raise NotImplementedError


def import_detail(request, pk):
    raise NotImplementedError


def import_commit(request, pk):
    raise NotImplementedError
