from django.urls import path

from . import report_views, views

# Part of the affiliates namespace (affiliates/urls.py adds them).
urlpatterns = [
    path("income/", views.income, name="income"),
    path("income/entries/", views.income_entries, name="income_entries"),
    path("income/orders/<int:order_id>/", views.income_order, name="income_order"),
    path("income/withdrawals/", views.withdrawals, name="income_withdrawals"),
    path("income/reports/", report_views.report_upload, name="income_reports"),
    path("income/reports/confirm/", report_views.report_confirm, name="income_reports_confirm"),
    path("funds/", views.funds, name="funds"),
]
