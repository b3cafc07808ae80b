"""Roles of a shop member and what each may do: the one permission table.

Views, the API and services all ask `role_has_perm`; nothing else decides.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    OWNER = "owner", _("店主")
    OPERATOR = "operator", _("运营")
    SERVICE = "service", _("客服")
    WAREHOUSE = "warehouse", _("仓库")


class Perm(models.TextChoices):
    SHOP_SETTINGS_EDIT = "shop.settings_edit", _("修改店铺设置")
    MEMBERS_MANAGE = "shop.members_manage", _("管理成员")
    PRODUCT_EDIT = "product.edit", _("编辑商品")
    PRODUCT_PRICE_EDIT = "product.price_edit", _("修改价格")
    STOCK_ADJUST = "product.stock_adjust", _("调整库存")
    ALLIANCE_MANAGE = "affiliates.alliance_manage", _("管理精选联盟推广")
    ORDER_REMARK = "order.remark", _("订单备注与旗帜")
    RECEIVER_REVEAL = "order.receiver_reveal", _("查看收件人完整信息")
    AFTERSALE_HANDLE = "order.aftersale_handle", _("处理售后")
    ORDER_CANCEL = "order.cancel", _("关闭未支付订单")
    # Integrations (a member's API token) placing orders through POST /api/v1/orders/.
    ORDER_PLACE = "order.place", _("通过接口创建订单")
    ORDER_SHIP = "logistics.ship", _("发货")
    WAYBILL_PRINT = "logistics.print", _("打印面单")
    DATA_VIEW = "shop.data_view", _("查看数据")
    FUNDS_VIEW = "shop.funds_view", _("查看资金与结算")
    # 消息推送 endpoints and their secrets: owner only (no other role lists it below).
    WEBHOOKS_MANAGE = "shop.webhooks_manage", _("管理消息推送")


ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    Role.OWNER: frozenset(Perm.values),
    Role.OPERATOR: frozenset(
        {
            Perm.PRODUCT_EDIT,
            Perm.PRODUCT_PRICE_EDIT,
            Perm.STOCK_ADJUST,
            Perm.ALLIANCE_MANAGE,
            Perm.ORDER_REMARK,
            Perm.ORDER_CANCEL,
            Perm.ORDER_PLACE,
            Perm.DATA_VIEW,
            Perm.FUNDS_VIEW,
        }
    ),
    Role.SERVICE: frozenset(
        {
            Perm.ORDER_REMARK,
            Perm.ORDER_CANCEL,
            Perm.RECEIVER_REVEAL,
            Perm.AFTERSALE_HANDLE,
        }
    ),
    # Warehouse ships and counts stock, but never touches prices or settings.
    Role.WAREHOUSE: frozenset(
        {
            Perm.ORDER_SHIP,
            Perm.WAYBILL_PRINT,
            Perm.STOCK_ADJUST,
        }
    ),
}


def role_has_perm(role: str, perm: str) -> bool:
    return perm in ROLE_PERMISSIONS.get(role, frozenset())
