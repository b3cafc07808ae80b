"""What every console view does with a service: run it, show its refusal, go back."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.functional import Promise
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

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


def bound_form(request, form_class, **kwargs):
    """`form_class` bound to the request's POST (and files) on a POST, else unbound."""
    if request.method == "POST":
        return form_class(request.POST, request.FILES, **kwargs)
    return form_class(**kwargs)


def run_form(request, form, call, *, invalid=None, **options) -> tuple[bool, object]:
    """On a POST with a valid `form`, `run_service` of `call(form.cleaned_data)`;
    (False, None) on a GET or an invalid form.

    A refusal goes on the form (on `field`, else the whole form), for the page to show
    it again. A button's form, which no page shows again, passes `invalid` instead: the
    text flashed when the form is invalid; a refusal is then flashed too. `options` are
    `run_service`'s (`success`, `field`, `on_error`)."""
    if request.method != "POST":
        return False, None
    if not form.is_valid():
        if invalid is not None:
            messages.error(request, invalid)
        return False, None
    if invalid is None:
        options["form"] = form
    return run_service(request, lambda: call(form.cleaned_data), **options)


def submit(request, form, call, *, to, **options):
    """`run_form`, then, when the call ran, a redirect to `to` (what `redirect` takes, or
    a function of the call's result giving it); None when it did not run, for the view
    to show its page (with the form's errors)."""
    ran, result = run_form(request, form, call, **options)
    if not ran:
        return None
    return redirect(to(result) if callable(to) else to)


def form_page(request, form, call, *, template: str, context: dict, **options):
    """A page with a form that runs a service: `submit`'s redirect when the call ran,
    else `template` showing `form` (with its errors) and `context`."""
    done = submit(request, form, call, **options)
    return done or render(request, template, {"form": form, **context})


def create_once(request, form, create, *, shown, **options) -> tuple[object, dict]:
    """A form creating something shown on this response only (a new secret or token):
    after `run_form` ran `create`, a fresh form and `shown(its result)` for the page;
    else `form` (with its errors) and {}. `options` are `run_form`'s."""
    ran, result = run_form(request, form, create, **options)
    if not ran:
        return form, {}
    return type(form)(), shown(result)


def upload_page(request, form, start, *, to, jobs, size: int, template: str, context: dict):
    """A file upload that starts a job (`start(form.cleaned_data)`, its refusal on the
    file field), then to `to` (a function of the job giving its page); else `template`
    with the form and the `?page=` page of the past `jobs`, 400 when the form has errors."""
    done = submit(request, form, start, field="file", to=to)
    if done:
        return done
    return render_form(
        request, template, form, {"page": numbered_page(request, jobs, size), **context}
    )


def render_form(request, template: str, form, context: dict):
    """`template` with `form` and `context`, answering 400 when the form has errors (an
    invalid or refused POST, shown again, is not a success)."""
    status = 400 if form.errors else 200
    return render(request, template, {"form": form, **context}, status=status)


def button(service, *, success, to: str, keep: tuple[str, ...] = ()):
    """A POST button's view: `service(context=…, **the URL's ids)` run by `run_service`,
    `success` flashed, then to the URL named `to` (given the ids named in `keep`)."""

    @require_POST
    def view(request, **ids):
        run_service(request, lambda: service(context=request.console, **ids), success=success)
        return redirect(to, **{name: ids[name] for name in keep})

    return view


def redirect_back(request, fallback: str):
    """To the page the form came from (its `next` field, same site only), else `fallback`."""
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect(fallback)


def numbered_page(request, rows, size: int):
    """The `?page=` page of `rows`, `size` rows a page (a bad number: the first or last)."""
    return Paginator(rows, size).get_page(request.GET.get("page"))


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
