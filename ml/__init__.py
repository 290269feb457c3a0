"""Person-image analysis and rendering for the try-on store.

Plain Python (torch, numpy, Pillow, mediapipe). Nothing in this package may import
Django, DRF or Celery: it runs the same in a worker, a notebook or a command line.
The shared data types live in :mod:`ml.types`, the errors in :mod:`ml.errors`.
"""
