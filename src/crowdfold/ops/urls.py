from django.urls import path
from django.views.decorators.csrf import csrf_exempt

from crowdfold.ops import views

urlpatterns = [
    # Signed token instead of a session: one-click unsubscribe (RFC 8058) has no CSRF token.
    path(
        "account/unsubscribe/<str:token>/", csrf_exempt(views.unsubscribe_view), name="unsubscribe"
    ),
    path("uploads/<path:path>", views.upload_view, name="upload"),
]
