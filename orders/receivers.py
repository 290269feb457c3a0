from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from orders.services import cart_merge_session_into_user


@receiver(user_logged_in, dispatch_uid="orders.cart_merge_on_sign_in")
def cart_merge_on_sign_in(sender, request, user, **kwargs) -> None:
    """A guest's cart (in the session) joins the account's cart when they sign in or sign up."""
    session = getattr(request, "session", None)
    if session is not None:
        cart_merge_session_into_user(session=session, user=user)
