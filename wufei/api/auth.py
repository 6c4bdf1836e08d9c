"""Bearer-token authentication for the API (`Authorization: Bearer <token>`)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja.security import HttpBearer

from wufei.accounts.tokens import token_authenticate


class BearerToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = token_authenticate(raw_token=token)
        if user is None:
            return None
        request.user = user
        return user
