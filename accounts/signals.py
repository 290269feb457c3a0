"""Events the accounts app announces; the apps built on it subscribe without accounts importing them.

Announced by :mod:`accounts.services` through :func:`shop.events.announce`: after the change commits,
with ids (receivers re-fetch). ``sender`` is the model class. Rows of the apps above that point at a
deleted photo or user go with it in the same transaction (their foreign keys cascade); the ``removed``
and ``deleted`` events are for follow-up work.

- ``reference_photo_added`` (``photo_id``, ``user_id``): a reference photo was stored (it may be the
  main one from the start: the user had none);
- ``reference_photo_made_primary`` (``photo_id``, ``user_id``): an existing photo became the main one;
- ``reference_photo_removed`` (``photo_id``, ``user_id``): the photo was deleted;
- ``user_deleted`` (``user_id``): :func:`accounts.services.user_delete` deleted the account and its rows;
- ``body_inputs_changed`` (``user_id``): the photos or the height a body measurement is made from
  changed.
"""

from django.dispatch import Signal

reference_photo_added = Signal()
reference_photo_made_primary = Signal()
reference_photo_removed = Signal()
user_deleted = Signal()
body_inputs_changed = Signal()
