"""Addresses that sections, authors and tags had before the desk renamed
or moved them. Each leads straight to its owner, so an old link answers
with one redirect to wherever the owner lives now, however often it moved
since. A live address always wins over a recorded one."""

from django.db import models
from taggit.models import Tag

from .content import Author, Section


class SectionAddress(models.Model):
    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="old_addresses")
    path = models.CharField(max_length=255, unique=True)

    class Meta:
        verbose_name_plural = "section addresses"

    def __str__(self):
        return f"/{self.path}/"


class AuthorAddress(models.Model):
    author = models.ForeignKey(Author, on_delete=models.CASCADE, related_name="old_addresses")
    slug = models.SlugField(max_length=150, unique=True)

    class Meta:
        verbose_name_plural = "author addresses"

    def __str__(self):
        return self.slug


class TagAddress(models.Model):
    tag = models.ForeignKey(Tag, on_delete=models.CASCADE, related_name="old_addresses")
    slug = models.SlugField(max_length=100, unique=True, allow_unicode=True)

    class Meta:
        verbose_name_plural = "tag addresses"

    def __str__(self):
        return self.slug
