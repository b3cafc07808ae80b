"""商品 console pages: thin callers of products.services and products.selectors."""

from copy import copy

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.exceptions import DomainError
from shops.roles import Perm
from shops.tenancy import ContextKind, get_scoped_or_404, scope
from shops.views import console_view

from . import imports, selectors, services
from .forms import (
    ImageUploadForm,
    ImportForm,
    Matrix,
    ProductFilterForm,
    ProductForm,
    StockAdjustForm,
)
from .models import Product, ProductImage, ProductStatus, Sku
from .resources import export_dataset

PAGE_SIZE = 20
HISTORY_SIZE = 50

shop_view = console_view(ContextKind.SHOP)


def _status_counts(context) -> dict:
    rows = scope(Product.objects.all(), context).values("status").annotate(n=Count("id"))
    counts = {row["status"]: row["n"] for row in rows}
    return {"all": sum(counts.values()), **{s.value: counts.get(s.value, 0) for s in ProductStatus}}


@shop_view
def product_list(request):
    context = request.console
    filter_form = ProductFilterForm(request.GET or None)
    filters = filter_form.filters()
    page = Paginator(selectors.product_list(context=context, **filters), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    query = request.GET.copy()
    query.pop("page", None)
    status_query = request.GET.copy()
    for key in ("page", "status"):
        status_query.pop(key, None)
    return render(
        request,
        "products/list.html",
        {
            "page": page,
            "filter_form": filter_form,
            "query": query.urlencode(),
            "status_query": status_query.urlencode(),
            "current_status": filters.get("status"),
            "counts": _status_counts(context),
            "statuses": ProductStatus,
            "can_edit": context.has_perm(Perm.PRODUCT_EDIT),
            "low_stock": filters.get("low_stock"),
        },
    )


def _editor(request, *, product=None):
    context = request.console
    form = ProductForm(request.POST or None, instance=copy(product) if product else None)
    if product is None:
        matrix = Matrix()
    else:
        matrix = Matrix.from_skus(
            services.current_specs(product), list(product.skus.filter(is_active=True))
        )
    if request.method == "POST":
        matrix = Matrix.from_post(request.POST)
        rows = matrix.service_rows()
        if form.is_valid() and not matrix.errors:
            try:
                if product is None:
                    product = services.product_create(
                        context=context, specs=matrix.specs, rows=rows, **form.cleaned_data
                    )
                else:
                    services.product_update(
                        context=context,
                        product_id=product.pk,
                        data=form.cleaned_data,
                        specs=matrix.specs,
                        rows=rows,
                    )
                if "publish" in request.POST:
                    services.product_publish(context=context, product_id=product.pk)
            except DomainError as exc:
                matrix.errors.append(str(exc.message))
                for name, errors in exc.fields.items():
                    if name in form.fields:
                        for error in errors:
                            form.add_error(name, error)
            else:
                messages.success(
                    request,
                    _("商品已保存并上架。") if "publish" in request.POST else _("商品已保存。"),
                )
                return redirect("products:detail", product_id=product.pk)
    return render(
        request,
        "products/edit.html",
        {
            "form": form,
            "matrix": matrix,
            "product": product,
            "can_price": context.has_perm(Perm.PRODUCT_PRICE_EDIT),
            "can_stock": context.has_perm(Perm.STOCK_ADJUST),
        },
    )


@console_view(ContextKind.SHOP, perm=Perm.PRODUCT_EDIT)
def product_create(request):
    return _editor(request)


@console_view(ContextKind.SHOP, perm=Perm.PRODUCT_EDIT)
def product_edit(request, product_id: int):
    product = get_scoped_or_404(Product.objects.all(), request.console, pk=product_id)
    return _editor(request, product=product)


@shop_view
def product_detail(request, product_id: int):
    context = request.console
    product = selectors.product_detail(context=context, product_id=product_id)
    return render(
        request,
        "products/detail.html",
        {
            "product": product,
            "moves": selectors.stock_moves(context=context, product_id=product.pk)[:HISTORY_SIZE],
            "image_form": ImageUploadForm(),
            "problems": services.publish_problems(product)
            if product.status != ProductStatus.ON_SALE
            else [],
            "can_edit": context.has_perm(Perm.PRODUCT_EDIT),
            "can_stock": context.has_perm(Perm.STOCK_ADJUST),
            "statuses": ProductStatus,
        },
    )


@console_view(ContextKind.SHOP, perm=Perm.PRODUCT_EDIT)
@require_POST
def product_set_status(request, product_id: int, action: str):
    service = {"publish": services.product_publish, "unpublish": services.product_unpublish}[action]
    try:
        product = service(context=request.console, product_id=product_id)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        label = _("上架") if action == "publish" else _("下架")
        messages.success(
            request, _("“%(title)s”已%(label)s。") % {"title": product.title, "label": label}
        )
    if request.POST.get("next") == "list":
        return redirect(_back_to_list(request))
    return redirect("products:detail", product_id=product_id)


@console_view(ContextKind.SHOP, perm=Perm.PRODUCT_EDIT)
@require_POST
def product_bulk(request):
    ids = [int(i) for i in request.POST.getlist("ids") if i.isdigit()]
    action = request.POST.get("action", "")
    if not ids:
        messages.error(request, _("请先勾选商品。"))
    else:
        try:
            result = services.product_bulk_set_status(
                context=request.console, product_ids=ids, action=action
            )
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            label = _("上架") if action == "publish" else _("下架")
            if result.done:
                messages.success(
                    request,
                    _("已%(label)s %(n)s 个商品。") % {"label": label, "n": len(result.done)},
                )
            for reason in result.refused:
                messages.warning(request, reason)
    return redirect(_back_to_list(request))


def _back_to_list(request) -> str:
    query = request.POST.get("query", "")
    return reverse("products:list") + (f"?{query}" if query else "")


@console_view(ContextKind.SHOP, perm=Perm.STOCK_ADJUST)
def stock_adjust(request, sku_id: int):
    context = request.console
    sku = get_scoped_or_404(Sku.objects.select_related("product"), context, pk=sku_id)
    form = StockAdjustForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.sku_adjust_stock(context=context, sku_id=sku.pk, **form.cleaned_data)
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("库存已调整。"))
            return redirect("products:detail", product_id=sku.product_id)
    return render(
        request,
        "products/stock_adjust.html",
        {
            "form": form,
            "sku": sku,
            "moves": selectors.stock_moves(context=context, sku_id=sku.pk)[:HISTORY_SIZE],
        },
    )


@console_view(ContextKind.SHOP, perm=Perm.PRODUCT_EDIT)
@require_POST
def image_upload(request, product_id: int):
    get_scoped_or_404(Product.objects.all(), request.console, pk=product_id)
    form = ImageUploadForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.product_image_add(
                context=request.console, product_id=product_id, upload=form.cleaned_data["image"]
            )
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("主图已上传。"))
    else:
        messages.error(request, _("请选择要上传的图片。"))
    return redirect("products:detail", product_id=product_id)


@console_view(ContextKind.SHOP, perm=Perm.PRODUCT_EDIT)
@require_POST
def image_remove(request, image_id: int):
    image = get_scoped_or_404(ProductImage.objects.all(), request.console, pk=image_id)
    services.product_image_remove(context=request.console, image_id=image.pk)
    messages.success(request, _("主图已删除。"))
    return redirect("products:detail", product_id=image.product_id)


@shop_view
def product_export(request):
    context = request.console
    filters = ProductFilterForm(request.GET or None).filters()
    fmt = "xlsx" if request.GET.get("format") == "xlsx" else "csv"
    dataset = export_dataset(selectors.export_skus(context=context, **filters))
    stamp = timezone.localtime().strftime("%Y%m%d%H%M")
    if fmt == "xlsx":
        content = dataset.export("xlsx")
        content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    else:
        # BOM so Excel opens the UTF-8 file with Chinese intact.
        content = "\ufeff" + dataset.export("csv")
        content_type = "text/csv; charset=utf-8"
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="products-{stamp}.{fmt}"'
    return response


@console_view(ContextKind.SHOP, perm=Perm.PRODUCT_EDIT)
def product_import(request):
    context = request.console
    form = ImportForm(request.POST or None, request.FILES or None)
    preview = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            preview = imports.import_preview(
                context=context, content=upload.read(), filename=upload.name
            )
        except DomainError as exc:
            form.add_error("file", exc.message)
        else:
            request.session[imports.SESSION_KEY] = imports.stash(
                context=context, content=preview.content, filename=upload.name
            )
    return render(request, "products/import.html", {"form": form, "preview": preview})


@console_view(ContextKind.SHOP, perm=Perm.PRODUCT_EDIT)
@require_POST
def product_import_confirm(request):
    context = request.console
    stashed = request.session.pop(imports.SESSION_KEY, None)
    try:
        summary = imports.import_confirm(context=context, stashed=stashed)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("products:import")
    messages.success(
        request,
        _("导入完成：新增 %(new)s 个 SKU，更新 %(update)s 个，无变化 %(skip)s 个。") % summary,
    )
    return redirect("products:list")
