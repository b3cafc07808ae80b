"""Workers keep their database connection between tasks (a new PostgreSQL backend per
task costs more CPU than most tasks), yet drop one that broke or grew old, as requests do."""

import time

import pytest
from celery.signals import task_postrun
from django.conf import settings
from django.db import connection

from orders.tasks import order_accept_task

pytestmark = pytest.mark.django_db(transaction=True)


def _after_task(*, eager: bool) -> None:
    order_accept_task.push_request(is_eager=eager)
    try:
        task_postrun.send(sender=order_accept_task, task=order_accept_task)
    finally:
        order_accept_task.pop_request()


def test_a_worker_reuses_its_connection_for_the_next_task():
    # given: Celery told to reuse connections, and an open one
    assert settings.CELERY_DB_REUSE_MAX >= 100
    connection.ensure_connection()
    opened = connection.connection
    # when: a task ends on the worker
    _after_task(eager=False)
    # then
    assert connection.connection is opened


def test_a_connection_older_than_conn_max_age_is_dropped_after_a_task():
    # given
    connection.ensure_connection()
    connection.close_at = time.monotonic() - 1
    # when
    _after_task(eager=False)
    # then
    assert connection.connection is None


def test_an_eager_task_never_closes_its_callers_connection():
    # given: an old connection, and a task run inline (inside the caller's work)
    connection.ensure_connection()
    opened = connection.connection
    connection.close_at = time.monotonic() - 1
    # when
    _after_task(eager=True)
    # then
    assert connection.connection is opened
