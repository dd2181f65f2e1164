from django.urls import path

from . import views

app_name = "circulars"

urlpatterns = [
    path("", views.circular_list, name="list"),
    path("new/", views.circular_create, name="create"),
    path("<int:circular_id>/", views.circular_detail, name="detail"),
    path("<int:circular_id>/circular.docx", views.circular_download, {"fmt": "docx"}, name="docx"),
    path("<int:circular_id>/circular.xlsx", views.circular_download, {"fmt": "xlsx"}, name="xlsx"),
    path("<int:circular_id>/mentions/<int:mention_id>/delete/", views.mention_delete, name="mention_delete"),
    path("<int:circular_id>/<str:action>/", views.circular_action, name="action"),
]
