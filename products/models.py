"""The shop's catalogue: categories, products, specs, SKUs and every stock change."""

from django.core.validators import FileExtensionValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.bounds import MAX_QUANTITY, range_validators
from core.models import Event

from .validators import validate_image_size

MAX_IMAGES = 9


class Category(models.Model):
    """Platform category tree (一级/二级类目); the same for every shop."""

    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("上级类目"),
    )
    name = models.CharField(_("类目名称"), max_length=30)
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("类目")
        verbose_name_plural = _("类目")
        ordering = ["sort_order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["parent", "name"], name="category_parent_name_uniq"),
            # NULLs are distinct, so top-level names need their own rule.
            models.UniqueConstraint(
                fields=["name"], condition=Q(parent__isnull=True), name="category_root_name_uniq"
            ),
        ]

    def __str__(self):
        return self.path

    @property
    def path(self) -> str:
        """ "服饰内衣/女装": how exports name a category and imports accept it."""
        if self.parent_id is None:
            return self.name
        return f"{self.parent.name}/{self.name}"


class ProductStatus(models.IntegerChoices):
    DRAFT = 0, _("草稿")
    ON_SALE = 1, _("在售")
    OFF_SHELF = 2, _("已下架")
    BANNED = 3, _("违规下架")


class ReturnPolicy(models.IntegerChoices):
    # 抖店 supply_7day_return
    UNSUPPORTED = 0, _("不支持")
    SUPPORTED = 1, _("支持")
    UNSUPPORTED_OPENED = 2, _("拆封后不支持")


class ShipPromise(models.IntegerChoices):
    # 抖店 delivery_delay_day: 9999 means same day.
    SAME_DAY = 9999, _("当日发")
    NEXT_DAY = 1, _("次日发")
    WITHIN_48H = 2, _("48小时内")


class Product(models.Model):
    SHOP_FIELD = "shop_id"

    shop = models.ForeignKey(
        "shops.Shop", on_delete=models.CASCADE, related_name="products", verbose_name=_("店铺")
    )
    title = models.CharField(_("商品名称"), max_length=60)
    category = models.ForeignKey(
        Category, on_delete=models.PROTECT, related_name="products", verbose_name=_("类目")
    )
    description = models.TextField(_("商品详情"), blank=True)
    return_policy = models.PositiveSmallIntegerField(
        _("7天无理由退货"), choices=ReturnPolicy.choices, default=ReturnPolicy.SUPPORTED
    )
    ship_promise = models.PositiveSmallIntegerField(
        _("发货时效"), choices=ShipPromise.choices, default=ShipPromise.WITHIN_48H
    )
    status = models.PositiveSmallIntegerField(
        _("状态"), choices=ProductStatus.choices, default=ProductStatus.DRAFT
    )
    ban_reason = models.CharField(_("违规原因"), max_length=200, blank=True)
    sales_count = models.PositiveIntegerField(_("销量"), default=0)
    # 限购 (blank: none), enforced by orders.limits at checkout: units of this product in
    # one order, and per buyer phone over the buyer's orders not cancelled.
    limit_per_order = models.PositiveIntegerField(
        _("每单限购"),
        null=True,
        blank=True,
        validators=range_validators(minimum=1, maximum=MAX_QUANTITY),
        help_text=_("一个订单最多买几件，留空不限。"),
    )
    limit_per_buyer = models.PositiveIntegerField(
        _("每人限购"),
        null=True,
        blank=True,
        validators=range_validators(minimum=1, maximum=MAX_QUANTITY),
        help_text=_("同一收件手机号累计最多买几件（未取消的订单），留空不限。"),
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("商品")
        verbose_name_plural = _("商品")
        ordering = ["-updated_at", "-id"]
        indexes = [
            models.Index(fields=["shop", "status", "-updated_at"], name="product_shop_status_idx"),
            models.Index(fields=["shop", "category"], name="product_shop_category_idx"),
            models.Index(fields=["shop", "-updated_at"], name="product_shop_updated_idx"),
        ]

    def __str__(self):
        return self.title


class ProductStatusEvent(Event):
    """Who moved a product from which status to which, and why (bans show the reason)."""

    SHOP_FIELD = "product__shop_id"
    NOTE_FIELD = "reason"

    product = models.ForeignKey(
        Product, on_delete=models.CASCADE, related_name="status_events", verbose_name=_("商品")
    )
    from_status = models.PositiveSmallIntegerField(_("原状态"), choices=ProductStatus.choices)
    to_status = models.PositiveSmallIntegerField(_("新状态"), choices=ProductStatus.choices)
    reason = models.CharField(_("原因"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("商品状态记录")
        verbose_name_plural = _("商品状态记录")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.get_from_status_display()} → {self.get_to_status_display()}"


class ProductImage(models.Model):
    SHOP_FIELD = "product__shop_id"

    product = models.ForeignKey(
        Product, on_delete=models.CASCADE, related_name="images", verbose_name=_("商品")
    )
    image = models.ImageField(
        _("主图"),
        upload_to="products/%Y/%m/",
        validators=[
            FileExtensionValidator(["jpg", "jpeg", "png", "webp"]),
            validate_image_size,
        ],
    )
    thumbnail = models.ImageField(_("缩略图"), upload_to="products/thumbs/%Y/%m/", blank=True)
    position = models.PositiveSmallIntegerField(_("顺序"), default=0)
    created_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("商品主图")
        verbose_name_plural = _("商品主图")
        ordering = ["product_id", "position", "id"]

    def __str__(self):
        return self.image.name


class ProductSpec(models.Model):
    """A spec name of a product (颜色, 尺码) with its ordered values."""

    SHOP_FIELD = "product__shop_id"

    product = models.ForeignKey(
        Product, on_delete=models.CASCADE, related_name="specs", verbose_name=_("商品")
    )
    name = models.CharField(_("规格名"), max_length=20)
    position = models.PositiveSmallIntegerField(_("顺序"), default=0)

    class Meta:
        verbose_name = _("规格")
        verbose_name_plural = _("规格")
        ordering = ["product_id", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["product", "name"], name="spec_product_name_uniq"),
        ]

    def __str__(self):
        return self.name


class ProductSpecValue(models.Model):
    SHOP_FIELD = "spec__product__shop_id"

    spec = models.ForeignKey(
        ProductSpec, on_delete=models.CASCADE, related_name="values", verbose_name=_("规格")
    )
    value = models.CharField(_("规格值"), max_length=30)
    position = models.PositiveSmallIntegerField(_("顺序"), default=0)

    class Meta:
        verbose_name = _("规格值")
        verbose_name_plural = _("规格值")
        ordering = ["spec_id", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["spec", "value"], name="specvalue_spec_value_uniq"),
        ]

    def __str__(self):
        return self.value


class Sku(models.Model):
    """One combination of spec values. SKUs are never deleted (orders and stock moves
    point at them): a combination dropped from the specs is deactivated instead."""

    SHOP_FIELD = "shop_id"

    product = models.ForeignKey(
        Product, on_delete=models.CASCADE, related_name="skus", verbose_name=_("商品")
    )
    # Denormalised from product so 商家编码 can be unique per shop in the database.
    shop = models.ForeignKey(
        "shops.Shop", on_delete=models.CASCADE, related_name="skus", verbose_name=_("店铺")
    )
    spec_text = models.CharField(_("规格"), max_length=200, blank=True)
    # [{"name": "颜色", "value": "红"}, ...] in spec order, like 抖店's `spec` field.
    spec_values = models.JSONField(_("规格值"), default=list, blank=True)
    outer_code = models.CharField(_("商家编码"), max_length=50, blank=True)
    # Null until the merchant sets a price: generated SKUs start without one.
    price_fen = models.PositiveIntegerField(
        _("价格（分）"), null=True, blank=True, validators=[MinValueValidator(1)]
    )
    stock = models.PositiveIntegerField(_("库存"), default=0)
    is_active = models.BooleanField(_("启用"), default=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("SKU")
        verbose_name_plural = _("SKU")
        ordering = ["product_id", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["shop", "outer_code"],
                condition=~Q(outer_code=""),
                name="sku_shop_outer_code_uniq",
                violation_error_message=_("商家编码已被本店其他 SKU 使用。"),
            ),
            models.UniqueConstraint(
                fields=["product", "spec_text"],
                name="sku_product_spec_uniq",
                violation_error_message=_("同一商品的规格组合不能重复。"),
            ),
            models.CheckConstraint(
                condition=Q(stock__gte=0),
                name="sku_stock_gte_0",
                violation_error_message=_("库存不能小于 0。"),
            ),
            models.CheckConstraint(
                condition=Q(price_fen__isnull=True) | Q(price_fen__gt=0),
                name="sku_price_gt_0",
                violation_error_message=_("价格必须大于 0。"),
            ),
        ]
        indexes = [
            models.Index(fields=["shop", "stock"], name="sku_shop_stock_idx"),
        ]

    def __str__(self):
        return f"{self.product.title} {self.spec_text}".strip()

    @property
    def spec_label(self) -> str:
        return self.spec_text or str(_("默认规格"))


class StockMoveReason(models.TextChoices):
    MANUAL = "manual", _("手动调整")
    ORDER = "order", _("下单")
    CANCEL = "cancel", _("取消")
    REFUND = "refund", _("退款")
    IMPORT = "import", _("导入")


class StockMove(Event):
    """One stock change of one SKU: the stock history is the sum of these."""

    SHOP_FIELD = "sku__shop_id"
    MESSAGES = {
        "order": _("订单 %(no)s"),
        "order_cancelled": _("订单 %(no)s 取消"),
        "aftersale_refund": _("售后单 %(no)s 退款"),
        "product_edit": _("编辑商品时设置库存"),
        "import": _("导入商品表格"),
    }

    sku = models.ForeignKey(
        Sku, on_delete=models.PROTECT, related_name="stock_moves", verbose_name=_("SKU")
    )
    reason = models.CharField(_("原因"), max_length=16, choices=StockMoveReason.choices)
    delta = models.IntegerField(_("变动数量"))
    balance_after = models.PositiveIntegerField(_("变动后库存"))
    note = models.CharField(_("备注"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("库存流水")
        verbose_name_plural = _("库存流水")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["sku", "-created_at"], name="stockmove_sku_created_idx"),
        ]

    def __str__(self):
        return f"{self.sku_id} {self.delta:+d} → {self.balance_after}"
