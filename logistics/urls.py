from django.urls import path

from . import views
from .batch import views as batch_views

app_name = "logistics"

urlpatterns = [
    path("", views.to_ship, name="to_ship"),
    path("merge/", views.merge_ship, name="merge_ship"),
    path("multi/", views.multi_ship, name="multi_ship"),
    path("orders/<int:order_id>/ship/", views.order_ship, name="order_ship"),
    path("aftersales/<int:aftersale_id>/ship/", views.exchange_ship, name="exchange_ship"),
    path("shipments/", views.shipment_list, name="shipments"),
    path("shipments/<int:shipment_id>/correct/", views.shipment_correct, name="shipment_correct"),
    path("print/", views.waybill_print, name="print"),
    path("prints/", views.print_records, name="prints"),
    path("tracking/push/", views.tracking_push, name="tracking_push"),
    path("batch/", batch_views.batch, name="batch"),
    path("batch/template/<str:fmt>/", batch_views.batch_template, name="batch_template"),
    path("batch/to-ship/<str:fmt>/", batch_views.batch_to_ship, name="batch_to_ship"),
    path("batch/<int:batch_id>/", batch_views.batch_detail, name="batch_detail"),
    path("batch/<int:batch_id>/confirm/", batch_views.batch_confirm, name="batch_confirm"),
    path("batch/<int:batch_id>/progress/", batch_views.batch_progress, name="batch_progress"),
    path("batch/<int:batch_id>/report/<str:fmt>/", batch_views.batch_report, name="batch_report"),
]
