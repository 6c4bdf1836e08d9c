"""Every rule module; importing this package registers all rules in `rulebook.RULES`.

While rule modules are being written in parallel a missing module is skipped; only the
absence of that exact module is tolerated — an error inside a module still raises.
"""

from __future__ import annotations

import importlib

RULE_MODULES = (
    "transfer_rules",
    "permit_rules",
    "stock_rules",
    "iot_rules",
    "filing_rules",
)


def _import_rule_modules() -> None:
    for name in RULE_MODULES:
        qualified = f"{__name__}.{name}"
        try:
            importlib.import_module(qualified)
        except ModuleNotFoundError as error:
            if error.name != qualified:
                raise


_import_rule_modules()
