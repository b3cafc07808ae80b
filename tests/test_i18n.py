import subprocess

from django.conf import settings
from django.test import Client
from django.utils import translation

PO_FILE = settings.BASE_DIR / "locale" / "en" / "LC_MESSAGES" / "django.po"


def test_english_catalogue_translates_every_message():
    # when
    result = subprocess.run(
        ["msgfmt", "--check", "--statistics", "-o", "/dev/null", str(PO_FILE)],
        capture_output=True,
        text=True,
    )
    # then
    assert result.returncode == 0, result.stderr
    assert "untranslated" not in result.stderr and "fuzzy" not in result.stderr, result.stderr


def test_english_is_served_to_an_english_browser():
    # when
    page = Client(headers={"accept-language": "en"}).get("/login/").content.decode()
    # then
    assert "Log in" in page
    with translation.override("en"):
        assert translation.gettext("首页") == "Home"


def test_chinese_is_the_default():
    page = Client().get("/login/").content.decode()
    assert "登录" in page
