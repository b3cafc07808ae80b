"""Security headers on every response, and how uploads are served without object storage."""

import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.test import override_settings
from django.urls import reverse

from core.csp import HEADER

pytestmark = pytest.mark.django_db

PRODUCTION_ENV = {
    "SECRET_KEY": "k" * 30 + "-a-real-production-secret-0123456789",
    "ALLOWED_HOSTS": "shop.example.com",
    "HTTPS": "1",
    "SECURE_PROXY_SSL_HEADER": "X-Forwarded-Proto: https",
}


def _run(*args, **env):
    # The test run's own switches (conftest's async flag for Playwright) stay out.
    dropped = {"DEBUG", "SECRET_KEY", "HTTPS", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    clean = {k: v for k, v in os.environ.items() if k not in dropped}
    return subprocess.run(
        [sys.executable, *args],
        env={**clean, **env},
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=600,
    )


@pytest.mark.parametrize("url", ["/login/", "/api/docs/", "/no-such-page/"])
def test_every_response_carries_the_content_security_policy(client, url):
    # when
    response = client.get(url)
    # then: scripts and styles only from this site
    policy = response.headers[HEADER]
    assert "script-src 'self';" in policy
    assert "style-src 'self';" in policy
    assert "frame-ancestors 'none'" in policy


def test_api_docs_load_their_start_up_script_as_a_file(client):
    # when
    page = client.get("/api/docs/").content.decode()
    script = client.get("/api/docs/?script=")
    # then
    assert "<script>" not in page and "<style>" not in page
    assert script.status_code == 200
    assert script["Content-Type"].startswith("application/javascript")


def test_check_deploy_is_clean_under_production_settings():
    # when: the deploy checks (drf-spectacular's schema warnings among them) with a
    # production-like environment served over HTTPS
    result = _run("manage.py", "check", "--deploy", "--fail-level", "WARNING", **PRODUCTION_ENV)
    # then
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_https_settings_come_from_the_environment():
    # when
    result = _run(
        "-c",
        "from config import settings as s; print(s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS,"
        " s.SECURE_PROXY_SSL_HEADER)",
        **PRODUCTION_ENV,
    )
    # then
    assert result.stdout.split(maxsplit=2) == [
        "True",
        "31536000",
        "('HTTP_X_FORWARDED_PROTO', 'https')\n",
    ]


def test_plain_http_is_not_redirected_without_https_configured():
    # when
    result = _run(
        "-c",
        "from config import settings as s; print(s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS,"
        " hasattr(s, 'SECURE_PROXY_SSL_HEADER'))",
        SECRET_KEY=PRODUCTION_ENV["SECRET_KEY"],
    )
    # then: a proxy header is never trusted unless named
    assert result.stdout.split() == ["False", "0", "False"]


def test_media_goes_to_the_bucket_when_one_is_configured():
    # when
    result = _run(
        "-c",
        "from config import settings as s; print(s.STORAGES['default']['BACKEND'],"
        " s.CONTENT_SECURITY_POLICY['img-src'][-1])",
        SECRET_KEY=PRODUCTION_ENV["SECRET_KEY"],
        MEDIA_S3_BUCKET="xiaodian-media",
        MEDIA_S3_CUSTOM_DOMAIN="img.example.com",
    )
    # then: stored by django-storages, and pages may show images from its domain
    assert result.stdout.split() == ["storages.backends.s3.S3Storage", "https://img.example.com"]


@override_settings(SECURE_SSL_REDIRECT=True, SECURE_HSTS_SECONDS=3600)
def test_https_redirects_and_sends_hsts(client):
    # when
    plain = client.get("/login/")
    secure = client.get("/login/", secure=True)
    # then
    assert plain.status_code == 301 and plain["Location"].startswith("https://")
    assert secure["Strict-Transport-Security"].startswith("max-age=3600")


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    (tmp_path / "products").mkdir()
    return tmp_path


@override_settings(DEBUG=False)
def test_uploaded_images_are_served_with_debug_off(client, media_root):
    # given
    (media_root / "products" / "a.png").write_bytes(b"\x89PNG\r\n\x1a\nfake")
    # when
    response = client.get(reverse("media", args=["products/a.png"]))
    # then: an image, never run as a page
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert b"".join(response.streaming_content).startswith(b"\x89PNG")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response[HEADER] == "default-src 'none'; sandbox"


def test_an_unchanged_image_answers_not_modified(client, media_root):
    # given
    (media_root / "products" / "a.png").write_bytes(b"\x89PNG\r\n\x1a\nfake")
    last_modified = client.get("/media/products/a.png")["Last-Modified"]
    # when
    response = client.get("/media/products/a.png", headers={"If-Modified-Since": last_modified})
    # then
    assert response.status_code == 304


@pytest.mark.parametrize(
    "path", ["products/page.html", "products/x.svg", "products/missing.png", "../secret.png"]
)
def test_only_existing_images_inside_media_root_are_served(client, media_root, path):
    # given: files that are not images, and one outside MEDIA_ROOT
    (media_root / "products" / "page.html").write_text("<script>alert(1)</script>")
    (media_root / "products" / "x.svg").write_text("<svg onload='alert(1)'/>")
    (media_root.parent / "secret.png").write_bytes(b"\x89PNG")
    # when
    response = client.get(f"/media/{path}")
    # then
    assert response.status_code == 404
