from django.urls import path

from reach.beacon import record_read

from . import views

# Language-neutral URLs; the pages themselves live under /<language>/ (config/urls.py).
urlpatterns = [
    path("", views.root_redirect, name="root_redirect"),
    path("robots.txt", views.robots_txt, name="robots_txt"),
    path("sitemap.xml", views.sitemap, name="sitemap"),
    path("news-sitemap.xml", views.news_sitemap, name="news_sitemap"),
    path("reads/", record_read, name="record_read"),
]
