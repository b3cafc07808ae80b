"""Union reports in the API: `POST /api/v1/income/reports/preview/` (multipart `source`,
`file`) answers the preview and a `token`; `POST /api/v1/income/reports/` with that
token imports exactly the previewed file, all or nothing."""

from django.core import signing
from django.core.files.storage import default_storage
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from shops.api import valid_body

from .api import CreatorMoneyMixin
from .models import IncomeSource
from .report_import import (
    MAX_BYTES,
    ReportRejected,
    report_import,
    report_preview,
    report_stash,
)

TOKEN_SALT = "affiliates.report"
TOKEN_MAX_AGE = 60 * 60


class ReportUploadSerializer(serializers.Serializer):
    source = serializers.ChoiceField(choices=[IncomeSource.TAOBAO, IncomeSource.JD])
    file = serializers.FileField()

    def validate_file(self, upload):
        if upload.size > MAX_BYTES:
            raise serializers.ValidationError(_("文件不能超过 10 MB。"))
        return upload


class ReportConfirmSerializer(serializers.Serializer):
    token = serializers.CharField()


_ERROR = inline_serializer(
    "ReportRowError",
    {
        "row": serializers.IntegerField(),
        "column": serializers.CharField(),
        "message": serializers.CharField(),
    },
    many=True,
)
ReportOutcomeSerializer = inline_serializer(
    "ReportOutcome",
    {
        "rows": serializers.IntegerField(),
        "new": serializers.IntegerField(),
        "updated": serializers.IntegerField(),
        "unchanged": serializers.IntegerField(),
        "errors": serializers.IntegerField(),
        "estimated_fen": serializers.IntegerField(),
        "settled_fen": serializers.IntegerField(),
        "error_rows": _ERROR,
        "notes": serializers.ListField(child=serializers.CharField()),
        "token": serializers.CharField(required=False),
    },
)


def _body(outcome) -> dict:
    return {
        **outcome.as_json(),
        "error_rows": [
            {"row": e.row, "column": str(e.column), "message": str(e.message)}
            for e in outcome.errors
        ],
        "notes": [str(note) for note in outcome.notes],
    }


class ReportPreviewView(CreatorMoneyMixin, APIView):
    parser_classes = [MultiPartParser]

    @extend_schema(request=ReportUploadSerializer, responses=ReportOutcomeSerializer)
    def post(self, request):
        data = valid_body(ReportUploadSerializer, request)
        creator = self.console.creator
        content = data["file"].read()
        source = data["source"]
        outcome = report_preview(creator=creator, source=source, content=content)
        body = _body(outcome)
        if not outcome.errors:
            stashed = report_stash(creator.pk, source, content, data["file"].name)
            body["token"] = signing.dumps(stashed, salt=TOKEN_SALT)
        return Response(body)


class ReportImportView(CreatorMoneyMixin, APIView):
    @extend_schema(request=ReportConfirmSerializer, responses={201: ReportOutcomeSerializer})
    def post(self, request):
        token = valid_body(ReportConfirmSerializer, request)["token"]
        creator = self.console.creator
        try:
            stashed = signing.loads(token, salt=TOKEN_SALT, max_age=TOKEN_MAX_AGE)
        except signing.BadSignature as exc:
            raise ValidationError({"token": [_("预览已失效，请重新上传报表。")]}) from exc
        if stashed.get("creator_id") != creator.pk or not default_storage.exists(stashed["path"]):
            raise ValidationError({"token": [_("预览已失效，请重新上传报表。")]})
        with default_storage.open(stashed["path"], "rb") as handle:
            content = handle.read()
        try:
            outcome = report_import(
                creator=creator, source=stashed["source"], content=content, actor=request.user
            )
        except ReportRejected as exc:
            return Response(
                {"code": exc.code, "message": str(exc.message), "fields": exc.fields,
                 **_body(exc.outcome)},
                status=status.HTTP_400_BAD_REQUEST,
            )  # fmt: skip
        default_storage.delete(stashed["path"])
        return Response(_body(outcome), status=status.HTTP_201_CREATED)
