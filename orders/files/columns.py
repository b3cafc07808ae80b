"""The one declaration of the order file's columns, in 抖店's names and order.

`OrderFileResource` (django-import-export) declares each column once as an
`OrderColumn`: its header, its kind (how it is written and read back), whether it
belongs to the 主订单 (repeated on each of its rows, counted once) or to the 子订单, the
SQL that reads it, and the aliases other files use for it. Every path — the console,
the admin, the commands, the Celery jobs — asks this declaration: exports render SQL
from it (PostgreSQL formats and streams the rows itself), imports clean cells with it.
"""

from django.utils import translation
from import_export import fields, resources

from core.exports import neutralise_sql
from core.tabular import header_key

from ..models import (
    AfterSaleStatus,
    Channel,
    OrderItem,
    OrderStatus,
    PayMethod,
    RemarkFlag,
    TrafficSource,
)

ID, TEXT, FEN, INT, TIME, CHOICE = "id", "text", "fen", "int", "time", "choice"
ORDER, ITEM = "order", "item"
NONE_WORD = "-"
TIME_ZONE = "Asia/Shanghai"

# 抖店's words on top of xiaodian's labels (the export writes the labels).
STATUS_WORDS = {"待发货": 2, "已关闭": 4, "待确认": 1, "已签收": 3}
AFTERSALE_WORDS = {
    "售后待处理": 6,
    "待退货": 7,
    "待收退货": 11,
    "退款中": 6,
    "退款成功": 12,
    "已全额退款": 12,
    "补寄成功": 12,
    "换货成功": 12,
    "售后完成": 12,
    "售后失败": 28,
}
PAY_WORDS = {"微信支付": 1, "支付宝支付": 2, "抖音月付": 5, "货到付款": 0}
CHANNEL_WORDS = {"普通订单": 8, "联盟订单": 2}
# 快递信息 of an order as SQL over the alias `o` ("运单号-快递公司", several joined by
# ";"): logistics registers it in its AppConfig.ready (orders never imports logistics).
_tracking_sql: list[str] = []


def register_tracking_sql(sql: str) -> None:
    """Register the SQL expression of an order's parcels (one provider; the last wins)."""
    _tracking_sql[:] = [sql]


class OrderColumn(fields.Field):
    """A column of the order file (see the module docstring)."""

    def __init__(
        self,
        header,
        kind,
        level,
        sql,
        *,
        target=None,
        choices=None,
        words=None,
        mask=None,
        aliases=(),
        required=False,
        compare=None,
    ):
        super().__init__(column_name=header, attribute=target, readonly=target is None)
        self.header, self.kind, self.level, self.sql = header, kind, level, sql
        self.target = target
        self.choices = choices
        self.words = words or {}
        self.mask = mask
        self.aliases = aliases
        self.required = required
        # The stored value as the export reads it, over the aliases o and i only (the
        # import compares a file's cell with it); None: `sql` itself.
        self.compare = compare
        self.key = ""  # the attribute name, set by the resource

    def labels(self) -> dict[int | str, str]:
        with translation.override("zh-hans"):
            return {value: str(label) for value, label in self.choices.choices}

    def codes(self) -> dict[str, int | str]:
        """Word in a file → stored code: our labels, 抖店's words, the codes themselves."""
        codes = {label: value for value, label in self.labels().items()}
        codes.update({str(value): value for value in self.labels()})
        codes.update(self.words)
        return codes


def _money(header, level, sql, **kw):
    return OrderColumn(header, FEN, level, sql, **kw)


def _creator_column(header, creator_field, target, alias):
    """The attributed 达人's `creator_field`, else what an import wrote to `target`. The
    export joins the creator as c; an import's comparison has no join, so it asks."""
    return OrderColumn(
        header, TEXT, ORDER, f"COALESCE(c.{creator_field}, o.{target})",
        target=target, aliases=(alias,),
        compare=f"COALESCE((SELECT c.{creator_field} FROM shops_creator c "
        f"WHERE c.id = o.creator_id), o.{target})",
    )  # fmt: skip


class OrderFileResource(resources.Resource):
    """One row per 子订单, in 抖店's column order. A plain Resource: every column is
    declared here, none introspected from the models."""

    order_no = OrderColumn(
        "主订单编号", ID, ORDER, "o.order_no", target="order_no", required=True,
        aliases=("订单编号", "订单号", "主订单号", "order_no", "order_id"),
    )  # fmt: skip
    item_no = OrderColumn(
        "子订单编号", ID, ITEM, "i.item_no", target="item_no", required=True,
        aliases=("子订单号", "item_no", "sub_order_id"),
    )  # fmt: skip
    product_title = OrderColumn(
        "选购商品", TEXT, ITEM, "i.product_title", target="product_title", required=True,
        aliases=("商品名称", "商品标题", "product_name"),
    )  # fmt: skip
    spec_text = OrderColumn("商品规格", TEXT, ITEM, "i.spec_text", target="spec_text",
                            aliases=("规格", "sku"))  # fmt: skip
    quantity = OrderColumn("商品数量", INT, ITEM, "i.quantity", target="quantity", required=True,
                           aliases=("数量", "购买数量", "quantity"))  # fmt: skip
    product_ref = OrderColumn(
        "商品ID", ID, ITEM, "COALESCE(i.product_id::text, NULLIF(i.product_ref, ''))",
        target="product_ref", aliases=("product_id",),
    )  # fmt: skip
    outer_code = OrderColumn("商家编码", TEXT, ITEM, "i.outer_code", target="outer_code",
                             aliases=("商品编码", "sku编码", "outer_code"))  # fmt: skip
    unit_price = _money("商品单价", ITEM, "i.unit_price_fen", target="unit_price_fen",
                        aliases=("单价", "price"))  # fmt: skip
    goods_amount = _money("商品金额", ITEM, "i.unit_price_fen * i.quantity")
    paid = _money("订单应付金额", ITEM, "i.paid_fen", target="paid_fen", required=True,
                  aliases=("应付金额", "实付金额", "支付金额"))  # fmt: skip
    shipping = _money("运费", ORDER, "o.shipping_fen", target="shipping_fen")
    platform_discount = _money("平台实际承担优惠金额", ORDER, "o.platform_discount_fen",
                               target="platform_discount_fen", aliases=("平台优惠",))  # fmt: skip
    shop_discount = _money("商家实际承担优惠金额", ORDER, "o.shop_discount_fen",
                           target="shop_discount_fen", aliases=("商家优惠",))  # fmt: skip
    creator_discount = _money("达人实际承担优惠金额", ORDER, "o.creator_discount_fen",
                              target="creator_discount_fen", aliases=("达人优惠",))  # fmt: skip
    receiver_name = OrderColumn("收件人", TEXT, ORDER, "o.receiver_name", target="receiver_name",
                                mask="name", aliases=("收货人", "收件人姓名"))  # fmt: skip
    receiver_phone = OrderColumn(
        "收件人手机号", TEXT, ORDER, "o.receiver_phone", target="receiver_phone", mask="phone",
        aliases=("收件人电话", "收货人手机号", "联系电话", "手机号"),
    )  # fmt: skip
    province = OrderColumn("省", TEXT, ORDER, "o.receiver_province", target="receiver_province",
                           aliases=("省份",))  # fmt: skip
    city = OrderColumn("市", TEXT, ORDER, "o.receiver_city", target="receiver_city",
                       aliases=("城市",))  # fmt: skip
    district = OrderColumn("区", TEXT, ORDER, "o.receiver_district",
                           target="receiver_district", aliases=("区县",))  # fmt: skip
    detail = OrderColumn(
        "详细地址", TEXT, ORDER, "(o.receiver_street || o.receiver_detail)",
        target="receiver_detail", mask="address", aliases=("收货地址", "地址"),
    )  # fmt: skip
    buyer_words = OrderColumn("买家留言", TEXT, ORDER, "o.buyer_words", target="buyer_words")
    created_at = OrderColumn("订单提交时间", TIME, ORDER, "o.created_at", target="created_at",
                             required=True, aliases=("下单时间", "创建时间"))  # fmt: skip
    paid_at = OrderColumn("支付完成时间", TIME, ORDER, "o.paid_at", target="paid_at",
                          aliases=("支付时间", "付款时间"))  # fmt: skip
    exp_ship_time = OrderColumn("承诺发货时间", TIME, ORDER, "o.exp_ship_time",
                                target="exp_ship_time")  # fmt: skip
    shipped_at = OrderColumn("发货时间", TIME, ORDER, "o.shipped_at", target="shipped_at")
    completed_at = OrderColumn("订单完成时间", TIME, ORDER, "o.completed_at",
                               target="completed_at", aliases=("完成时间",))  # fmt: skip
    status = OrderColumn("订单状态", CHOICE, ORDER, "o.status", target="status",
                         choices=OrderStatus, words=STATUS_WORDS, required=True)  # fmt: skip
    aftersale = OrderColumn(
        "售后状态", CHOICE, ITEM,
        "COALESCE((SELECT a.status FROM orders_aftersale a WHERE a.item_id = i.id "
        "ORDER BY a.id DESC LIMIT 1), i.imported_aftersale_status)",
        target="imported_aftersale_status", choices=AfterSaleStatus, words=AFTERSALE_WORDS,
    )  # fmt: skip
    cancel_reason = OrderColumn("取消原因", TEXT, ORDER, "o.cancel_reason",
                                target="cancel_reason")  # fmt: skip
    seller_remark = OrderColumn("商家备注", TEXT, ORDER, "o.seller_remark",
                                target="seller_remark", aliases=("卖家备注",))  # fmt: skip
    flag = OrderColumn("旗帜颜色", CHOICE, ORDER, "o.remark_flag", target="remark_flag",
                       choices=RemarkFlag, aliases=("旗帜",))  # fmt: skip
    pay_method = OrderColumn("支付方式", CHOICE, ORDER, "o.pay_method", target="pay_method",
                             choices=PayMethod, words=PAY_WORDS)  # fmt: skip
    tracking = OrderColumn("快递信息", TEXT, ORDER, "tracking", target="imported_tracking",
                           aliases=("物流信息", "运单号"))  # fmt: skip
    channel = OrderColumn("订单类型", CHOICE, ORDER, "o.channel", target="channel",
                          choices=Channel, words=CHANNEL_WORDS)  # fmt: skip
    creator_id = _creator_column("达人ID", "douyin_id", "imported_creator_id", "作者ID")
    creator_name = _creator_column("达人昵称", "nickname", "imported_creator_name", "作者昵称")
    traffic_source = OrderColumn("流量来源", CHOICE, ORDER, "o.traffic_source",
                                 target="traffic_source", choices=TrafficSource)  # fmt: skip

    @classmethod
    def columns(cls) -> list[OrderColumn]:
        found = []
        for key, field in cls.fields.items():
            if isinstance(field, OrderColumn):
                field.key = key
                found.append(field)
        return found

    def export(self, queryset=None, **kwargs):
        """The admin's export: the same SQL the console streams, as a Dataset."""
        import tablib

        from .export import export_rows

        dataset = tablib.Dataset(headers=[c.header for c in COLUMNS])
        item_ids = list((queryset if queryset is not None else OrderItem.objects).values("pk"))
        for row in export_rows(item_ids=[r["pk"] for r in item_ids], columns=COLUMNS):
            dataset.append(row)
        return dataset


COLUMNS: list[OrderColumn] = OrderFileResource.columns()
BY_KEY = {column.key: column for column in COLUMNS}
HEADERS = {column.header: column for column in COLUMNS}
# A header as files spell it (compared loosely, core.tabular.header_key) → column.
HEADER_LOOKUP = {
    header_key(name): column
    for column in COLUMNS
    for name in (column.header, column.key, *column.aliases)
}
REQUIRED = [column for column in COLUMNS if column.required]


# --- SQL -------------------------------------------------------------------------------


def _mask(column: OrderColumn, expr: str) -> str:
    if column.mask == "phone":
        return (
            f"(CASE WHEN char_length({expr}) < 8 THEN '****' "
            f"ELSE left({expr}, 3) || '****' || right({expr}, 4) END)"
        )
    if column.mask == "name":
        return (
            f"(CASE WHEN {expr} = '' THEN '' "
            f"ELSE left({expr}, 1) || repeat('*', greatest(char_length({expr}) - 1, 1)) END)"
        )
    return f"(CASE WHEN {expr} = '' THEN '' ELSE '****' END)"


def _label_sql(column: OrderColumn, expr: str) -> str:
    whens = " ".join(
        f"WHEN {value if isinstance(value, int) else repr(value)} THEN '{label}'"
        for value, label in column.labels().items()
    )
    none = f"'{NONE_WORD}'" if column.key == "aftersale" else "NULL"
    return f"(CASE {expr} {whens} ELSE {none} END)"


def raw_sql(column: OrderColumn) -> str:
    if column.key == "tracking":
        provided = _tracking_sql[0] if _tracking_sql else None
        return f"COALESCE({provided}, o.imported_tracking)" if provided else "o.imported_tracking"
    return column.sql


def compare_sql(column: OrderColumn) -> str:
    """What the export writes for `column` before formatting, over the aliases o (the
    order) and i (the item): an import compares the file's value with it, so a file
    exported from this shop re-imports unchanged (parcels, after-sales, creators)."""
    return column.compare or raw_sql(column)


def render_sql(column: OrderColumn, expr: str, *, csv: bool, masked: bool) -> str:
    """The cell as text, as the file shows it; NULL for an empty cell."""
    if column.kind == ID:
        text = f"(E'\\t' || {expr})" if csv else f"({expr})::text"
    elif column.kind == TEXT:
        if masked and column.mask:
            expr = _mask(column, expr)
        text = neutralise_sql(expr)
    elif column.kind == FEN:
        text = f"(({expr}) / 100.0)::numeric(16, 2)::text"
    elif column.kind == INT:
        text = f"({expr})::text"
    elif column.kind == TIME:
        text = f"to_char(({expr}) AT TIME ZONE '{TIME_ZONE}', 'YYYY-MM-DD HH24:MI:SS')"
    else:
        text = _label_sql(column, expr)
    return f"NULLIF({text}, '')"
