"""商品 console pages: thin callers of products.services and products.selectors."""

from copy import copy

from django.contrib import messages
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.bounds import MAX_ID, parse_int
from core.filters import chosen
from core.views import form_page, numbered_page, redirect_back, run_form, run_service
from shops.roles import Perm
from shops.tenancy import ContextKind, get_scoped_or_404, scope
from shops.views import console_view

from . import imports, selectors, services
from .filters import ProductFilter
from .forms import (
    ImageUploadForm,
    ImportForm,
    Matrix,
    ProductForm,
    StockAdjustForm,
)
from .models import Product, ProductImage, ProductStatus, Sku
from .resources import export_file

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
    filterset = ProductFilter(request.GET, queryset=selectors.product_list(context=context))
    page = numbered_page(request, filterset.qs, PAGE_SIZE)
    return render(
        request,
        "products/list.html",
        {
            "page": page,
            "filter_form": filterset.form,
            "current_status": chosen(filterset, "status"),
            "counts": _status_counts(context),
            "statuses": ProductStatus,
            "can_edit": context.has_perm(Perm.PRODUCT_EDIT),
            "low_stock": chosen(filterset, "low_stock"),
        },
    )


def _show_refusal(exc, form, matrix) -> None:
    """A refused save: the reason above the matrix, and on each form field it names."""
    matrix.errors.append(str(exc.message))
    for name, errors in exc.fields.items():
        if name in form.fields:
            for error in errors:
                form.add_error(name, error)


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
            publish = "publish" in request.POST

            # One service call, one transaction: a refused 上架 saves nothing, so
            # submitting the re-shown form again cannot make a second draft.
            def save():
                if product is None:
                    return services.product_create(
                        context=context,
                        specs=matrix.specs,
                        rows=rows,
                        publish=publish,
                        **form.cleaned_data,
                    )
                return services.product_update(
                    context=context,
                    product_id=product.pk,
                    data=form.cleaned_data,
                    specs=matrix.specs,
                    rows=rows,
                    publish=publish,
                )

            ran, saved = run_service(
                request,
                save,
                success=_("商品已保存并上架。") if publish else _("商品已保存。"),
                on_error=lambda exc: _show_refusal(exc, form, matrix),
            )
            if ran:
                return redirect("products:detail", product_id=saved.pk)
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
    label = _("上架") if action == "publish" else _("下架")
    run_service(
        request,
        lambda: service(context=request.console, product_id=product_id),
        success=lambda product: (
            _("“%(title)s”已%(label)s。") % {"title": product.title, "label": label}
        ),
    )
    return redirect_back(request, reverse("products:detail", args=[product_id]))


@console_view(ContextKind.SHOP, perm=Perm.PRODUCT_EDIT)
@require_POST
def product_bulk(request):
    ids = [n for n in (parse_int(i, maximum=MAX_ID) for i in request.POST.getlist("ids")) if n]
    action = request.POST.get("action", "")
    if not ids:
        messages.error(request, _("请先勾选商品。"))
    else:
        ran, result = run_service(
            request,
            lambda: services.product_bulk_set_status(
                context=request.console, product_ids=ids, action=action
            ),
        )
        if ran:
            label = _("上架") if action == "publish" else _("下架")
            if result.done:
                messages.success(
                    request,
                    _("已%(label)s %(n)s 个商品。") % {"label": label, "n": len(result.done)},
                )
            for reason in result.refused:
                messages.warning(request, reason)
    return redirect_back(request, reverse("products:list"))


@console_view(ContextKind.SHOP, perm=Perm.STOCK_ADJUST)
def stock_adjust(request, sku_id: int):
    context = request.console
    sku = get_scoped_or_404(Sku.objects.select_related("product"), context, pk=sku_id)
    return form_page(
        request,
        StockAdjustForm(request.POST or None),
        lambda data: services.sku_adjust_stock(context=context, sku_id=sku.pk, **data),
        success=_("库存已调整。"),
        to=reverse("products:detail", args=[sku.product_id]),
        template="products/stock_adjust.html",
        context={
            "sku": sku,
            "moves": selectors.stock_moves(context=context, sku_id=sku.pk)[:HISTORY_SIZE],
        },
    )


@console_view(ContextKind.SHOP, perm=Perm.PRODUCT_EDIT)
@require_POST
def image_upload(request, product_id: int):
    get_scoped_or_404(Product.objects.all(), request.console, pk=product_id)
    run_form(
        request,
        ImageUploadForm(request.POST, request.FILES),
        lambda data: services.product_image_add(
            context=request.console, product_id=product_id, upload=data["image"]
        ),
        success=_("主图已上传。"),
        invalid=_("请选择要上传的图片。"),
    )
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
    products = ProductFilter(request.GET, queryset=scope(Product.objects.all(), context)).qs
    fmt = "xlsx" if request.GET.get("format") == "xlsx" else "csv"
    content = export_file(selectors.export_skus(context=context, products=products), fmt)
    stamp = timezone.localtime().strftime("%Y%m%d%H%M")
    if fmt == "xlsx":
        content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    else:
        content_type = "text/csv; charset=utf-8"
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="products-{stamp}.{fmt}"'
    return response


@console_view(ContextKind.SHOP, perm=Perm.PRODUCT_EDIT)
def product_import(request):
    context = request.console
    form = ImportForm(request.POST or None, request.FILES or None)
    ran, preview = run_form(
        request,
        form,
        lambda data: imports.import_preview(
            context=context, content=data["file"].read(), filename=data["file"].name
        ),
        field="file",
    )
    if ran:
        request.session[imports.SESSION_KEY] = imports.stash(
            context=context, content=preview.content, filename=form.cleaned_data["file"].name
        )
    return render(request, "products/import.html", {"form": form, "preview": preview})


@console_view(ContextKind.SHOP, perm=Perm.PRODUCT_EDIT)
@require_POST
def product_import_confirm(request):
    context = request.console
    stashed = request.session.pop(imports.SESSION_KEY, None)
    ran, _summary = run_service(
        request,
        lambda: imports.import_confirm(context=context, stashed=stashed),
        success=lambda summary: (
            _("导入完成：新增 %(new)s 个 SKU，更新 %(update)s 个，无变化 %(skip)s 个。") % summary
        ),
    )
    return redirect("products:list" if ran else "products:import")
