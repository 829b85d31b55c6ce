"""Content-Security-Policy for the public site and the admin (django-csp).

The public site needs no inline script (its JavaScript is in static files; JSON-LD is data,
which a policy does not block), so its policy allows scripts from the site alone. The Wagtail
admin is another matter: Wagtail 7.4's editor and its third-party widgets still write inline
styles and a few inline scripts, so /admin/ gets a policy of its own that allows those (it
is a signed-in area, behind CSRF protection and the sign-in throttle) while still refusing
plugins, foreign scripts, framing by other sites and posting forms elsewhere.
"""

from django.conf import settings

from csp.middleware import CSPMiddleware, PolicyParts
from csp.utils import default_config


class SiteCSPMiddleware(CSPMiddleware):
    """django-csp's middleware, with CONTENT_SECURITY_POLICY_ADMIN under the admin's path."""

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only)
        if report_only or parts.config is not None or not self._is_admin(request):
            return parts
        admin = default_config(settings.CONTENT_SECURITY_POLICY_ADMIN["DIRECTIVES"])
        return PolicyParts(admin, parts.update, parts.replace, parts.nonce)

    @staticmethod
    def _is_admin(request):
        return request.path_info.startswith(settings.ADMIN_PATH_PREFIX)
