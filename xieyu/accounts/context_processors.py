from xieyu.core.navigation import nav_items

from .roles import active_role, roles_of


def navigation(request):
    """The acting role, the roles one may switch to, navigation, care mode."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"care_mode": request.COOKIES.get("care_mode") == "1"}
    acting = active_role(request)
    return {
        "acting_role": acting,
        "available_roles": roles_of(user),
        "nav_items": nav_items(acting),
        "care_mode": user.care_mode,
    }
