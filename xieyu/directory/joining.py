"""Guardians join a class with its join code or QR; head teachers confirm. (Being built.)"""


def join_start(request):
    raise NotImplementedError


def join_class(request, code):
    raise NotImplementedError


def class_qr(request, pk):
    raise NotImplementedError


def class_poster(request, pk):
    raise NotImplementedError


def join_requests(request):
    raise NotImplementedError


def join_decide(request, pk):
    raise NotImplementedError
