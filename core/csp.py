"""Content-Security-Policy on every response.

Django 5.2 has no CSP of its own, and one fixed policy needs no nonces, so a small
middleware does it instead of a dependency. Pages load scripts and styles only from
this site (no inline `<script>`, no `on…=` handlers, no `style=` attributes: static/js
and static/css hold them); `CONTENT_SECURITY_POLICY` in settings is the policy.
"""

from django.conf import settings

HEADER = "Content-Security-Policy"


def policy_header(policy: dict[str, list[str]]) -> str:
    return "; ".join(" ".join([directive, *sources]) for directive, sources in policy.items())


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.header = policy_header(settings.CONTENT_SECURITY_POLICY)

    def __call__(self, request):
        response = self.get_response(request)
        # A view may answer with a stricter policy of its own (uploaded files do).
        response.headers.setdefault(HEADER, self.header)
        return response
