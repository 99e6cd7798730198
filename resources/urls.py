from django.urls import path

from . import views

urlpatterns = [
    path("resources/", views.library, name="resource_library"),
    path("resources/review/", views.due_for_review, name="resources_due_for_review"),
    path("resources/<int:resource_id>/review/", views.resource_review, name="resource_review"),
]
