"""Events the accounts app sends; the apps built on it subscribe without accounts importing them.

Every signal is sent by a service inside its transaction, once the change is saved (a receiver's
writes commit or roll back with it; work a receiver starts, such as a Celery task, is sent with
``transaction.on_commit``). ``sender`` is the model class.

- ``reference_photo_added`` (``photo``): a reference photo was stored (``photo.is_primary`` when it
  is the main one from the start: the user had none);
- ``reference_photo_made_primary`` (``photo``): an existing ``photo`` became the user's main photo;
- ``reference_photo_removing`` (``photo``): the photo is about to be deleted (its row still exists);
- ``user_erasing`` (``user``): :func:`accounts.services.user_delete` is about to delete the user's
  rows: every app that keeps data of a user (try-on analyses and renders, orders) deletes it, with
  its files, in its receiver;
- ``body_inputs_changed`` (``user_id``): the photos or the height a body measurement is made from
  changed.
"""

from django.dispatch import Signal

reference_photo_added = Signal()
reference_photo_made_primary = Signal()
reference_photo_removing = Signal()
user_erasing = Signal()
body_inputs_changed = Signal()
