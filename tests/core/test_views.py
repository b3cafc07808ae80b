import pytest
from django import forms
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.test import RequestFactory

from core.exceptions import DomainError, PermissionRefused
from core.views import run_service


class NameForm(forms.Form):
    name = forms.CharField()


def _request():
    request = RequestFactory().post("/", {"name": "x"})
    request.session = {}
    request._messages = FallbackStorage(request)
    return request


def _refuse():
    raise DomainError("不能这样做。", fields={"name": ["名字不对。"]})


def test_a_refusal_without_a_form_is_a_flash_message():
    # given
    request = _request()
    # when
    ran, result = run_service(request, _refuse)
    # then
    assert (ran, result) == (False, None)
    assert [str(m) for m in get_messages(request)] == ["不能这样做。"]


def test_a_refusal_with_a_form_is_an_error_on_the_named_field():
    # given
    request = _request()
    form = NameForm(request.POST)
    form.is_valid()
    # when
    ran, _result = run_service(request, _refuse, form=form, field="name")
    # then
    assert not ran
    assert form.errors == {"name": ["不能这样做。"]}
    assert not list(get_messages(request))


def test_on_error_receives_the_refusal_instead():
    # given
    request = _request()
    seen = []
    # when
    ran, _result = run_service(request, _refuse, on_error=seen.append)
    # then
    assert not ran
    assert [exc.fields for exc in seen] == [{"name": ["名字不对。"]}]
    assert not list(get_messages(request))


def test_success_text_is_made_from_the_result():
    # given
    request = _request()
    # when
    ran, result = run_service(request, lambda: 3, success=lambda n: f"已处理 {n} 条。")
    # then
    assert (ran, result) == (True, 3)
    assert [str(m) for m in get_messages(request)] == ["已处理 3 条。"]


def test_a_refused_permission_passes_through_to_the_middleware():
    # given
    request = _request()

    def refuse():
        raise PermissionRefused()

    # when / then
    with pytest.raises(PermissionRefused):
        run_service(request, refuse, on_error=lambda exc: None)
