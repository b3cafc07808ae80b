"""What every console view does with a service: run it, show its refusal, go back."""

from django.contrib import messages
from django.shortcuts import redirect
from django.utils.functional import Promise
from django.utils.http import url_has_allowed_host_and_scheme

from .exceptions import DomainError, NotFound, PermissionRefused


def run_service(
    request, call, *, success=None, form=None, field=None, on_error=None
) -> tuple[bool, object]:
    """Run `call()` (a service call) for a page; returns (ran, its result).

    A DomainError becomes an error on `form` (on `field`, else on the whole form) or,
    without a form, a flash message; a page that shows refusals its own way passes
    `on_error` (called with the error) instead. PermissionRefused and NotFound pass
    through: the middleware answers them 403 and 404. `success` (a text, or a function
    of the result giving one) is flashed when the call ran."""
    try:
        result = call()
    except (PermissionRefused, NotFound):
        raise
    except DomainError as exc:
        if on_error is not None:
            on_error(exc)
        elif form is not None:
            form.add_error(field, exc.message)
        else:
            messages.error(request, exc.message)
        return False, None
    if success is not None:
        text = (
            success(result) if callable(success) and not isinstance(success, Promise) else success
        )
        messages.success(request, text)
    return True, result


def redirect_back(request, fallback: str):
    """To the page the form came from (its `next` field, same site only), else `fallback`."""
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect(fallback)


def query_with(request, **changes) -> str:
    """The current query string with `changes` applied (None removes a key)."""
    params = request.GET.copy()
    for key, value in changes.items():
        params.pop(key, None)
        if value is not None:
            params[key] = value
    return params.urlencode()


def cursor_links(request, page) -> dict:
    """`next_query` / `previous_query` of a keyset page for `_cursor_pager.html` ("": none)."""
    return {
        "next_query": query_with(request, cursor=page.next_cursor) if page.next_cursor else "",
        "previous_query": (
            query_with(request, cursor=page.previous_cursor) if page.previous_cursor else ""
        ),
    }
