"""Events the accounts app sends; other apps subscribe without accounts importing them.

``user_erasing`` is sent by :func:`accounts.services.user_delete` inside its transaction, before
the user's rows are deleted: every app that keeps data of a user (try-on analyses and renders,
orders) deletes it, with its files, in its receiver. Receivers get ``user``.
"""

from django.dispatch import Signal

user_erasing = Signal()
