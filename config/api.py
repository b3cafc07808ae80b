"""API conventions shared by every app: one error body shape."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from core.exceptions import DomainError, NotFound, PermissionRefused


def _flatten(detail):
    if isinstance(detail, dict):
        return {key: _flatten(value) for key, value in detail.items()}
    if isinstance(detail, list):
        return [
            str(item) if not isinstance(item, dict | list) else _flatten(item) for item in detail
        ]
    return str(detail)


def _domain_status(exc: DomainError) -> int:
    if isinstance(exc, PermissionRefused):
        return status.HTTP_403_FORBIDDEN
    if isinstance(exc, NotFound):
        return status.HTTP_404_NOT_FOUND
    return status.HTTP_400_BAD_REQUEST


def exception_handler(exc, context):
    """Answer every error as {"code", "message", "fields"}.

    Domain errors from services become 400 with their readable message, except a
    refused permission (403) and an object out of reach (404); Django's
    ValidationError (from full_clean in a service) becomes 400 with its fields.
    """
    if isinstance(exc, DomainError):
        return Response(
            {"code": exc.code, "message": str(exc.message), "fields": exc.fields},
            status=_domain_status(exc),
        )
    if isinstance(exc, DjangoValidationError):
        fields = _flatten(exc.message_dict) if hasattr(exc, "error_dict") else {}
        message = "; ".join(str(m) for m in exc.messages)
        return Response(
            {"code": "invalid", "message": message, "fields": fields},
            status=status.HTTP_400_BAD_REQUEST,
        )
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()

    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        detail = exc.detail
        fields = _flatten(detail) if isinstance(detail, dict) else {}
        non_field = fields.pop("non_field_errors", None) if fields else None
        if isinstance(detail, list):
            message = "; ".join(str(d) for d in detail)
        elif non_field:
            message = "; ".join(non_field)
        else:
            message = str(exceptions.ValidationError.default_detail)
        response.data = {"code": "invalid", "message": message, "fields": fields}
    elif isinstance(exc, exceptions.APIException):
        codes = exc.get_codes()
        code = codes if isinstance(codes, str) else "error"
        response.data = {"code": code, "message": _flatten(exc.detail), "fields": {}}
    return response
