"""ADGAN (Men et al., CVPR 2020): the generator in the official layout, inference and training.

Public API:

* :func:`build_generator` -> :class:`ADGen` with ``encode_style(image, parsing)``,
  ``encode_content(pose_map)``, ``decode(content, style)`` and ``forward(pose_map, image, parsing)``
  (image in [-1, 1], 18-channel pose map, 8-channel one-hot parsing, all 256x176);
* :func:`load_generator` (strict, accepts DataParallel and ``state_dict``-wrapped files);
* :class:`AdganInference` (factorised batched inference), :func:`plan_components` (component
  transfer); the renderer lives in :mod:`ml.adgan.renderer` (registered as "adgan").
"""

from .checkpoint import load_generator, save_generator
from .components import ComponentPlan, plan_components
from .inference import AdganInference
from .networks import ADGen, build_generator

__all__ = [
    "ADGen",
    "AdganInference",
    "ComponentPlan",
    "build_generator",
    "load_generator",
    "plan_components",
    "save_generator",
]
