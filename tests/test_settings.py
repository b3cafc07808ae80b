import os
import subprocess
import sys

from django.conf import settings

IMPORT_SETTINGS = "import config.settings"


def _import_settings_with(**env):
    clean = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG"}}
    return subprocess.run(
        [sys.executable, "-c", IMPORT_SETTINGS],
        env={**clean, **env},
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
    )


def test_production_refuses_the_default_secret_key():
    result = _import_settings_with()
    assert result.returncode != 0
    assert "SECRET_KEY is the built-in development key" in result.stderr


def test_production_starts_with_a_real_secret_key():
    assert _import_settings_with(SECRET_KEY="a-real-secret").returncode == 0


def test_debug_allows_the_default_key():
    assert _import_settings_with(DEBUG="1").returncode == 0


def test_locale_and_time_zone():
    assert (settings.LANGUAGE_CODE, settings.TIME_ZONE, settings.USE_TZ) == (
        "zh-hans",
        "Asia/Shanghai",
        True,
    )
