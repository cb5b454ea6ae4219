from django.contrib import admin

from .models import ExpertSkill, UrgentTerm


@admin.register(UrgentTerm)
class UrgentTermAdmin(admin.ModelAdmin):
    list_display = ("term", "is_active", "created_at")
    list_filter = ("is_active",)
    search_fields = ("term",)


@admin.register(ExpertSkill)
class ExpertSkillAdmin(admin.ModelAdmin):
    list_display = ("user", "category")
    list_filter = ("category",)
