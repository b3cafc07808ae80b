"""NUL bytes are refused at the door. PostgreSQL text cannot hold one (psycopg raises,
the page answers 500), and no merchant, buyer or carrier means to send one, so every
request — path, query string, form fields, uploaded file names, JSON bodies — is
checked once here instead of in each field of each form, serializer and webhook."""

import json

from django.http import HttpResponse, JsonResponse
from django.utils.translation import gettext as _

NUL = "\x00"


def nul_field(data, path: str = "") -> str | None:
    """The dotted path of the first key or string holding a NUL in parsed JSON data
    ("events.0.description"), "" for the top level; None when there is none."""
    if isinstance(data, str):
        return path if NUL in data else None
    if isinstance(data, dict):
        items = data.items()
    elif isinstance(data, list):
        items = enumerate(data)
    else:
        return None
    for key, value in items:
        name = f"{path}.{key}" if path else str(key)
        if NUL in str(key):
            return name
        found = nul_field(value, name)
        if found is not None:
            return found
    return None


def _form_field(request, *, raw_body: bool) -> str | None:
    queries = [request.GET]
    # Parsing a multipart body consumes it: views that verify a signature over the raw
    # body (csrf-exempt webhooks; DRF checks its own fields) must still be able to read it.
    if not (raw_body and request.content_type == "multipart/form-data"):
        queries.append(request.POST)
    for query in queries:
        for key, values in query.lists():
            if NUL in key or any(NUL in value for value in values):
                return key
    if len(queries) == 2:
        for key, files in request.FILES.lists():
            if any(NUL in (upload.name or "") for upload in files):
                return key
    return None


def _json_field(request) -> str | None:
    if request.content_type != "application/json" or not request.body:
        return None
    # Escaped (\u0000) or raw: either way the body says it, so most bodies stop here.
    if b"\\u0000" not in request.body and b"\x00" not in request.body:
        return None
    try:
        data = json.loads(request.body)
    except (ValueError, UnicodeDecodeError):
        return None  # the view answers a body it cannot read
    return nul_field(data)


def find_nul(request, *, raw_body: bool = False) -> str | None:
    """Where the request carries a NUL: "path", a field name, or None."""
    if NUL in request.path:
        return "path"
    found = _form_field(request, raw_body=raw_body)
    return found if found is not None else _json_field(request)


class RejectNulMiddleware:
    """400 naming the field, before any view reads the request (nothing is written).
    API and webhook callers get the API's error body, pages a plain message."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        field = find_nul(request, raw_body=getattr(view_func, "csrf_exempt", False))
        if field is None:
            return None
        message = _("“%(field)s”含有空字符（NUL），请删除后重试。") % {"field": field or "body"}
        if request.path.startswith("/api/") or request.content_type == "application/json":
            return JsonResponse(
                {"code": "invalid", "message": message, "fields": {field or "body": [message]}},
                status=400,
            )
        return HttpResponse(message, status=400, content_type="text/plain; charset=utf-8")
