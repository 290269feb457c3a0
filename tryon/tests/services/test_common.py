"""The renderer choice (``tryon.services.common``): an unavailable renderer falls back, saying why."""

from __future__ import annotations

import pytest

from ml import pipeline
from ml.pipeline import choice as pipeline_choice
from ml.render import registry
from tryon import services

pytestmark = pytest.mark.django_db


def test_unavailable_renderer_falls_back_with_a_logged_reason(monkeypatch, settings, caplog, fake_renderer):
    # given settings asking for a renderer that cannot run here, and "test-fake" as the fallback
    from ml.render.registry import Renderer, register_renderer

    class Missing(Renderer):
        name = "test-missing"
        version = "9"

        @classmethod
        def unavailable_reason(cls):
            return "ADGAN_CHECKPOINT is not set"

        def render(self, request):
            raise AssertionError("never")

    register_renderer(Missing)
    monkeypatch.setattr(pipeline_choice, "DEFAULT_RENDERER", "test-fake")
    monkeypatch.setattr(registry, "DEFAULT_RENDERER", "test-fake")
    settings.TRYON_RENDERERS = ["test-missing"]
    pipeline.forget_renderer_choices()
    # when the renderer is chosen
    choice = services.current_renderer()
    # then it is the fallback, with the reason logged
    assert (choice.name, choice.version) == ("test-fake", "1")
    assert "ADGAN_CHECKPOINT is not set" in choice.fallback_reason
    assert "ADGAN_CHECKPOINT is not set" in caplog.text
