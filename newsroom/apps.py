from django.contrib.admin.apps import AdminConfig


class DeskAdminConfig(AdminConfig):
    """The admin, with the desk dashboard as its front page."""

    default_site = "articles.desk.DeskAdminSite"
