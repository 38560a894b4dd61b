from django.urls import path

from reports.workflow import views

app_name = "workflow"

urlpatterns = [
    path("work/reports/<int:pk>/submit/", views.submit, name="submit"),
    path("work/reports/<int:pk>/sign-off/", views.sign_off, name="sign_off"),
    path("work/reports/<int:pk>/decline-sign-off/", views.decline_sign_off, name="decline_sign_off"),
    path("work/reports/<int:pk>/correct/", views.start_correction, name="correct"),
    path("review/<int:year>/bulk/", views.bulk_action, name="bulk"),
    path("review/reports/<int:pk>/start/", views.start_review, name="start_review"),
    path("review/reports/<int:pk>/return/", views.return_for_revision, name="return"),
    path("review/reports/<int:pk>/approve/", views.approve, name="approve"),
    path("review/reports/<int:pk>/publish/", views.publish, name="publish"),
    path("review/reports/<int:pk>/withdraw/", views.withdraw, name="withdraw"),
]
