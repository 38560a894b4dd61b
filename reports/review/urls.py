from django.urls import path

from reports.review import views

app_name = "review"

urlpatterns = [
    path("", views.workspace, name="workspace"),
    path("<int:year>/", views.workspace, name="workspace_year"),
    path("reports/<int:pk>/", views.report_review, name="report"),
    path("reports/<int:pk>/comments/", views.add_comment, name="comment"),
    path("comments/<int:pk>/reply/", views.reply, name="reply"),
    path("comments/<int:pk>/resolve/", views.resolve, name="resolve"),
]
