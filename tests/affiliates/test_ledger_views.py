"""佣金收入, 提现 and 资金 pages, their exports, the API and the /admin/ actions."""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from rest_framework.test import APIClient

from affiliates.factories import ShowcaseCreatorFactory
from affiliates.ledger.factories import alliance_offer, alliance_order
from affiliates.ledger.models import Withdrawal, WithdrawalStatus
from affiliates.ledger.withdrawals import withdrawable_fen, withdrawal_request
from orders.models import OrderStatus
from shops.factories import MembershipFactory, UserFactory
from shops.tenancy import ContextKind

from .ledger_support import committed

pytestmark = pytest.mark.django_db


@pytest.fixture
def creator(settings, settled_creator):
    """A creator with one settled, one pending and one estimated order (¥17.82 each)."""
    settings.SETTLEMENT_DELAY_DAYS = 7
    committed(alliance_order, creator=settled_creator, status=OrderStatus.COMPLETED)
    committed(alliance_order, creator=settled_creator, status=OrderStatus.SHIPPED)
    return settled_creator


@pytest.fixture
def creator_client(client, creator):
    client.force_login(creator.user)
    client.post(reverse("console:switch"), {"context": ContextKind.CREATOR})
    return client


def test_income_shows_every_total_and_links_to_its_entries(creator_client):
    # when
    response = creator_client.get(reverse("affiliates:income"))
    # then
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count("¥17.82") >= 3
    assert "state=withdrawable" in html and "income-chart-data" in html


def test_the_entry_list_filters_by_state(creator_client):
    # when
    response = creator_client.get(reverse("affiliates:income_entries"), {"state": "pending"})
    # then
    entries = response.context["entries"]
    assert {e.bucket for e in entries} == {"pending"}
    assert sum(e.net_fen for e in entries) == 1782


def test_the_entry_list_costs_a_fixed_number_of_queries(
    creator_client, django_assert_max_num_queries
):
    with django_assert_max_num_queries(12):
        creator_client.get(reverse("affiliates:income_entries"))


def test_entries_export_as_csv_and_xlsx_neutralised(creator_client, creator):
    # given: a product title that is a formula
    offer = alliance_offer(title="=HYPERLINK(1)")
    committed(alliance_order, creator=creator, offer=offer)
    url = reverse("affiliates:income_entries")
    # when
    text = b"".join(creator_client.get(url, {"export": "csv"}).streaming_content).decode(
        "utf-8-sig"
    )
    book = load_workbook(io.BytesIO(creator_client.get(url, {"export": "xlsx"}).content))
    # then
    rows = list(csv.reader(io.StringIO(text)))
    cells = [c.value for row in book.active.iter_rows() for c in row]
    assert "'=HYPERLINK(1)" in [cell for row in rows for cell in row]
    assert "'=HYPERLINK(1)" in cells


def test_the_order_lineage_lists_every_entry(creator_client, creator):
    # given
    order = committed(alliance_order, creator=creator, status=OrderStatus.COMPLETED)
    # when
    response = creator_client.get(reverse("affiliates:income_order", args=[order.pk]))
    # then
    html = response.content.decode()
    assert "下单预估" in html and "确认收货，转待结算" in html


def test_a_withdrawal_is_requested_from_the_page(creator_client, creator):
    # when
    response = creator_client.post(
        reverse("affiliates:income_withdrawals"),
        {"amount": "10.00", "account": "alipay@example.com"},
    )
    # then
    assert response.status_code == 302
    assert withdrawable_fen(creator.pk) == 782


def test_too_much_is_refused_with_the_balance_named(creator_client):
    response = creator_client.post(
        reverse("affiliates:income_withdrawals"),
        {"amount": "100.00", "account": "alipay@example.com"},
    )
    assert "17.82" in response.content.decode()
    assert not Withdrawal.objects.exists()


def test_funds_is_for_owners_and_operators_only(creator):
    # given
    shop = creator.commissions.first().shop
    for role, want in (("owner", 200), ("operator", 200), ("service", 403), ("warehouse", 403)):
        member = MembershipFactory(user=UserFactory(), shop=shop, role=role)
        api = APIClient()
        api.force_login(member.user)
        # when
        page = api.get(reverse("affiliates:funds"))
        summary = api.get(reverse("api:settlement-summary"))
        # then
        assert (role, page.status_code) == (role, want)
        assert (role, summary.status_code) == (role, want)


def test_funds_lists_and_exports_the_shop_settlements(client, creator):
    # given
    shop = creator.commissions.first().shop
    member = MembershipFactory(user=UserFactory(), shop=shop, role="owner")
    client.force_login(member.user)
    # when
    page = client.get(reverse("affiliates:funds"), {"period": "30d"})
    export = client.get(reverse("affiliates:funds"), {"export": "csv"})
    # then
    assert len(page.context["settlements"]) == 1
    assert "结算金额" in b"".join(export.streaming_content).decode("utf-8-sig")


def test_api_income_summary_by_source(creator):
    # given
    api = APIClient()
    api.force_authenticate(creator.user)
    # when
    data = api.get(reverse("api:income-summary"), HTTP_X_SHOP_ID="creator").json()
    # then
    assert (data["estimated_fen"], data["pending_fen"], data["settled_fen"]) == (1782, 1782, 1782)
    assert data["withdrawable_fen"] == 1782
    assert set(data["by_source"]) == {"jingxuan", "taobao", "jd"}
    assert data["by_source"]["taobao"]["settled_fen"] == 0


def test_api_entries_and_withdrawals(creator):
    # given
    api = APIClient()
    api.force_authenticate(creator.user)
    headers = {"HTTP_X_SHOP_ID": "creator"}
    # when
    entries = api.get(reverse("api:income-entry-list"), {"state": "settled"}, **headers).json()
    created = api.post(
        reverse("api:withdrawal-list"),
        {"amount_fen": 99999, "account": "x"},
        format="json",
        **headers,
    )
    ok = api.post(
        reverse("api:withdrawal-list"),
        {"amount_fen": 500, "account": "x"},
        format="json",
        **headers,
    )
    # then
    assert sum(e["net_fen"] for e in entries["results"]) == 1782
    assert created.status_code == 400 and "amount_fen" in created.json()["fields"]
    assert ok.status_code == 201
    assert api.get(reverse("api:withdrawal-list"), **headers).json()["count"] == 1


def test_staff_pay_and_reject_in_admin(admin_client, creator, creator_context):
    # given
    first = withdrawal_request(context=creator_context(creator), amount_fen=500, account="a")
    second = withdrawal_request(context=creator_context(creator), amount_fen=700, account="b")
    url = reverse("admin:affiliates_withdrawal_changelist")
    # when
    admin_client.post(url, {"action": "pay", "_selected_action": [first.pk]})
    admin_client.post(
        url, {"action": "reject", "_selected_action": [second.pk], "reject_reason": "账户不符"}
    )
    # then
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == (WithdrawalStatus.PAID, WithdrawalStatus.REJECTED)
    assert withdrawable_fen(creator.pk) == 1782 - 500


def test_admin_cannot_change_or_delete_entries(admin_client, creator):
    entry = creator.commissions.first().entries.first()
    change = admin_client.get(reverse("admin:affiliates_ledgerentry_change", args=[entry.pk]))
    delete = admin_client.post(reverse("admin:affiliates_ledgerentry_delete", args=[entry.pk]))
    assert "save" not in change.content.decode().lower() or change.status_code != 200
    assert delete.status_code == 403


def test_a_creator_never_sees_another_creators_entries(creator, creator_context):
    # given
    other = ShowcaseCreatorFactory()
    # when
    from affiliates.ledger import selectors

    entries = selectors.entry_list(context=creator_context(other))
    totals = selectors.income_totals(context=creator_context(other))
    # then
    assert not entries.exists()
    assert set(totals.values()) == {0}


def test_a_shop_never_sees_another_shops_settlements(creator, owner, context_for):
    from affiliates.ledger import selectors

    assert not selectors.settlement_list(context=context_for(owner)).exists()
    assert selectors.settlement_totals(context=context_for(owner))["orders"] == 0


def test_income_and_funds_pages_cost_a_fixed_number_of_queries(
    creator_client, creator, client, django_assert_max_num_queries
):
    # given
    shop = creator.commissions.first().shop
    member = MembershipFactory(user=UserFactory(), shop=shop, role="owner")
    # then
    with django_assert_max_num_queries(14):
        creator_client.get(reverse("affiliates:income"))
    client.force_login(member.user)
    with django_assert_max_num_queries(12):
        client.get(reverse("affiliates:funds"))
