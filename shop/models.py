"""Abstract models shared by the apps (``shop`` itself has no tables)."""

from django.db import models


class UploadedImageModel(models.Model):
    """A row holding one uploaded image in its ``image`` field (declared by the subclass).

    ``width``/``height`` are filled by the ImageField (``width_field``/``height_field``) and
    ``content_hash`` (sha256 of the bytes) by :func:`shop.images.image_file_store`; the hash
    changes whenever the file is replaced, which is what try-on caches are keyed on.
    """

    width = models.PositiveIntegerField(default=0, editable=False)
    height = models.PositiveIntegerField(default=0, editable=False)
    content_hash = models.CharField(max_length=64, editable=False, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True
