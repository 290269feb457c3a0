"""API tokens that expire: ``Authorization: Token <key>`` is refused ``API_TOKEN_TTL_S`` after issue.

A password change deletes the user's token (``accounts.receivers``), so a leaked token does not
outlive the password it was obtained with.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from rest_framework.authentication import TokenAuthentication
from rest_framework.exceptions import AuthenticationFailed


def token_expires_at(token):
    return token.created + timedelta(seconds=int(getattr(settings, "API_TOKEN_TTL_S", 7 * 24 * 3600)))


def token_expired(token) -> bool:
    return token_expires_at(token) <= timezone.now()


class ExpiringTokenAuthentication(TokenAuthentication):
    def authenticate_credentials(self, key):
        user, token = super().authenticate_credentials(key)
        if token_expired(token):
            token.delete()
            raise AuthenticationFailed("The token has expired; ask for a new one at /api/v1/auth/token/.")
        return user, token
