"""The error contract on pages: whichever layer notices it (a view, a service, a
selector), a refused permission is a 403 and an object out of reach is a 404."""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from .exceptions import NotFound, PermissionRefused


class DomainErrorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        # Raised again as Django's own exceptions, so the site's 403/404 pages answer.
        if isinstance(exception, PermissionRefused):
            raise PermissionDenied(str(exception.message)) from exception
        if isinstance(exception, NotFound):
            raise Http404(str(exception.message)) from exception
        return None
