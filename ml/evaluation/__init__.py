"""Measuring try-on pictures: the fixed tune / held-out split, the pair sets, the blinded review.

The per-render measures themselves live in :mod:`ml.quality` (they need no ground truth, so the
store's quality gate uses them at render time too).
"""
