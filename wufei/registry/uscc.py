"""统一社会信用代码 (unified social credit code, USCC) per GB 32100-2015.

Layout (GB 32100-2015 §4.1): position 1 registration authority, 2 entity type, 3–8 the GB/T 2260
division code of the registering authority, 9–17 the organisation code (主体标识码, itself
carrying a GB 11714-1997 check digit at position 17), 18 the GB 32100 check digit (§4.2, §5).

python-stdnum checks the length, the character set and the final check digit; it does not
check the authority and type codes, the division code or the organisation code's own check
digit, so those are added here. Every refusal says which check failed, so that a clerk who
typed the code from a business licence knows which character to look at.

Known limit, inherited from stdnum 2.2: codes whose authority is a letter (A 中央军委改革和编制
办公室, N 农业, Y 其他) are refused as a format error although GB 32100 allows them.
"""

from __future__ import annotations

import random

from django.utils.translation import gettext as _
from stdnum.cn import uscc as stdnum_uscc
from stdnum.exceptions import InvalidChecksum, InvalidComponent, InvalidFormat, InvalidLength

from wufei.core.errors import ValidationFailed

LENGTH = 18
# GB 32100-2015 §4.3: the 31 characters allowed (digits and capitals except I, O, Z, S, V).
ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
EXCLUDED_LETTERS = "IOZSV"

# GB 32100-2015 table 1 (and the authorities assigned since): no registration authority and no
# entity type is coded 0. stdnum already requires digits in positions 1–8.
AUTHORITIES = frozenset("123456789")
ENTITY_TYPES = frozenset("123456789")

# GB/T 2260 province-level codes, plus 10 for registrations made by central authorities.
PROVINCE_BLOCKS = ((10, 15), (21, 23), (31, 37), (41, 46), (50, 54), (61, 65), (71, 71), (81, 82))
PROVINCES = frozenset(str(n) for low, high in PROVINCE_BLOCKS for n in range(low, high + 1))

# GB 11714-1997 §5: weights of the eight body characters of the organisation code.
ORG_CODE_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)


def _fail(code: str, message: str) -> ValidationFailed:
    return ValidationFailed(message, code=code, field="uscc")


def org_code_check_digit(body: str) -> str:
    """The GB 11714-1997 check digit of an eight-character organisation code body.

    Digits count as 0–9 and letters A–Z as 10–35; C9 = 11 − (Σ Ci·Wi mod 11), written X for 10
    and 0 for 11.
    """
    if len(body) != len(ORG_CODE_WEIGHTS):
        raise ValueError("an organisation code body has eight characters")
    total = sum(int(c, 36) * w for c, w in zip(body, ORG_CODE_WEIGHTS, strict=True))
    value = 11 - total % 11
    return {10: "X", 11: "0"}.get(value, str(value))


def uscc_validate(value: str) -> str:
    """Return `value` as a compact, upper-case USCC, or raise ValidationFailed saying why not."""
    number = stdnum_uscc.compact(value or "")
    final_digit_wrong = False
    try:
        stdnum_uscc.validate(number)
    except InvalidLength:
        raise _fail(
            "uscc_length",
            _(
                "The unified social credit code must be %(expected)d characters long "
                "(GB 32100-2015); %(actual)d were given."
            )
            % {"expected": LENGTH, "actual": len(number)},
        ) from None
    except InvalidFormat:
        raise _format_error(number) from None
    except InvalidComponent:
        raise _fail(
            "uscc_component", _("A part of the unified social credit code is invalid.")
        ) from None
    except InvalidChecksum:
        final_digit_wrong = True  # reported after the checks of the earlier positions

    if number[0] not in AUTHORITIES:
        raise _fail(
            "uscc_authority",
            _(
                "Position 1 of the unified social credit code, the registration authority "
                "code, cannot be “%(char)s” (GB 32100-2015 table 1)."
            )
            % {"char": number[0]},
        )
    if number[1] not in ENTITY_TYPES:
        raise _fail(
            "uscc_entity_type",
            _(
                "Position 2 of the unified social credit code, the entity type code, cannot "
                "be “%(char)s” (GB 32100-2015 table 1)."
            )
            % {"char": number[1]},
        )
    if number[2:4] not in PROVINCES:
        raise _fail(
            "uscc_region",
            _(
                "Positions 3–8 of the unified social credit code must be an administrative "
                "division code (GB/T 2260); “%(code)s” is not in any province."
            )
            % {"code": number[2:8]},
        )
    body, org_check = number[8:16], number[16]
    if org_code_check_digit(body) != org_check:
        raise _fail(
            "uscc_org_code_checksum",
            _(
                "The organisation code inside the unified social credit code (positions "
                "9–17) has a wrong check digit at position 17 (GB 11714-1997)."
            ),
        )
    if final_digit_wrong:
        raise _fail(
            "uscc_checksum",
            _(
                "The check digit of the unified social credit code (position 18) is wrong "
                "(GB 32100-2015 §5): check the code for a typing error."
            ),
        )
    return number


def _format_error(number: str) -> ValidationFailed:
    """Name the first offending position and character."""
    for position, char in enumerate(number, start=1):
        if position <= 8 and not char.isdigit():
            return _fail(
                "uscc_format",
                _(
                    "Position %(position)d of the unified social credit code must be a "
                    "digit, not “%(char)s” (GB 32100-2015)."
                )
                % {"position": position, "char": char},
            )
        if char not in ALPHABET:
            reason = (
                _("GB 32100-2015 excludes the letters I, O, Z, S and V")
                if char in EXCLUDED_LETTERS
                else _("only digits and capital letters are allowed")
            )
            return _fail(
                "uscc_format",
                _(
                    "Position %(position)d of the unified social credit code holds the invalid "
                    "character “%(char)s”: %(reason)s."
                )
                % {"position": position, "char": char, "reason": reason},
            )
    return _fail("uscc_format", _("The unified social credit code has invalid characters."))


def uscc_generate(rng: random.Random, *, region_code: str, kind: str = "91") -> str:
    """A valid, made-up USCC registered in `region_code` (for demo data and tests).

    `kind` is the authority and entity-type pair (91 company, 92 individual business, 12 public
    institution…). About half of the organisation codes take the post-2015 "MA" form.
    """
    division = region_code.strip().ljust(6, "0")
    if len(division) != 6 or not division.isdigit():
        raise ValueError(f"region_code must be a GB/T 2260 code, not {region_code!r}")
    if len(kind) != 2 or kind[0] not in AUTHORITIES or kind[1] not in ENTITY_TYPES:
        raise ValueError(f"kind must be an authority and entity type pair, not {kind!r}")
    if rng.random() < 0.5:
        body = "".join(rng.choice("0123456789") for _ in range(8))
    else:
        body = "MA" + "".join(rng.choice(ALPHABET) for _ in range(6))
    first17 = kind + division + body + org_code_check_digit(body)
    return first17 + stdnum_uscc.calc_check_digit(first17)
