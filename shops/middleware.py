from django.utils.functional import SimpleLazyObject

from .tenancy import context_for_request


class ConsoleContextMiddleware:
    """Attach `request.console`, resolved only when a view or template asks."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.console = SimpleLazyObject(lambda: context_for_request(request))
        return self.get_response(request)
