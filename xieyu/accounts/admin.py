"""Django admin, for superusers only: the platform's operators, not school or county staff.

Staff work through the platform's own pages, which check roles and write audit rows; the admin is the
operators' last resort. The default site is narrowed here (has_permission) so that is_staff alone opens
nothing, and its login form authenticates by mobile number so django-axes counts failures per number.
"""

from __future__ import annotations

import types

from django import forms
from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import authenticate
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import BaseUserCreationForm, UserChangeForm
from django.utils.translation import gettext_lazy as _

from .models import ApiToken, Membership, User


def _superusers_only(self, request) -> bool:
    return request.user.is_active and request.user.is_superuser


# Narrow the default site in place (a site subclass would need its own AdminConfig).
admin.site.has_permission = types.MethodType(_superusers_only, admin.site)  # type: ignore[method-assign]


class PhoneAdminAuthenticationForm(AdminAuthenticationForm):
    """The admin's login form, passing the number as `phone` (the name django-axes counts failures by)."""

    def clean(self):
        phone, password = self.cleaned_data.get("username"), self.cleaned_data.get("password")
        if phone is not None and password:
            self.user_cache = authenticate(self.request, phone=phone, password=password)
            if self.user_cache is None:
                raise self.get_invalid_login_error()
            self.confirm_login_allowed(self.user_cache)
        return self.cleaned_data

    def confirm_login_allowed(self, user) -> None:
        super().confirm_login_allowed(user)
        if not user.is_superuser:
            raise forms.ValidationError(
                self.error_messages["invalid_login"],
                code="invalid_login",
                params={"username": self.username_field.verbose_name},
            )


admin.site.login_form = PhoneAdminAuthenticationForm


class UserCreationForm(BaseUserCreationForm):
    class Meta:
        model = User
        fields = ("phone", "name")


class UserEditForm(UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    raw_id_fields = ("county", "school", "school_class", "partner_agency")


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    form = UserEditForm
    add_form = UserCreationForm
    list_display = ("name", "phone", "is_active", "is_staff", "is_superuser", "date_joined")
    list_filter = ("is_active", "is_staff", "is_superuser")
    search_fields = ("name", "phone")
    ordering = ("-date_joined",)
    filter_horizontal = ("groups", "user_permissions")
    inlines = [MembershipInline]
    fieldsets = (
        (None, {"fields": ("phone", "name", "password")}),
        (_("Display"), {"fields": ("care_mode",)}),
        (_("Permissions"), {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")}),
        (_("Dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("phone", "name", "password1", "password2")}),)


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ("user", "role", "county", "school", "school_class", "partner_agency", "is_active", "created_at")
    list_filter = ("role", "is_active")
    search_fields = ("user__name", "user__phone")
    raw_id_fields = ("user", "county", "school", "school_class", "partner_agency")
    list_select_related = ("user", "county", "school", "school_class__grade", "partner_agency")


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Tokens can be seen and deleted here, never created (the plain token is only shown to its owner)."""

    list_display = ("name", "user", "created_at", "last_used_at")
    search_fields = ("name", "user__name", "user__phone")
    readonly_fields = ("user", "name", "digest", "created_at", "last_used_at")
    list_select_related = ("user",)

    def has_add_permission(self, request) -> bool:
        return False
