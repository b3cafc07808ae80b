from .navigation import sections_for


def console(request):
    """Sidebar and switcher for console pages; nothing for anonymous visitors."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not hasattr(request, "console"):
        return {}
    match = getattr(request, "resolver_match", None)
    context = request.console
    return {
        "console": context,
        "nav_sections": sections_for(context, match.view_name if match else None),
    }
