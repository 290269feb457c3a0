import factory
from django.core.files.base import ContentFile

from accounts.models import ReferencePhoto, User
from tests.support.images import image_bytes

DEFAULT_PASSWORD = "correct-horse-battery-9"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User

    email = factory.Sequence(lambda n: f"shopper{n}@example.com")
    height_cm = 172
    password = factory.django.Password(DEFAULT_PASSWORD)


class ReferencePhotoFactory(factory.django.DjangoModelFactory):
    """A stored photo row (bypasses the service: use it for fixtures, not to test uploads)."""

    class Meta:
        model = ReferencePhoto

    user = factory.SubFactory(UserFactory)
    kind = ReferencePhoto.Kind.FRONT
    is_primary = False
    image = factory.LazyFunction(lambda: ContentFile(image_bytes(), name="photo.png"))
    content_hash = factory.Sequence(lambda n: f"{n:064x}")
