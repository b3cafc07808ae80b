"""core.bounds, core.money and core.nul: the shared guards against input that would
otherwise reach PostgreSQL and answer 500 (issue 9)."""

import pytest

from core.bounds import MAX_STOCK, OutOfRange, parse_int, require_range
from core.money import yuan_to_fen
from core.nul import nul_field


@pytest.mark.parametrize("text", ["-1", "1.5", "²", "١٢", "9" * 5000, "", "99999999999"])
def test_parse_int_refuses_what_is_not_a_bounded_whole_number(text):
    assert parse_int(text, maximum=MAX_STOCK) is None


def test_parse_int_reads_digits_within_the_bound():
    assert parse_int(" 12 ", maximum=MAX_STOCK) == 12


def test_require_range_names_the_field():
    with pytest.raises(OutOfRange) as refused:
        require_range(17179869184, field="delta", label="调整数量", maximum=MAX_STOCK)
    assert list(refused.value.fields) == ["delta"]


@pytest.mark.parametrize("text", ["1e400", "9" * 40 + ".5", "NaN", "¥"])
def test_yuan_to_fen_answers_none_for_amounts_a_decimal_cannot_hold(text):
    assert yuan_to_fen(text) is None


def test_nul_field_names_the_path_into_json():
    data = {"events": [{"time": "x"}, {"description": "已揽收\x00"}]}
    assert nul_field(data) == "events.1.description"
    assert nul_field({"ok": ["fine", 1, None]}) is None


@pytest.mark.django_db
def test_nul_in_a_url_segment_is_a_400(client):
    # when: a str converter would hand it to a query
    response = client.get("/s/dy%00x/")
    # then
    assert response.status_code == 400


@pytest.mark.django_db
def test_nul_in_a_form_field_is_a_400_naming_it(client):
    # when
    response = client.post("/login/", {"username": "a\x00b", "password": "x"})
    # then
    assert response.status_code == 400
    assert "username" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path, params, headers",
    [
        ("/api/v1/orders/", {"size": "²"}, {}),
        ("/api/v1/products/", {"low_stock": "9" * 5000}, {}),
        ("/api/v1/skus/", {"product": "²"}, {}),
        ("/api/v1/products/", {}, {"HTTP_X_SHOP_ID": "²"}),
    ],
)
def test_digits_int_cannot_read_are_never_a_500(client, owner, path, params, headers):
    # given: superscripts pass str.isdigit(), 5,000 digits pass it too; int() refuses both
    client.force_login(owner.user)
    # when
    response = client.get(path, params, **headers)
    # then
    assert response.status_code < 500
