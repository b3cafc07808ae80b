import pytest
from django.apps import apps
from django.core.management import call_command


def _row_counts():
    return {
        model._meta.label: model.objects.count()
        for model in apps.get_models()
        if model._meta.app_label
        in {"auth", "shops", "products", "affiliates", "orders", "logistics"}
    }


@pytest.mark.django_db
def test_seed_demo_twice_leaves_the_same_rows(django_capture_on_commit_callbacks):
    # given: seeded as `make run` does, with the after-commit signals (the ledger follows them)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    first = _row_counts()
    # when
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    # then
    assert _row_counts() == first
    assert first["shops.Shop"] == 2 and first["shops.Creator"] == 3
