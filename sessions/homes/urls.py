from django.urls import path

from . import views

urlpatterns = [
    path("coordinator/", views.coordinator_home, name="coordinator_home"),
    path("my-sessions/", views.sessions_home, name="sessions_home"),
]
