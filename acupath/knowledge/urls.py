from django.urls import path

from acupath.knowledge import views

app_name = "knowledge"
urlpatterns = [
    path("", views.point_list, name="point_list"),
    path("chart/", views.body_chart_page, name="body_chart"),
    path("channels/<str:code>/", views.channel_detail, name="channel_detail"),
    path("<str:code>/", views.point_detail, name="point_detail"),
]
