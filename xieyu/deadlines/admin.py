from django.contrib import admin

from .models import DeadlinePolicy

# County days are entered on /deadlines/calendar/ (the service recomputes open deadlines), never here.


@admin.register(DeadlinePolicy)
class DeadlinePolicyAdmin(admin.ModelAdmin):
    list_display = ["name", "first_response_amount", "first_response_unit", "resolution_amount", "resolution_unit"]
