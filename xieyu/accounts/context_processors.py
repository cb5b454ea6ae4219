from xieyu.core.navigation import nav_groups

from .roles import active_role, roles_of


def navigation(request):
    """The acting role, the roles one may switch to, navigation (in view and under "更多"), care mode."""
    back = request.get_full_path()  # where the care-mode switch returns to (error pages say home)
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"care_mode": request.COOKIES.get("care_mode") == "1", "care_next": back}
    acting = active_role(request)
    primary, more = nav_groups(acting)
    return {
        "acting_role": acting,
        "available_roles": roles_of(user),
        "nav_items": primary + more,
        "nav_primary": primary,
        "nav_more": more,
        "care_mode": user.care_mode,
        "care_next": back,
    }
