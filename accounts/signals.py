"""Events the accounts app sends; other apps subscribe without accounts importing them.

``user_erasing`` is sent by :func:`accounts.services.user_delete` inside its transaction, before
the user's rows are deleted: every app that keeps data of a user (try-on analyses and renders,
orders) deletes it, with its files, in its receiver. Receivers get ``user``.


``body_inputs_changed`` (``user_id``): the photos or the height a body measurement is made from
changed; sent by the services once the change is saved (inside their transaction: receivers that
start work should do it with ``transaction.on_commit``).
"""

from django.dispatch import Signal

user_erasing = Signal()
body_inputs_changed = Signal()
