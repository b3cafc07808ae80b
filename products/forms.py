import re
from dataclasses import dataclass, field
from itertools import groupby
from operator import attrgetter

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.bounds import MAX_FEN, MAX_STOCK
from core.money import fen_to_yuan, yuan_to_fen

from .models import MAX_IMAGES, Category, Product, Sku
from .selectors import category_leaves
from .services import MAX_SPECS, PRODUCT_FIELDS, spec_combinations, spec_text_of

SPEC_VALUE_SPLIT = re.compile(r"[,，、\s]+")


class GroupedCategoryIterator(forms.models.ModelChoiceIterator):
    """Second-level categories in an <optgroup> per first level (服饰内衣 › 女装, 男装 …)."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        leaves = self.queryset.order_by("parent__sort_order", "parent_id", "sort_order", "id")
        for parent, group in groupby(leaves, key=attrgetter("parent")):
            yield (parent.name, [self.choice(leaf) for leaf in group])


class CategoryChoiceField(forms.ModelChoiceField):
    iterator = GroupedCategoryIterator

    def label_from_instance(self, obj: Category) -> str:
        return obj.name  # its group names the first level


class ProductForm(forms.ModelForm):
    category = CategoryChoiceField(label=gettext_lazy("类目"), queryset=category_leaves())

    class Meta:
        model = Product
        fields = PRODUCT_FIELDS
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "title": forms.TextInput(
                attrs={"maxlength": 60, "placeholder": gettext_lazy("例：纯棉短袖T恤")}
            ),
        }


class StockAdjustForm(forms.Form):
    delta = forms.IntegerField(
        label=gettext_lazy("调整数量"),
        min_value=-MAX_STOCK,
        max_value=MAX_STOCK,
        help_text=gettext_lazy("正数为增加，负数为减少，例如 -3。"),
    )
    note = forms.CharField(
        label=gettext_lazy("调整原因"),
        max_length=200,
        widget=forms.TextInput(attrs={"placeholder": gettext_lazy("例：盘点差异、破损报损")}),
    )


class ImageUploadForm(forms.Form):
    image = forms.FileField(
        label=gettext_lazy("上传主图"),
        help_text=gettext_lazy("JPEG / PNG / WebP，单张不超过 5 MB，最多 %(n)s 张。")
        % {"n": MAX_IMAGES},
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )


class ImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("选择文件"),
        help_text=gettext_lazy("CSV 或 XLSX，每行一个 SKU。"),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )


# --- the SKU matrix editor ------------------------------------------------------------


@dataclass
class MatrixRow:
    spec_text: str
    spec_values: list[dict]
    price: str = ""
    stock: str = ""
    outer_code: str = ""
    sku_id: int | None = None


@dataclass
class Matrix:
    """What the editor posts: spec names/values and one row per combination."""

    specs: list[tuple[str, list[str]]] = field(default_factory=list)
    rows: list[MatrixRow] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    @property
    def spec_slots(self) -> list[tuple[str, str]]:
        """MAX_SPECS (name, "值1,值2") pairs for the inputs, blanks at the end."""
        slots = [(name, "，".join(values)) for name, values in self.specs]
        return slots + [("", "")] * (MAX_SPECS - len(slots))

    @classmethod
    def from_skus(cls, specs, skus: list[Sku]) -> "Matrix":
        rows = [
            MatrixRow(
                spec_text=sku.spec_text,
                spec_values=sku.spec_values,
                price=fen_to_yuan(sku.price_fen),
                stock=str(sku.stock),
                outer_code=sku.outer_code,
                sku_id=sku.pk,
            )
            for sku in skus
        ]
        return cls(specs=specs, rows=rows)

    @classmethod
    def from_post(cls, data) -> "Matrix":
        matrix = cls()
        for i in range(MAX_SPECS):
            name = data.get(f"spec_name_{i}", "").strip()
            values = [v for v in SPEC_VALUE_SPLIT.split(data.get(f"spec_values_{i}", "")) if v]
            if name or values:
                matrix.specs.append((name, values))
        posted = {
            data.get(f"sku-{i}-spec_text", ""): i
            for i in range(int(data.get("sku-count", 0) or 0))
            if f"sku-{i}-spec_text" in data
        }
        for spec_values in spec_combinations(matrix.specs):
            text = spec_text_of(spec_values)
            row = MatrixRow(spec_text=text, spec_values=spec_values)
            if text in posted:
                i = posted[text]
                row.price = data.get(f"sku-{i}-price", "").strip()
                row.stock = data.get(f"sku-{i}-stock", "").strip()
                row.outer_code = data.get(f"sku-{i}-outer_code", "").strip()
            matrix.rows.append(row)
        return matrix

    def service_rows(self) -> list[dict]:
        """Rows for products.services.product_save_matrix; fills `errors` for bad cells."""
        result = []
        for row in self.rows:
            label = row.spec_text or _("默认规格")
            item = {"spec_text": row.spec_text, "outer_code": row.outer_code}
            if row.price:
                fen = yuan_to_fen(row.price)
                if fen is None or not 0 < fen <= MAX_FEN:
                    self.errors.append(
                        _("规格 %(spec)s：价格“%(value)s”不是大于 0 的金额（元，最多两位小数）。")
                        % {"spec": label, "value": row.price}
                    )
                item["price_fen"] = fen
            if row.stock:
                if not row.stock.isdigit() or int(row.stock) > MAX_STOCK:
                    self.errors.append(
                        _("规格 %(spec)s：库存“%(value)s”必须是 0 到 %(max)s 之间的整数。")
                        % {"spec": label, "value": row.stock, "max": f"{MAX_STOCK:,}"}
                    )
                else:
                    item["stock"] = int(row.stock)
            result.append(item)
        return result
