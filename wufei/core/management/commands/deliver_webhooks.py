"""`wufei deliver_webhooks [--loop --interval 30]`: post the webhook deliveries that are due.

Deliveries are first attempted right after the commit that queued them; this command (from
cron, or as a worker with --loop) retries the failed ones on their back-off schedule and picks
up whatever a restart interrupted.
"""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from wufei.core.webhook_delivery import webhook_deliver_batch


class Command(BaseCommand):
    help = "Attempt the webhook deliveries whose next attempt is due."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--loop", action="store_true", help="keep running")
        parser.add_argument("--interval", type=float, default=30.0, help="seconds between runs")
        parser.add_argument("--limit", type=int, default=100, help="deliveries per batch")

    def handle(self, *args: Any, **options: Any) -> None:
        verbosity = int(options["verbosity"])
        while True:
            attempted = delivered = 0
            while True:  # drain: batches until nothing due is left
                tried, succeeded = webhook_deliver_batch(limit=options["limit"])
                attempted, delivered = attempted + tried, delivered + succeeded
                if tried < options["limit"]:
                    break
            if verbosity >= 1:
                self.stdout.write(f"webhooks: {delivered} of {attempted} due deliveries delivered")
            if not options["loop"]:
                return
            time.sleep(options["interval"])
