"""/admin/ for money. Entries, commissions and settlements are read-only here (the ledger
is append-only); staff handle 提现 through actions that call the services."""

from django import forms
from django.contrib import admin
from django.contrib.admin.helpers import ActionForm
from django.utils.translation import gettext_lazy as _

from core.admin import ReadOnlyAdmin, ReadOnlyInline

from .models import Commission, LedgerEntry, PlatformFeeRate, ShopSettlement, Withdrawal
from .withdrawals import withdrawal_pay, withdrawal_reject


class EntryInline(ReadOnlyInline):
    model = LedgerEntry
    fields = (
        "created_at",
        "kind",
        "bucket",
        "base_fen",
        "commission_fen",
        "fee_fen",
        "net_fen",
        "reason",
        "actor",
    )


@admin.register(LedgerEntry)
class LedgerEntryAdmin(ReadOnlyAdmin):
    list_display = (
        "created_at",
        "creator",
        "source",
        "kind",
        "bucket",
        "commission_fen",
        "fee_fen",
        "net_fen",
        "reason",
    )
    list_filter = ("source", "kind", "bucket")
    list_select_related = ("creator",)
    search_fields = ("creator__douyin_id", "commission__order_no")
    raw_id_fields = ("creator", "commission", "withdrawal", "actor")


@admin.register(Commission)
class CommissionAdmin(ReadOnlyAdmin):
    list_display = (
        "order_no",
        "creator",
        "source",
        "product_title",
        "rate_bp",
        "state",
        "ordered_at",
        "settle_due_at",
    )
    list_filter = ("source", "state")
    list_select_related = ("creator",)
    search_fields = ("order_no", "external_order_no", "creator__douyin_id")
    inlines = [EntryInline]


@admin.register(ShopSettlement)
class ShopSettlementAdmin(ReadOnlyAdmin):
    list_display = (
        "order_no",
        "shop",
        "state",
        "goods_fen",
        "platform_fee_fen",
        "commission_fen",
        "refund_fen",
        "settle_fen",
        "settle_due_at",
    )
    list_filter = ("state",)
    list_select_related = ("shop",)
    search_fields = ("order_no",)


@admin.register(PlatformFeeRate)
class PlatformFeeRateAdmin(admin.ModelAdmin):
    """平台服务费率 per first-level category; new orders' settlements use it."""

    list_display = ("category", "rate_bp", "updated_at")


class RejectActionForm(ActionForm):
    reject_reason = forms.CharField(label=_("驳回原因"), max_length=200, required=False)


@admin.register(Withdrawal)
class WithdrawalAdmin(ReadOnlyAdmin):
    list_display = (
        "requested_at",
        "creator",
        "amount_fen",
        "account",
        "status",
        "decided_at",
        "decided_by",
        "reject_reason",
    )
    list_filter = ("status",)
    list_select_related = ("creator", "decided_by")
    search_fields = ("creator__douyin_id", "creator__nickname", "account")
    action_form = RejectActionForm
    actions = ["pay", "reject"]
    inlines = [EntryInline]
    done_message = _("已处理 %(n)s 笔提现。")

    @admin.action(description=_("已打款"), permissions=["view"])
    def pay(self, request, queryset):
        self.apply_service(request, queryset, withdrawal_pay)

    @admin.action(description=_("驳回（填写驳回原因，金额退回可提现）"), permissions=["view"])
    def reject(self, request, queryset):
        reason = request.POST.get("reject_reason", "")
        self.apply_service(request, queryset, withdrawal_reject, reason=reason)
