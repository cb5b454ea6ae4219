from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "xieyu.audit"
    label = "audit"
