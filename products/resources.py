"""Products as a spreadsheet, one row per SKU (django-import-export).

Columns: 商品ID, 商品名称, 类目, 规格, 商家编码, 价格, 库存, 状态 (English headers are
accepted too). A row names its product by 商品ID, or, when that is blank, by 商品名称
within the shop; a product that does not exist yet is created. Every change goes
through products.services, which only write what differs: re-importing a file that
was just imported changes nothing.
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from import_export import fields, resources, widgets
from import_export.results import RowResult

from core.bounds import MAX_FEN, MAX_ID, MAX_QUANTITY, MAX_STOCK, parse_int
from core.exceptions import DomainError
from core.exports import csv_bytes, unneutralise, xlsx_bytes
from core.models import Said
from core.money import fen_to_yuan, yuan_to_fen
from shops.tenancy import ConsoleContext, scope

from . import services
from .models import Product, ProductStatus, Sku, StockMoveReason
from .selectors import category_by_path

NUMBER = widgets.IntegerWidget(coerce_to_string=False)
# The spreadsheet's own number of each row (products.imports adds it), not a column
# anyone types: messages name rows by it.
ROW_NUMBER = "__row__"
COLUMNS = [
    "商品ID",
    "商品名称",
    "类目",
    "规格",
    "商家编码",
    "价格",
    "库存",
    "状态",
    "每单限购",
    "每人限购",
]
# 限购 columns (product fields, blank: no limit); a file without them changes neither.
LIMIT_COLUMNS = {"每单限购": "limit_per_order", "每人限购": "limit_per_buyer"}
REQUIRED_COLUMNS = ["商品名称", "类目", "规格", "价格", "库存"]
ENGLISH_COLUMNS = {
    "product_id": "商品ID",
    "id": "商品ID",
    "title": "商品名称",
    "name": "商品名称",
    "category": "类目",
    "spec": "规格",
    "specs": "规格",
    "outer_code": "商家编码",
    "sku_code": "商家编码",
    "code": "商家编码",
    "price": "价格",
    "stock": "库存",
    "status": "状态",
    "limit_per_order": "每单限购",
    "limit_per_buyer": "每人限购",
}
STATUS_WORDS = {
    "草稿": ProductStatus.DRAFT,
    "draft": ProductStatus.DRAFT,
    "在售": ProductStatus.ON_SALE,
    "on_sale": ProductStatus.ON_SALE,
    "on sale": ProductStatus.ON_SALE,
    "已下架": ProductStatus.OFF_SHELF,
    "下架": ProductStatus.OFF_SHELF,
    "off_shelf": ProductStatus.OFF_SHELF,
    "off shelf": ProductStatus.OFF_SHELF,
}


def canonical_header(header) -> str:
    text = str(header or "").strip().lstrip("\ufeff").strip()
    return ENGLISH_COLUMNS.get(text.lower(), text)


def _cell(row, column) -> str:
    """A cell as text: 抖店 exports prefix a tab, XLSX gives 12.0 for 12, our own CSV
    export puts an apostrophe before text that looks like a formula."""
    value = row.get(column)
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return unneutralise(str(value).strip()).strip()


class ProductSkuResource(resources.ModelResource):
    # Numbers stay numbers in XLSX (import-export renders text unless told otherwise).
    product_id = fields.Field(attribute="product_id", column_name="商品ID", widget=NUMBER)
    title = fields.Field(attribute="product__title", column_name="商品名称")
    category = fields.Field(column_name="类目")
    spec = fields.Field(attribute="spec_text", column_name="规格")
    outer_code = fields.Field(attribute="outer_code", column_name="商家编码")
    price = fields.Field(column_name="价格")
    stock = fields.Field(attribute="stock", column_name="库存", widget=NUMBER)
    status = fields.Field(column_name="状态")
    limit_per_order = fields.Field(attribute="product__limit_per_order", column_name="每单限购")
    limit_per_buyer = fields.Field(attribute="product__limit_per_buyer", column_name="每人限购")

    class Meta:
        model = Sku
        fields = (
            "product_id",
            "title",
            "category",
            "spec",
            "outer_code",
            "price",
            "stock",
            "status",
            "limit_per_order",
            "limit_per_buyer",
        )
        export_order = fields  # the tuple above: columns leave in the order they are read
        use_transactions = True
        skip_diff = True

    def __init__(self, *, context: ConsoleContext | None = None):
        super().__init__()
        self.context = context
        # product -> (wanted status, row number, row): applied after every row is in,
        # since a product may only go on sale once its SKUs have price and stock.
        self.wanted_status: dict[int, tuple[int, int, dict]] = {}

    # --- export -------------------------------------------------------------------

    def dehydrate_category(self, sku: Sku) -> str:
        return sku.product.category.path

    def dehydrate_price(self, sku: Sku) -> Decimal | str:
        # A number, so a spreadsheet sums and sorts it (core.exports formats it as 0.00).
        return Decimal(fen_to_yuan(sku.price_fen)) if sku.price_fen is not None else ""

    def dehydrate_status(self, sku: Sku) -> str:
        return sku.product.get_status_display()

    # --- import -------------------------------------------------------------------

    def import_row(self, row, instance_loader, **kwargs):
        """Parse one SKU row and apply it through the services; any reason it cannot
        be applied becomes that row's error."""
        result = self.get_row_result_class()()
        try:
            result.import_type = self._apply(row, kwargs["row_number"])
        except ValidationError as exc:
            result.import_type = RowResult.IMPORT_TYPE_INVALID
            result.validation_error = exc
        except DomainError as exc:
            result.import_type = RowResult.IMPORT_TYPE_INVALID
            result.validation_error = ValidationError(str(exc.message))
        return result

    def _parse(self, row) -> dict:
        errors = {}
        raw_id = _cell(row, "商品ID")
        product_id = parse_int(raw_id, maximum=MAX_ID)
        if raw_id and product_id is None:
            errors["商品ID"] = _("商品ID“%(v)s”应为数字。") % {"v": raw_id}
        title = _cell(row, "商品名称")
        if not title:
            errors["商品名称"] = _("商品名称不能为空。")
        elif len(title) > 60:
            errors["商品名称"] = _("商品名称最多 60 个字。")
        category = category_by_path(_cell(row, "类目"))
        if category is None:
            errors["类目"] = _(
                "找不到类目“%(v)s”，请写成“一级类目/二级类目”，如“服饰内衣/女装”。"
            ) % {"v": _cell(row, "类目")}
        spec_text = _cell(row, "规格").replace("；", ";").replace("：", ":")
        spec_values = []
        for part in filter(None, (p.strip() for p in spec_text.split(";"))):
            name, colon, value = (x.strip() for x in part.partition(":"))
            if not colon or not name or not value:
                errors["规格"] = _("规格“%(v)s”应写成“颜色:红;尺码:S”，单规格商品留空。") % {
                    "v": spec_text
                }
                break
            spec_values.append({"name": name, "value": value})
        raw_price = _cell(row, "价格")
        price_fen = yuan_to_fen(raw_price) if raw_price else None
        if raw_price and (price_fen is None or not 0 < price_fen <= MAX_FEN):
            errors["价格"] = _("价格“%(v)s”不是 0.01 到 %(max)s 元之间的金额（最多两位小数）。") % {
                "v": raw_price,
                "max": f"{MAX_FEN // 100:,}",
            }
        raw_stock = _cell(row, "库存")
        stock = parse_int(raw_stock, maximum=MAX_STOCK)
        if raw_stock and stock is None:
            errors["库存"] = _("库存“%(v)s”应为 0 到 %(max)s 之间的整数。") % {
                "v": raw_stock,
                "max": f"{MAX_STOCK:,}",
            }
        raw_status = _cell(row, "状态")
        status = STATUS_WORDS.get(raw_status.lower()) if raw_status else None
        if raw_status and status is None:
            errors["状态"] = _("状态“%(v)s”只能是 在售、已下架 或 草稿。") % {"v": raw_status}
        limits = {}
        for column, name in LIMIT_COLUMNS.items():
            if column not in row:
                continue
            raw = _cell(row, column)
            limits[name] = parse_int(raw, maximum=MAX_QUANTITY) if raw else None
            if raw and not limits[name]:
                errors[column] = _("%(column)s“%(v)s”应为 1 到 %(max)s 之间的整数，留空不限。") % {
                    "column": column,
                    "v": raw,
                    "max": f"{MAX_QUANTITY:,}",
                }
        if errors:
            raise ValidationError(errors)
        return {
            "limits": limits,
            "product_id": product_id,
            "title": title,
            "category": category,
            "spec_values": spec_values,
            "outer_code": _cell(row, "商家编码"),
            "price_fen": price_fen,
            "stock": stock,
            "status": status,
        }

    def _product(self, data) -> tuple[Product | None, bool]:
        products = scope(Product.objects.all(), self.context)
        if data["product_id"] is not None:
            product = products.filter(pk=data["product_id"]).first()
            if product is None:
                raise ValidationError(
                    {"商品ID": _("本店没有商品ID为 %(id)s 的商品。") % {"id": data["product_id"]}}
                )
            return product, False
        matches = list(products.filter(title=data["title"])[:2])
        if len(matches) > 1:
            raise ValidationError(
                {"商品ID": _("本店有多个名为“%(t)s”的商品，请填写商品ID。") % {"t": data["title"]}}
            )
        return (matches[0] if matches else None), True

    def _apply(self, row, number: int) -> str:
        data = self._parse(row)
        context = self.context
        product, by_title = self._product(data)
        spec_pairs = [(sv["name"], sv["value"]) for sv in data["spec_values"]]
        if product is None:
            product = services.product_create(
                context=context,
                title=data["title"],
                category=data["category"],
                specs=[(n, [v]) for n, v in spec_pairs],
                **data["limits"],
            )
            outcome = RowResult.IMPORT_TYPE_NEW
        else:
            outcome = RowResult.IMPORT_TYPE_SKIP
            changes = {}
            if not by_title and product.title != data["title"]:
                changes["title"] = data["title"]
            if product.category_id != data["category"].pk:
                changes["category"] = data["category"]
            changes |= {k: v for k, v in data["limits"].items() if getattr(product, k) != v}
            if changes:
                services.product_update(context=context, product_id=product.pk, data=changes)
                outcome = RowResult.IMPORT_TYPE_UPDATE
            if self._merge_specs(product, spec_pairs):
                outcome = RowResult.IMPORT_TYPE_NEW
        sku = Sku.objects.get(product=product, spec_text=services.spec_text_of(data["spec_values"]))
        before = (sku.price_fen, sku.outer_code, sku.stock)
        sku_changes = {"outer_code": data["outer_code"]}
        if data["price_fen"] is not None:
            sku_changes["price_fen"] = data["price_fen"]
        sku = services.sku_update(context=context, sku_id=sku.pk, data=sku_changes)
        if data["stock"] is not None:
            sku = services.sku_set_stock(
                context=context,
                sku_id=sku.pk,
                stock=data["stock"],
                reason=StockMoveReason.IMPORT,
                note=Said("import"),
            )
        if outcome == RowResult.IMPORT_TYPE_SKIP and before != (
            sku.price_fen,
            sku.outer_code,
            sku.stock,
        ):
            outcome = RowResult.IMPORT_TYPE_UPDATE
        if data["status"] is not None and data["status"] != product.status:
            self.wanted_status[product.pk] = (data["status"], number, row)
            if outcome == RowResult.IMPORT_TYPE_SKIP:
                outcome = RowResult.IMPORT_TYPE_UPDATE
        return outcome

    def _merge_specs(self, product: Product, spec_pairs) -> bool:
        """Add the row's spec values to the product's specs; True if the matrix grew."""
        text = ";".join(f"{name}:{value}" for name, value in spec_pairs)
        if product.skus.filter(spec_text=text, is_active=True).exists():
            return False
        specs = services.current_specs(product)
        names = [name for name, _values in specs]
        row_names = [name for name, _value in spec_pairs]
        if names and names != row_names:
            raise ValidationError(
                {
                    "规格": _("规格名应为“%(names)s”，与该商品已有规格一致。")
                    % {"names": "、".join(names)}
                }
            )
        if not names:
            if product.skus.filter(is_active=True).exists():
                raise ValidationError({"规格": _("该商品是单规格商品，规格应留空。")})
            specs = [(name, []) for name in row_names]
        grown = not spec_pairs  # a product without any SKU gets its default one
        for (_spec, values), (_name, value) in zip(specs, spec_pairs, strict=True):
            if value not in values:
                values.append(value)
                grown = True
        if grown:
            services.product_set_specs(context=self.context, product_id=product.pk, specs=specs)
        return grown

    def after_import(self, dataset, result, **kwargs):
        """Apply 状态 once every row is in; a refusal is reported on the row asking."""
        for product_id, (status, number, row) in self.wanted_status.items():
            try:
                if status == ProductStatus.ON_SALE:
                    services.product_publish(context=self.context, product_id=product_id)
                elif status == ProductStatus.OFF_SHELF:
                    services.product_unpublish(context=self.context, product_id=product_id)
                else:
                    raise ValidationError(_("已创建的商品不能改回草稿。"))
            except (DomainError, Http404) as exc:
                message = getattr(exc, "message", str(exc))
                result.append_invalid_row(number, row, ValidationError({"状态": str(message)}))
            except ValidationError as exc:
                result.append_invalid_row(number, row, ValidationError({"状态": exc.messages}))


def export_dataset(skus):
    return ProductSkuResource().export(queryset=skus)


def export_file(skus, fmt: str) -> bytes:
    """The products sheet as CSV or XLSX bytes, every cell formula-safe (core.exports)."""
    dataset = export_dataset(skus)
    if fmt == "xlsx":
        return xlsx_bytes(dataset.headers, dataset, title=_("商品"))
    return csv_bytes(dataset.headers, dataset)
