from django.urls import path

from . import views

urlpatterns = [
    path("accountability/", views.overview, name="accountability"),
    path("units/<int:unit_id>/year/<int:year>/", views.unit_year, name="unit_year"),
    path("sanctions/<int:sanction_id>/fulfil/", views.sanction_fulfil, name="sanction_fulfil"),
]
