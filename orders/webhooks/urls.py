from django.urls import path

from . import views

app_name = "webhooks"

urlpatterns = [
    path("", views.endpoint_list, name="list"),
    path("<int:endpoint_id>/", views.endpoint_detail, name="detail"),
    path("<int:endpoint_id>/pause/", views.endpoint_pause, name="pause"),
    path("<int:endpoint_id>/resume/", views.endpoint_resume, name="resume"),
    path("<int:endpoint_id>/test/", views.endpoint_test, name="test"),
    path("deliveries/<int:delivery_id>/redeliver/", views.delivery_redeliver, name="redeliver"),
]
