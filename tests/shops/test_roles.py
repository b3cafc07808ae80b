import pytest

from shops.roles import ROLE_PERMISSIONS, Perm, Role, role_has_perm

# The table as a merchant would state it: who may do what.
EXPECTED = {
    Perm.SHOP_SETTINGS_EDIT: {Role.OWNER},
    Perm.MEMBERS_MANAGE: {Role.OWNER},
    Perm.PRODUCT_EDIT: {Role.OWNER, Role.OPERATOR},
    Perm.PRODUCT_PRICE_EDIT: {Role.OWNER, Role.OPERATOR},
    Perm.STOCK_ADJUST: {Role.OWNER, Role.OPERATOR, Role.WAREHOUSE},
    Perm.ALLIANCE_MANAGE: {Role.OWNER, Role.OPERATOR},
    Perm.ORDER_REMARK: {Role.OWNER, Role.OPERATOR, Role.SERVICE},
    Perm.RECEIVER_REVEAL: {Role.OWNER, Role.SERVICE},
    Perm.AFTERSALE_HANDLE: {Role.OWNER, Role.SERVICE},
    Perm.ORDER_CANCEL: {Role.OWNER, Role.OPERATOR, Role.SERVICE},
    Perm.ORDER_PLACE: {Role.OWNER, Role.OPERATOR},
    Perm.ORDER_SHIP: {Role.OWNER, Role.WAREHOUSE},
    Perm.WAYBILL_PRINT: {Role.OWNER, Role.WAREHOUSE},
    Perm.DATA_VIEW: {Role.OWNER, Role.OPERATOR},
    Perm.FUNDS_VIEW: {Role.OWNER, Role.OPERATOR},
    Perm.WEBHOOKS_MANAGE: {Role.OWNER},
}


def test_every_permission_has_an_expectation():
    assert set(EXPECTED) == set(Perm)


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("perm", list(Perm))
def test_role_table(role, perm):
    assert role_has_perm(role, perm) is (role in EXPECTED[perm])


def test_unknown_role_has_no_permission():
    assert not role_has_perm("intern", Perm.ORDER_SHIP)
    assert "intern" not in ROLE_PERMISSIONS
