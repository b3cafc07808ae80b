"""Uploaded images served from MEDIA_ROOT, for installs without object storage.

With `MEDIA_S3_BUCKET` set, uploads go to the bucket (django-storages) and its own URLs
serve them; otherwise this view does, in development and production alike. It serves
only image types products accept, and tells the browser never to treat a file as a
page (nosniff, a sandboxing CSP), so an upload can never run script on this site.
"""

import mimetypes
from pathlib import Path

from django.conf import settings
from django.core.exceptions import SuspiciousFileOperation
from django.http import FileResponse, Http404, HttpResponseNotModified
from django.utils._os import safe_join
from django.utils.http import http_date
from django.views.decorators.http import require_safe
from django.views.static import was_modified_since

SERVED_TYPES = {"image/jpeg", "image/png", "image/webp", "image/gif"}
MAX_AGE = 7 * 24 * 60 * 60  # uploads get a new name each time, so they can be cached


@require_safe
def media(request, path):
    try:
        full_path = Path(safe_join(settings.MEDIA_ROOT, path))
    except SuspiciousFileOperation as error:
        raise Http404(path) from error
    content_type, encoding = mimetypes.guess_type(full_path.name)
    if content_type not in SERVED_TYPES or encoding or not full_path.is_file():
        raise Http404(path)
    stat = full_path.stat()
    if not was_modified_since(request.headers.get("If-Modified-Since"), stat.st_mtime):
        return HttpResponseNotModified()
    response = FileResponse(full_path.open("rb"), content_type=content_type)
    response["Last-Modified"] = http_date(stat.st_mtime)
    response["Cache-Control"] = f"public, max-age={MAX_AGE}"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
