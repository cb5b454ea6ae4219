from django.contrib import admin

from .models import DeadlinePolicy, SchedulerLease

# County days are entered on /deadlines/calendar/ (the service recomputes open deadlines), never here.


@admin.register(DeadlinePolicy)
class DeadlinePolicyAdmin(admin.ModelAdmin):
    list_display = ["name", "first_response_amount", "first_response_unit", "resolution_amount", "resolution_unit"]


@admin.register(SchedulerLease)
class SchedulerLeaseAdmin(admin.ModelAdmin):
    list_display = ["job", "holder", "run_after", "expires_at", "last_run_at", "runs"]
    readonly_fields = ["job", "holder", "run_after", "expires_at", "claimed_at", "last_run_at", "runs"]
