from django.contrib import admin

from .models import SchedulerLease


@admin.register(SchedulerLease)
class SchedulerLeaseAdmin(admin.ModelAdmin):
    list_display = ["job", "holder", "run_after", "expires_at", "last_run_at", "runs"]
    readonly_fields = ["job", "holder", "run_after", "expires_at", "claimed_at", "last_run_at", "runs"]
