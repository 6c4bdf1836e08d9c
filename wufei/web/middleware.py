"""Chinese first: the interface is Simplified Chinese unless the user chose another language.

Django's LocaleMiddleware would follow the browser's Accept-Language header, so a regulator on
an English-language browser would get English without asking. Only the explicit choice (the
language cookie set by the header's switch) or a language prefix may change the language.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse


class ChineseFirstMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)
