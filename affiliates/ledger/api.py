"""Money in the API: the creator's income (summary, entries, withdrawals) and the shop's
settlement (资金), through the same selectors and services as the console."""

from collections.abc import Callable

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view, inline_serializer
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.response import Response
from rest_framework.views import APIView

from orders.api import KeysetPagination
from shops.api import ConsoleAPIMixin, ShopPermission, valid_body
from shops.roles import Perm
from shops.tenancy import ContextKind

from . import selectors
from .models import IncomeSource, LedgerEntry, SettlementState, ShopSettlement, Withdrawal
from .selectors import ENTRY_SORT, ENTRY_STATES, SETTLEMENT_SORT
from .withdrawals import withdrawal_request

STATE_KEYS = list(ENTRY_STATES)


def _totals_serializer(name):
    return inline_serializer(name, {f"{key}_fen": serializers.IntegerField() for key in STATE_KEYS})


class IncomeSummarySerializer(serializers.Serializer):
    estimated_fen = serializers.IntegerField()
    pending_fen = serializers.IntegerField()
    settled_fen = serializers.IntegerField()
    invalid_fen = serializers.IntegerField()
    withdrawable_fen = serializers.IntegerField()
    by_source = inline_serializer(
        "IncomeBySource",
        {source: _totals_serializer(f"IncomeTotals_{source}") for source in IncomeSource.values},
    )


class EntrySerializer(serializers.ModelSerializer):
    order_no = serializers.CharField(source="commission.order_no", default="")
    item_no = serializers.CharField(source="commission.external_order_no", default="")
    product_title = serializers.CharField(source="commission.product_title", default="")

    class Meta:
        model = LedgerEntry
        fields = [
            "id",
            "created_at",
            "source",
            "kind",
            "bucket",
            "commission",
            "withdrawal",
            "order_no",
            "item_no",
            "product_title",
            "ordered_at",
            "base_fen",
            "commission_fen",
            "fee_fen",
            "net_fen",
            "reason",
        ]


class EntryQuerySerializer(serializers.Serializer):
    state = serializers.ChoiceField(choices=STATE_KEYS, required=False, default="")
    source = serializers.ChoiceField(choices=IncomeSource.values, required=False, default="")
    start = serializers.DateField(required=False, default=None, help_text="下单日期从（北京时间）")
    end = serializers.DateField(required=False, default=None)
    order_no = serializers.CharField(required=False, default="")
    product = serializers.CharField(required=False, default="")


class WithdrawalSerializer(serializers.ModelSerializer):
    class Meta:
        model = Withdrawal
        read_only_fields = ["status", "reject_reason", "requested_at", "decided_at"]
        fields = ["id", "amount_fen", "account", *read_only_fields]


class SettlementSerializer(serializers.ModelSerializer):
    class Meta:
        model = ShopSettlement
        fields = [
            "id",
            "order",
            "order_no",
            "state",
            *selectors.SETTLEMENT_SUMS,
            "paid_at",
            "completed_at",
            "settle_due_at",
            "settled_at",
        ]


class SettlementQuerySerializer(serializers.Serializer):
    state = serializers.ChoiceField(choices=SettlementState.values, required=False, default=None)
    start = serializers.DateField(required=False, default=None, help_text="支付日期从（北京时间）")
    end = serializers.DateField(required=False, default=None)


def _query(serializer_class, request) -> dict:
    query = serializer_class(data=request.query_params)
    query.is_valid(raise_exception=True)
    return query.validated_data


class CreatorMoneyMixin(ConsoleAPIMixin):
    console_kind = ContextKind.CREATOR


class IncomeSummaryView(CreatorMoneyMixin, APIView):
    """佣金收入 totals of all time (net of the technical service fee), and per source."""

    @extend_schema(responses=IncomeSummarySerializer)
    def get(self, request):
        return Response(selectors.income_summary(context=self.console))


class SelectorListViewSet(ConsoleAPIMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    """A keyset-paged list read by a selector: `query_serializer` checks the query string
    (and is the list's OpenAPI parameters), the selector `select(context=..., **query)`
    returns the rows, already scoped to the console."""

    pagination_class = KeysetPagination
    filter_backends = []
    query_serializer: type[serializers.Serializer]
    select: Callable[..., QuerySet]

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        extend_schema_view(list=extend_schema(parameters=[cls.query_serializer]))(cls)

    def get_queryset(self):
        return self.select(context=self.console, **_query(self.query_serializer, self.request))


class IncomeEntryViewSet(CreatorMoneyMixin, SelectorListViewSet):
    """The ledger entries behind the totals, newest first (keyset pages)."""

    serializer_class = EntrySerializer
    query_serializer = EntryQuerySerializer
    keyset_sorts = {"created": ENTRY_SORT}
    select = staticmethod(selectors.entry_list)


class WithdrawalViewSet(
    CreatorMoneyMixin, mixins.ListModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    """提现: ask for settled 精选联盟 income (held at once); platform staff decide."""

    queryset = Withdrawal.objects.all()
    serializer_class = WithdrawalSerializer

    def get_queryset(self):
        return selectors.withdrawal_list(context=self.console)

    def create(self, request, *args, **kwargs):
        data = valid_body(self.get_serializer_class(), request)
        withdrawal = withdrawal_request(
            context=self.console, amount_fen=data["amount_fen"], account=data["account"]
        )
        return Response(WithdrawalSerializer(withdrawal).data, status=status.HTTP_201_CREATED)


class ShopMoneyMixin(ConsoleAPIMixin):
    permission_classes = [permissions.IsAuthenticated, ShopPermission]
    required_perms = {"get": Perm.FUNDS_VIEW, "list": Perm.FUNDS_VIEW}


class SettlementSummaryView(ShopMoneyMixin, APIView):
    """资金: the breakdown summed over orders paid in [start, end] (all time without)."""

    @extend_schema(
        parameters=[SettlementQuerySerializer],
        responses=inline_serializer(
            "SettlementSummary",
            {
                key: serializers.IntegerField()
                for key in ("orders", *selectors.SETTLEMENT_SUMS, "pending_fen", "settled_fen")
            },
        ),
    )
    def get(self, request):
        data = _query(SettlementQuerySerializer, request)
        return Response(
            selectors.settlement_totals(context=self.console, start=data["start"], end=data["end"])
        )


class SettlementViewSet(ShopMoneyMixin, SelectorListViewSet):
    """Per-order settlements of the shop, newest payment first (keyset pages)."""

    serializer_class = SettlementSerializer
    query_serializer = SettlementQuerySerializer
    keyset_sorts = {"paid": SETTLEMENT_SORT}
    select = staticmethod(selectors.settlement_list)
