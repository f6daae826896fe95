from django.urls import path

from tiski.chat import views

urlpatterns = [
    path("chat/session", views.session, name="chat-session"),
    path("chat/upload", views.upload, name="chat-upload"),
    path("demo/shop/<slug:slug>/", views.demo_shop, name="demo-shop"),
    path("chat/files/<str:signed>/<str:filename>", views.visitor_file, name="chat-file"),
]
