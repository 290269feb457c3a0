import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from PIL import Image

from accounts.models import BodyMeasurements, ReferencePhoto
from accounts.services import body_measurements_correct, reference_photo_create, user_update_profile
from accounts.tests.factories import ReferencePhotoFactory, UserFactory
from ml.body import BodyMeasurements as MLBodyMeasurements
from ml.body import CannotMeasure, Measurement
from ml.body.mannequin import MANNEQUIN_HEIGHT_PX, MARGIN_PX
from sizing import services, tasks
from sizing.models import BodyShape
from tests.support.images import image_upload

pytestmark = pytest.mark.django_db

FIGURES = {
    "chest": 92.04,
    "under_bust": 80.0,
    "waist": 78.0,
    "hips": 98.0,
    "thigh": 55.0,
    "inseam": 78.0,
    "shoulder_width": 41.0,
    "arm_length": 55.0,
    "neck": 35.0,
}


@pytest.fixture
def queued(monkeypatch, settings) -> list[int]:
    """Turns measuring on and records the measure tasks sent (instead of a broker)."""
    settings.SIZING_MEASURE_ON_CHANGE = True
    sent: list[int] = []
    monkeypatch.setattr(tasks.measure_body, "delay", lambda user_id: sent.append(user_id))
    return sent


@pytest.fixture
def fake_measure(monkeypatch):
    """Replaces the body fit (seconds of CPU; tested on real photos in tests/ml/body)."""
    calls = []

    def measure(*, height_cm, front, side):
        calls.append((height_cm, front.pk, side.pk if side else None))
        if fake_measure.error:
            raise fake_measure.error
        return MLBodyMeasurements(
            height_cm=height_cm,
            weight_kg=None,
            measurements={n: Measurement(value_cm=v, uncertainty_cm=1.25) for n, v in FIGURES.items()},
            views=["front"],
            clothing_allowance_cm={},
            notes=["Only a front photo."],
            model_version="test-model",
        )

    fake_measure.error = None
    fake_measure.calls = calls
    monkeypatch.setattr(services, "_measure", measure)
    return fake_measure


def test_a_new_height_schedules_a_measurement_after_the_commit(queued, django_capture_on_commit_callbacks):
    # given
    user = UserFactory(height_cm=170)

    # when
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        user_update_profile(user=user, height_cm=187)

    # then: nothing before the commit (accounts announce the change after it) ...
    assert BodyMeasurements.objects.filter(user=user).exists() is False
    assert queued == []
    # ... and once it commits: pending, and the task sent after sizing's own commit
    with django_capture_on_commit_callbacks(execute=True):
        for callback in callbacks:
            callback()
    assert BodyMeasurements.objects.get(user=user).status == BodyMeasurements.Status.PENDING
    assert queued == [user.pk]


def test_the_same_height_schedules_nothing(queued, django_capture_on_commit_callbacks):
    user = UserFactory(height_cm=170)

    with django_capture_on_commit_callbacks(execute=True):
        user_update_profile(user=user, height_cm=170)

    assert queued == []
    assert BodyMeasurements.objects.filter(user=user).exists() is False


def test_a_new_photo_schedules_a_measurement(queued, django_capture_on_commit_callbacks, monkeypatch):
    from tryon import services as tryon_services

    monkeypatch.setattr(tryon_services, "reference_photo_schedule_analysis", lambda photo: None)
    user = UserFactory()

    with django_capture_on_commit_callbacks(execute=True):
        reference_photo_create(user=user, file=image_upload(), kind="front")

    assert queued == [user.pk]


def test_with_measuring_off_nothing_is_scheduled(queued, settings, django_capture_on_commit_callbacks):
    settings.SIZING_MEASURE_ON_CHANGE = False
    user = UserFactory(height_cm=170)

    with django_capture_on_commit_callbacks(execute=True):
        user_update_profile(user=user, height_cm=180)

    assert queued == []
    assert BodyMeasurements.objects.filter(user=user).exists() is False


def test_without_a_height_the_measurement_fails_with_the_reason(fake_measure):
    user = UserFactory(height_cm=None)
    ReferencePhotoFactory(user=user, is_primary=True)

    tasks.measure_body(user.pk)

    row = BodyMeasurements.objects.get(user=user)
    assert row.status == BodyMeasurements.Status.FAILED
    assert row.reason == services.NO_HEIGHT
    assert fake_measure.calls == []


def test_without_a_front_photo_the_measurement_fails_with_the_reason(fake_measure):
    user = UserFactory(height_cm=170)
    ReferencePhotoFactory(user=user, kind=ReferencePhoto.Kind.SIDE, is_primary=True)

    tasks.measure_body(user.pk)

    row = BodyMeasurements.objects.get(user=user)
    assert row.status == BodyMeasurements.Status.FAILED
    assert row.reason == services.NO_FRONT_PHOTO
    assert fake_measure.calls == []


def test_the_estimate_is_stored_once_per_inputs(fake_measure):
    # given
    user = UserFactory(height_cm=170)
    front = ReferencePhotoFactory(user=user, is_primary=True)
    side = ReferencePhotoFactory(user=user, kind=ReferencePhoto.Kind.SIDE)

    # when: the task runs twice (a redelivery)
    tasks.measure_body(user.pk)
    tasks.measure_body(user.pk)

    # then
    assert fake_measure.calls == [(170, front.pk, side.pk)]
    row = BodyMeasurements.objects.get(user=user)
    assert row.status == BodyMeasurements.Status.DONE
    assert row.estimated["chest"] == {"value_cm": 92.0, "uncertainty_cm": 1.2}
    assert set(row.estimated) == set(BodyMeasurements.NAMES)
    assert row.notes == ["Only a front photo."]
    assert row.model_version == "test-model"


def test_a_new_height_measures_again(fake_measure):
    user = UserFactory(height_cm=170)
    ReferencePhotoFactory(user=user, is_primary=True)
    tasks.measure_body(user.pk)

    user.height_cm = 180
    user.save()
    tasks.measure_body(user.pk)

    assert [call[0] for call in fake_measure.calls] == [170, 180]


def test_a_photo_that_cannot_be_measured_keeps_the_reason_and_drops_the_old_estimate(fake_measure):
    # given: measured once
    user = UserFactory(height_cm=170)
    ReferencePhotoFactory(user=user, is_primary=True)
    tasks.measure_body(user.pk)

    # when: a new photo that shows no feet
    ReferencePhotoFactory(user=user, kind=ReferencePhoto.Kind.FULL_BODY)
    ReferencePhoto.objects.filter(user=user).update(is_primary=False)
    ReferencePhoto.objects.filter(user=user, kind=ReferencePhoto.Kind.FULL_BODY).update(is_primary=True)
    fake_measure.error = CannotMeasure("The front photo does not show your feet.")
    tasks.measure_body(user.pk)

    # then
    row = BodyMeasurements.objects.get(user=user)
    assert row.status == BodyMeasurements.Status.FAILED
    assert row.reason == "The front photo does not show your feet."
    assert row.estimated == {}


def test_the_task_for_a_deleted_user_is_quiet(fake_measure):
    user = UserFactory()
    user_id = user.pk
    user.delete()

    tasks.measure_body(user_id)

    assert BodyMeasurements.objects.filter(user_id=user_id).exists() is False
    assert fake_measure.calls == []


def test_a_corrected_figure_wins_and_survives_a_new_estimate(fake_measure):
    # given
    user = UserFactory(height_cm=170)
    ReferencePhotoFactory(user=user, is_primary=True)
    tasks.measure_body(user.pk)

    # when
    body_measurements_correct(user=user, corrected={"waist": 81.26})
    user.height_cm = 171
    user.save()
    tasks.measure_body(user.pk)

    # then
    row = BodyMeasurements.objects.get(user=user)
    assert row.corrected == {"waist": 81.3}
    assert row.effective()["waist"] == 81.3
    assert row.effective()["chest"] == 92.0


def test_clearing_a_correction_brings_the_estimate_back(fake_measure):
    user = UserFactory(height_cm=170)
    ReferencePhotoFactory(user=user, is_primary=True)
    tasks.measure_body(user.pk)
    body_measurements_correct(user=user, corrected={"waist": 81.0, "hips": 100.0})

    body_measurements_correct(user=user, corrected={"waist": None})

    row = BodyMeasurements.objects.get(user=user)
    assert row.corrected == {"hips": 100.0}
    assert row.effective()["waist"] == 78.0


@pytest.mark.parametrize(
    ("corrected", "field"),
    [({"waist": 5}, "waist"), ({"waist": "wide"}, "waist"), ({"ankle": 20}, "ankle")],
)
def test_bad_corrections_are_refused_and_nothing_is_saved(corrected, field):
    user = UserFactory()

    with pytest.raises(ValidationError) as error:
        body_measurements_correct(user=user, corrected={"hips": 100.0, **corrected})

    assert field in error.value.message_dict
    assert BodyMeasurements.objects.filter(user=user).exists() is False


@pytest.mark.slow
def test_a_real_photo_is_measured_with_the_body_model(people_dir):
    """The whole path on a real full-body photo: the photo file, the fit, the stored figures and
    the fitted body drawn as a mannequin."""
    # given
    user = UserFactory(height_cm=170)
    data = (people_dir / "onmodel_01.jpg").read_bytes()
    ReferencePhotoFactory(user=user, is_primary=True, image=ContentFile(data, name="me.jpg"))

    # when
    tasks.measure_body(user.pk)

    # then: plausible adult figures, every one with an uncertainty
    row = BodyMeasurements.objects.get(user=user)
    assert row.status == BodyMeasurements.Status.DONE, row.reason
    assert set(row.estimated) == set(BodyMeasurements.NAMES)
    assert 70 <= row.estimated["chest"]["value_cm"] <= 120
    assert 55 <= row.estimated["waist"]["value_cm"] <= 115
    assert 80 <= row.estimated["hips"]["value_cm"] <= 125
    assert 65 <= row.estimated["inseam"]["value_cm"] <= 90
    assert all(v["uncertainty_cm"] > 0 for v in row.estimated.values())
    shape = BodyShape.objects.get(user=user)
    assert shape.inputs_key == row.inputs_key
    with shape.image.open("rb") as handle:
        drawn = Image.open(handle)
        assert drawn.mode == "RGBA"
        assert drawn.size[1] == MANNEQUIN_HEIGHT_PX + 2 * MARGIN_PX
    assert set(shape.geometry["anchors"]) == {
        "left_shoulder",
        "right_shoulder",
        "left_hip",
        "right_hip",
        "waist",
    }
