"""A small example renderer: adding a renderer is this module plus its registry entry, nothing else.

It paints the shopper's person mask below the hips with the packshot garment's mean colour: a
crude bottom, enough to show the contract. A real one would be registered the same way, by an
entry in ``ml.render.registry.BUILTIN`` (``module`` names this module) or, as here, by
``register_renderer(cls, info=...)``; the store then picks it for the kinds, modes and photo roles
the entry declares, in the order of ``TRYON_RENDERERS``, and falls back to the next renderer for
everything else.
"""

from __future__ import annotations

import numpy as np

from ml.errors import CannotRender
from ml.render.registry import PACKSHOT, Renderer, RendererInfo, register_renderer
from ml.types import KP, GarmentKind, RenderMode, RenderRequest, RenderResult


class OutlineRenderer(Renderer):
    name = "example-outline"
    version = "1"

    def render(self, request: RenderRequest) -> RenderResult:
        garment = request.garments[0]
        if garment.packshot is None:
            raise CannotRender("The outline example needs a packshot.")
        pixels = garment.packshot.image[garment.packshot.mask > 127]
        colour = pixels.mean(axis=0) if len(pixels) else np.array([128, 128, 128])
        shopper = request.shopper
        hips = shopper.keypoints[[KP["right_hip"], KP["left_hip"]], 1]
        top = int(hips.max()) if (hips >= 0).all() else shopper.image.shape[0] // 2
        image = shopper.image.copy()
        below = np.zeros(shopper.person_mask.shape, bool)
        below[top:] = shopper.person_mask[top:] > 127
        image[below] = colour.astype(np.uint8)
        card = image[: image.shape[0] * 3 // 4].copy()
        return RenderResult(image=image, card=card, renderer=self.name, version=self.version)


INFO = RendererInfo(
    name=OutlineRenderer.name,
    kinds=frozenset({GarmentKind.BOTTOM}),
    modes=frozenset({RenderMode.TRYON}),
    photo_roles=(PACKSHOT,),
)
register_renderer(OutlineRenderer, info=INFO)
