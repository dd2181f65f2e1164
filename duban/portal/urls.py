from django.urls import path

from . import views

app_name = "portal"

urlpatterns = [
    path("", views.index, name="index"),
    path("e/<int:pk>/", views.entry, name="entry"),
    path("e/<int:pk>/opinion/", views.opinion, name="opinion"),
    path("api/entries.json", views.api_entries, name="api_entries"),
    path("api/entries/<int:pk>.json", views.api_entry, name="api_entry"),
    path("rate/<str:token>/", views.rate, name="rate"),
]
