"""Small display helpers of the manifest pages: weights in tonnes, status pills."""

from __future__ import annotations

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

from wufei.transfer.labels import party_label, return_label, status_label, step_label
from wufei.transfer.weights import tonnes_display

register = template.Library()

WARN = {"draft", "arrived", "partially_accepted"}
BAD = {"refused", "cancelled"}


@register.filter
def grams_as_tonnes(grams: int | None) -> str:
    return tonnes_display(grams)


@register.filter
def grams_as_kg(grams: int | None) -> str:
    """Grams as kilograms for a form field (exact, no thousands separator)."""
    if grams is None:
        return ""
    kg, rest = divmod(grams, 1000)
    return f"{kg}.{rest:03d}" if rest else str(kg)


@register.simple_tag
def status_pill(status: str) -> SafeString:
    css = "pill bad" if status in BAD else "pill warn" if status in WARN else "pill"
    return format_html(
        '<span class="{}" data-status="{}">{}</span>', css, status, status_label(status)
    )


@register.simple_tag
def return_pill(status: str) -> SafeString:
    return format_html('<span class="pill warn">{}</span>', return_label(status))


@register.filter
def step_name(action: str) -> str:
    return step_label(action)


@register.filter
def party_name(party: str) -> str:
    return party_label(party)
