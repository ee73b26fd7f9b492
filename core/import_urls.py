"""The admin's spreadsheet import, mounted at admin/import/ (before the admin's own URLs)."""

from django.contrib import admin
from django.urls import path

from .admin_import import import_view

urlpatterns = [path("", admin.site.admin_view(import_view), name="admin-import")]
