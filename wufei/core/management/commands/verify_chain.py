"""`wufei verify_chain`: prove the audit log is as written, or name its first broken link."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from wufei.core.audit import audit_chain_summary, audit_verify
from wufei.core.audit_models import AuditEvent


class Command(BaseCommand):
    help = (
        "Recompute every hash of the audit log in sequence order. Exits 0 and prints the head "
        "hash when the chain is intact; exits 1 naming the first broken link otherwise."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--chunk-size", type=int, default=5000)

    def handle(self, *args: Any, **options: Any) -> None:
        broken = audit_verify(chunk_size=options["chunk_size"])
        if broken is None:
            count, head = audit_chain_summary()
            self.stdout.write(self.style.SUCCESS(f"chain intact: {count} events, head {head}"))
            return
        event = AuditEvent.objects.filter(sequence=broken.sequence).first()
        about = (
            f" ({event.action} {event.subject_type}:{event.subject_id}, {event.occurred_at})"
            if event
            else ""
        )
        raise CommandError(f"chain broken at event #{broken.sequence}{about}: {broken.reason}")
