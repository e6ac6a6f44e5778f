from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "articles"
    verbose_name = "Newsroom"

    def ready(self):
        from django.db.models.signals import post_delete

        from . import services
        from .models import Image

        # However a picture is deleted (the library's form, a list action),
        # its files go with it.
        post_delete.connect(
            lambda instance, **kwargs: services.image_files_remove(image=instance),
            sender=Image,
            weak=False,
            dispatch_uid="image_files_remove",
        )
