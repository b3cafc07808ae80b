"""Every write to the catalogue, split by concern: products (catalogue), specs and the
SKU matrix (specs), status (status), stock (stock) and main images (images). Callers
import the services from here: `from products import services`."""

from .catalogue import PRODUCT_FIELDS, product_create, product_record_sales, product_update
from .images import product_image_add, product_image_remove
from .specs import (
    MAX_SKUS,
    MAX_SPEC_VALUES,
    MAX_SPECS,
    current_specs,
    product_save_matrix,
    product_set_specs,
    sku_update,
    spec_combinations,
    spec_text_of,
)
from .status import (
    ACTION_LABELS,
    MACHINES,
    TRANSITIONS,
    BulkResult,
    product_ban,
    product_bulk_set_status,
    product_publish,
    product_unban,
    product_unpublish,
    publish_problems,
)
from .stock import sku_adjust_stock, sku_label, sku_release_stock, sku_reserve_stock, sku_set_stock

__all__ = [
    "ACTION_LABELS",
    "MACHINES",
    "MAX_SKUS",
    "MAX_SPECS",
    "MAX_SPEC_VALUES",
    "PRODUCT_FIELDS",
    "TRANSITIONS",
    "BulkResult",
    "current_specs",
    "product_ban",
    "product_bulk_set_status",
    "product_create",
    "product_image_add",
    "product_image_remove",
    "product_publish",
    "product_record_sales",
    "product_save_matrix",
    "product_set_specs",
    "product_unban",
    "product_unpublish",
    "product_update",
    "publish_problems",
    "sku_adjust_stock",
    "sku_label",
    "sku_release_stock",
    "sku_reserve_stock",
    "sku_set_stock",
    "sku_update",
    "spec_combinations",
    "spec_text_of",
]
