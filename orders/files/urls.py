"""订单导出 / 导出记录 / 订单导入 / 定时导出, under orders/files/ in the "orders:files"
namespace (so the 订单管理 section of the sidebar stays lit)."""

from django.urls import path

from . import views

app_name = "files"

urlpatterns = [
    path("export/", views.export_new, name="export"),
    path("exports/", views.export_list, name="exports"),
    path("exports/<int:export_id>/", views.export_detail, name="export_detail"),
    path("exports/<int:export_id>/progress/", views.export_progress, name="export_progress"),
    path("exports/<int:export_id>/download/", views.export_download, name="export_download"),
    path(
        "templates/<int:template_id>/delete/",
        views.export_template_delete,
        name="export_template_delete",
    ),
    path("schedules/", views.schedule_list, name="schedules"),
    path("schedules/<int:schedule_id>/delete/", views.schedule_delete, name="schedule_delete"),
    path("imports/", views.import_list, name="imports"),
    path("imports/<int:import_id>/", views.import_detail, name="import_detail"),
    path("imports/<int:import_id>/mapping/", views.import_mapping, name="import_mapping"),
    path("imports/<int:import_id>/confirm/", views.import_confirm, name="import_confirm"),
    path("imports/<int:import_id>/progress/", views.import_progress, name="import_progress"),
]
