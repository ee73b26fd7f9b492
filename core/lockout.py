"""The page a locked-out sign-in gets (django-axes calls ``lockout_response``)."""

from django.conf import settings
from django.contrib import admin
from django.template.response import TemplateResponse


def lockout_response(request, original_response=None, credentials=None):
    """429 with the reason, how long the lock lasts and who can lift it, in the admin's look."""
    context = {
        **admin.site.each_context(request),
        "limit": settings.AXES_FAILURE_LIMIT,
        "minutes": settings.TRACKER_LOCKOUT_MINUTES,
        # Nobody is signed in: no menu of the admin's models beside the message.
        "is_nav_sidebar_enabled": False,
    }
    response = TemplateResponse(request, "admin/locked_out.html", context, status=429)
    response["Retry-After"] = str(settings.TRACKER_LOCKOUT_MINUTES * 60)
    return response.render()
