from django.urls import path

from reports.review import views

app_name = "review"

urlpatterns = [
    path("", views.workspace, name="workspace"),
    path("<int:year>/", views.workspace, name="workspace_year"),
    path("<int:year>/bulk/", views.bulk_action, name="bulk"),
    path("reports/<int:pk>/", views.report_review, name="report"),
    path("reports/<int:pk>/start/", views.start_review, name="start"),
    path("reports/<int:pk>/return/", views.return_for_revision, name="return"),
    path("reports/<int:pk>/approve/", views.approve, name="approve"),
    path("reports/<int:pk>/publish/", views.publish, name="publish"),
    path("reports/<int:pk>/withdraw/", views.withdraw, name="withdraw"),
    path("reports/<int:pk>/comments/", views.add_comment, name="comment"),
    path("comments/<int:pk>/reply/", views.reply, name="reply"),
    path("comments/<int:pk>/resolve/", views.resolve, name="resolve"),
]
