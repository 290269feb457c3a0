"""Events of the accounts app that other apps react to (accounts imports none of them).

``body_inputs_changed`` (``user_id``): the photos or the height a body measurement is made from
changed; sent by the services once the change is saved (inside their transaction: receivers that
start work should do it with ``transaction.on_commit``).
"""

from django.dispatch import Signal

body_inputs_changed = Signal()
