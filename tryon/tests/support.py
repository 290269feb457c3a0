"""Try-on test doubles and builders: a fake renderer and analyzer, recorded tasks, products and
shoppers with small JPEG photos.

The ml side is replaced where it is slow (pose + parsing) or not ours (the renderers); the
packshot analysis, file storage, the database and the services are the real ones.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

import numpy as np
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from accounts.services import reference_photo_create, user_create
from catalog.services import category_get_or_create, product_create, product_image_create
from ml import pipeline
from ml.errors import CannotRender
from ml.render.registry import Renderer, register_renderer
from ml.types import (
    KP,
    BodyCoverage,
    CanvasTransform,
    Finding,
    PhotoAnalysis,
    RenderRequest,
    RenderResult,
    View,
)
from tryon import tasks as tryon_tasks


class FakeRenderer(Renderer):
    """Paints the shopper photo with the garment's mean colour; records what it was asked."""

    name = "test-fake"
    version = "1"
    batches: list[int] = []
    fail_kinds: set[str] = set()
    crash_kinds: set[str] = set()
    # the quality gate's confidence per garment kind (the real self-checks are ml's, tested there)
    confidence: dict[str, float] = {}

    def render(self, request: RenderRequest) -> RenderResult:
        for garment in request.garments:
            if str(garment.kind) in self.crash_kinds:
                raise RuntimeError("boom")
            if str(garment.kind) in self.fail_kinds:
                raise CannotRender("This product cannot be shown on your photo.")
        image = request.shopper.image.copy()
        image[8:-8, 8:-8] = 200
        return RenderResult(
            image=image, card=image[:40, :30].copy(), renderer=self.name, version=self.version
        )

    def render_batch(self, requests: Sequence[RenderRequest]) -> list[RenderResult]:
        type(self).batches.append(len(requests))
        return super().render_batch(requests)


register_renderer(FakeRenderer)


def photo_analysis(*, legs: bool = True, findings: tuple[Finding, ...] = ()) -> PhotoAnalysis:
    """A hand-built analysis of a 64x48 front photo (full body, or upper body only)."""
    h, w = 64, 48
    keypoints = np.full((18, 2), -1.0, np.float32)
    points = {
        "nose": (24, 6), "neck": (24, 12), "right_shoulder": (18, 12), "left_shoulder": (30, 12),
        "right_elbow": (16, 22), "left_elbow": (32, 22), "right_wrist": (15, 30), "left_wrist": (33, 30),
        "right_hip": (20, 34), "left_hip": (28, 34), "right_eye": (22, 5), "left_eye": (26, 5),
    }  # fmt: skip
    if legs:
        points |= {
            "right_knee": (20, 46),
            "left_knee": (28, 46),
            "right_ankle": (20, 60),
            "left_ankle": (28, 60),
        }
    for name, xy in points.items():
        keypoints[KP[name]] = xy
    return PhotoAnalysis(
        image=np.full((h, w, 3), 120, np.uint8),
        keypoints=keypoints,
        keypoint_scores=np.where(keypoints[:, 0] >= 0, 0.9, 0.0).astype(np.float32),
        person_mask=np.full((h, w), 255, np.uint8),
        parsing=np.zeros((h, w), np.uint8),
        view=View.FRONT,
        coverage=BodyCoverage(head=True, torso=True, arms=True, legs=legs),
        findings=findings,
        canvas=CanvasTransform(scale=4.0, offset_x=0.0, offset_y=0.0, source_size=(h, w)),
        analyzer_version="fake-analyzer-1",
    )


class FakeAnalyzer:
    """Stands in for pipeline.analyse_person_photo; counts calls, answers per upload size."""

    def __init__(self) -> None:
        self.version = "fake-analyzer-1"  # what the analyzer (with its parser) is now
        self.calls = 0
        self.upper_body_sizes: set[tuple[int, int]] = set()
        self.error: Exception | None = None
        self.garment_kinds: list[str | None] = []  # per call: the product's kind, None for a shopper photo

    def __call__(
        self, data: bytes, *, renderer=None, garment_kind: str | None = None
    ) -> pipeline.AnalysisOutput:
        self.calls += 1
        self.garment_kinds.append(garment_kind)
        if self.error is not None:
            raise self.error
        size = Image.open(io.BytesIO(data)).size
        analysis = photo_analysis(legs=size not in self.upper_body_sizes)
        return pipeline.AnalysisOutput(
            data=analysis.to_bytes(),
            metadata=analysis.metadata(),
            findings=[f.to_dict() for f in analysis.findings],
            analyzer_version=self.version,
            skeleton_png=pipeline.png_bytes(analysis.image),
            parsing_png=pipeline.png_bytes(analysis.parsing),
        )


def fake_assess(shopper, garments, result, **_):
    from ml.quality import Quality

    confidence = min(FakeRenderer.confidence.get(str(g.kind), 0.95) for g in garments)
    return Quality(
        confidence=confidence,
        leftover_share=0.4 if confidence < 0.5 else 0.0,
        hold_back_reason="We couldn't show this one on your photo convincingly: parts of what you are"
        " wearing would still show under it; a photo facing the camera helps.",
    )


class TaskRecorder:
    """The tasks enqueued (after commit) instead of sending them to a broker."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, tuple]] = []

    def names(self, name: str) -> list[tuple]:
        return [args for task, args in self.calls if task == name]

    def clear(self) -> None:
        self.calls.clear()


def jpeg(size=(270, 360), colour=(200, 60, 60), background=(250, 250, 250)) -> bytes:
    """A flat 'garment' (a centred block) on a light background, as JPEG bytes."""
    image = Image.new("RGB", size, background)
    w, h = size
    image.paste(Image.new("RGB", (w // 2, h // 2), colour), (w // 4, h // 4))
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=92)
    return buffer.getvalue()


def upload(data: bytes, name: str = "photo.jpg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="image/jpeg")


LANDMARKS = {
    "shoulder_left": [180, 90],
    "shoulder_right": [90, 90],
    "hem_left": [191, 270],
    "hem_right": [79, 270],
}


def make_product(n: int, *, kind: str = "top", role: str = "packshot", colour=(200, 60, 60)):
    category = category_get_or_create(name="Tops")
    product = product_create(category=category, name=f"Product {n}", slug=f"product-{n}", price="10.00",
                             garment_kind=kind)  # fmt: skip
    image = product_image_create(
        product=product, file=upload(jpeg(colour=colour)), role=role,
        landmarks=LANDMARKS if role == "packshot" else None,
    )  # fmt: skip
    return product, image


def make_shopper(email: str = "shopper@example.com", *, size=(288, 384)):
    user = user_create(email=email, password="a-long-password-1", validate=False)
    photo = reference_photo_create(
        user=user, file=upload(jpeg(size=size, colour=(90, 90, 90))), kind="full_body"
    )
    return user, photo


# The try-on tasks a test runs in-process, by the name they are recorded under.
TASKS = {
    "analyse_product_image": tryon_tasks.analyse_product_image,
    "analyse_reference_photo": tryon_tasks.analyse_reference_photo,
    "render_pending": tryon_tasks.render_pending,
}


def client_for(user) -> Client:
    """A web client signed in as ``user`` (signed out for None)."""
    client = Client()
    if user is not None:
        client.force_login(user)
    return client
