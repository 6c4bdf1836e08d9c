"""Fictional names, people, phone numbers, addresses and plates for the demo district.

Names are assembled from neutral characters so that they read like Hangzhou firms without
being any real one; brand pairs known to belong to real 滨江 companies are refused. Every
draw goes through the caller's `random.Random`, so a plan depends on its seed alone.
"""

from __future__ import annotations

import random

BRAND_CHARS = "".join(
    dict.fromkeys(
        "江滨华创星联智信瑞博海科达恒宏睿越潮鸿宸泽禾晟晨启云衡朗钧弘铭凯拓源鼎嘉汇融诚远捷宁朗"
        "峰澜晖毅昊聚灵景新立通耀"
    )
)
# Brands of real companies in and around 滨江 that a random pair could hit.
REAL_BRANDS = frozenset(
    (
        "海康",
        "大华",
        "华三",
        "网易",
        "阿里",
        "吉利",
        "士兰",
        "聚光",
        "宇视",
        "中控",
        "恒生",
        "顺网",
        "华数",
        "安恒",
        "信雅",
        "创业",
        "新华",
        "华立",
        "通信",
        "科达",
        "华创",
        "宏华",
        "华海",
        "达华",
        "联创",
        "恒达",
        "新海",
        "海信",
        "华信",
        "星华",
        "科华",
        "海创",
    )
)
SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程魏"
)
GIVEN_CHARS = "伟芳娜敏静丽强磊军洋勇艳杰涛明超秀霞平刚桂英华玉萍红娥玲芬燕彬斌宇浩凯健俊帆鑫婷欣雪"
PLATE_LETTERS = "ABCDEFGHJKLMNPQRSTUVWXYZ"  # no I or O on Chinese plates


def brand(rng: random.Random, length: int = 2) -> str:
    """Distinct characters that are not a real company's brand."""
    while True:
        chars = rng.sample(BRAND_CHARS, length)
        word = "".join(chars)
        if word[:2] not in REAL_BRANDS:
            return word


def organisation_name(rng: random.Random, pattern: str, taken: set[str]) -> str:
    """Fill `{brand}` in pattern (e.g. "杭州{brand}电路科技有限公司") with a name not yet taken.

    Two-character brands first; when a large scale has used them up, three.
    """
    for attempt in range(200):
        name = pattern.format(brand=brand(rng, 2 if attempt < 100 else 3))
        if name not in taken:
            taken.add(name)
            return name
    raise RuntimeError(f"no free name for {pattern!r}")


def person_name(rng: random.Random) -> str:
    given = "".join(rng.choice(GIVEN_CHARS) for _ in range(rng.choice((1, 2, 2))))
    return rng.choice(SURNAMES) + given


def phone(rng: random.Random) -> str:
    """A Hangzhou landline (area code 0571, eight digits starting 8)."""
    return f"0571-8{rng.randint(0, 9_999_999):07d}"


def address(rng: random.Random, prefix: str, roads: tuple[str, ...]) -> str:
    return f"{prefix}{rng.choice(roads)}{rng.randint(1, 3999)}号"


def plate(rng: random.Random, prefix: str, taken: set[str]) -> str:
    """A plate such as 浙A·3K821 without the dot: the province and city prefix and 5 characters.

    One of the five may be a letter, as on ordinary blue plates.
    """
    while True:
        chars = [str(rng.randint(0, 9)) for _ in range(5)]
        if rng.randint(0, 1):
            chars[rng.randint(0, 4)] = rng.choice(PLATE_LETTERS)
        number = prefix + "".join(chars)
        if number not in taken:
            taken.add(number)
            return number
