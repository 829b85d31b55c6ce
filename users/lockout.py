"""The page a locked-out sign-in gets (django-axes' AXES_LOCKOUT_CALLABLE)."""

from django.conf import settings
from django.shortcuts import render


def lockout_response(request, original_response=None, credentials=None):
    minutes = max(1, round(settings.AXES_COOLOFF_TIME.total_seconds() / 60))
    return render(
        request,
        "users/login_locked.html",
        {"lockout_minutes": minutes},
        status=settings.AXES_HTTP_RESPONSE_CODE,
    )
