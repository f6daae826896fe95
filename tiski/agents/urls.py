from django.urls import path

from tiski.agents import views

urlpatterns = [
    path("login/", views.login_view, name="login"),
    path("logout/", views.logout_view, name="logout"),
    path("preferences/", views.preferences_view, name="preferences"),
    path("availability/", views.availability_view, name="availability"),
]
