"""A real Celery worker on the Redis server the harness starts runs a real task."""

import os
import subprocess
import sys

import pytest
from celery import Celery
from django.conf import settings
from django.db import connection

from shops.factories import CreatorFactory
from tests.conftest import require_service

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def _test_database_url() -> str:
    db = connection.settings_dict
    if connection.vendor != "postgresql":
        return f"sqlite:///{db['NAME']}"
    return f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


@pytest.fixture
def redis_url():
    url = os.environ.get("XIAODIAN_TEST_REDIS_URL")
    require_service(url is not None, "the harness's Redis server (XIAODIAN_TEST_REDIS_URL)")
    return url


@pytest.fixture
def worker(redis_url):
    env = {**os.environ, "CELERY_BROKER_URL": redis_url, "DATABASE_URL": _test_database_url()}
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "--pool=solo",
            "--loglevel=WARNING",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
        ],
        cwd=settings.BASE_DIR,
        env=env,
    )
    yield process
    process.terminate()
    process.wait(timeout=20)


def test_worker_runs_a_task_and_its_result_comes_back(redis_url, worker):
    # given: a creator below the threshold, committed for the worker to see
    creator = CreatorFactory(followers=12)
    # Not set as current: later tests keep the project app (inline tasks).
    client = Celery(broker=redis_url, backend=redis_url, set_as_current=False)
    # when
    result = client.send_task("shops.tasks.creator_check_eligibility_task", args=[creator.pk])
    # then
    assert result.get(timeout=60) == {"eligible": False, "unmet": ["粉丝数需达到 1,000，当前 12。"]}
    creator.refresh_from_db()
    assert creator.eligibility_checked_at is not None
