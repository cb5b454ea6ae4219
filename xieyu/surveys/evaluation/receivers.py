"""After the engine saves a submitted answer of a county's evaluation, compare it with the family's previous wave
(services.evaluation_response_checked: once per answer, so a second save changes nothing)."""

from __future__ import annotations

from django.db.models.signals import post_save


def response_saved(sender, instance, raw=False, **kwargs) -> None:
    if raw or instance.status != "submitted" or instance.total is None:
        return
    # A function-local import: this module loads with the models, before the services may be imported.
    from .services import evaluation_response_checked

    evaluation_response_checked(response=instance)


post_save.connect(response_saved, sender="surveys.Response", dispatch_uid="evaluation.response_saved")
