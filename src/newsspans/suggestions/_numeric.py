"""Rules for the numeric and temporal types: DATE, TIME, PERCENT, MONEY, QUANTITY, ORDINAL, CARDINAL.

Each rule (``RULES``) is a regular expression with a label and a score, tried where a number, date
or time word or a digit or currency sign is (``_TRIGGERS``) and at the modifiers among the few words before it, and
``flatten`` keeps the longest of overlapping matches (then the higher score: every specific rule
scores above CARDINAL, so "in 2024" is a DATE and "15 km" a QUANTITY, never a CARDINAL inside). An
expression never crosses a line break.
The spans follow guideline 2.1: **determiners and modifiers stay in** a temporal or numeric
expression (``the past few days``, ``about 200``, ``more than $5 million``), a date with its
weekday is one span (``Tuesday, August 6, 2024``), and a unit glued with a hyphen is in the
QUANTITY (``7,200-kilometer``). A match must stand as a word (``_gazetteer.word_edges``: glued
words are cut as for names), and a number glued to a name by a hyphen is part of the name
("76" in "Il-76", "19" in "COVID-19"): never suggested.

What the rules leave out, for precision: a month name alone unless a preposition introduces it
("in May", not "May"), a bare number word "one" used as a pronoun ("no one", "the one",
"one another"), a capitalised ordinal inside a sentence ("First Deputy"), vague quantities
("several", "many"), and fractions.
"""

from __future__ import annotations

import re
from typing import Iterator

from ._flat import flatten
from ._gazetteer import word_edges
from ._model import Suggestion

SOURCE = "rules-numeric@2"

_WEEKDAYS = "Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday"
_MONTHS = ("January|February|March|April|May|June|July|August|September|October|November|December"
           r"|Jan\.|Feb\.|Mar\.|Apr\.|Jun\.|Jul\.|Aug\.|Sept\.|Sep\.|Oct\.|Nov\.|Dec\.")
_YEAR_END = r"(?!\d|[.,]\d)"
_YEAR = r"(?:1[89]\d\d|20\d\d)" + _YEAR_END
_DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?(?!\d)"


def _words(words: str) -> str:
    """An alternation of the words, each also with a capital first letter (a sentence start)."""
    forms = [w for word in words.split() for w in (word, word[0].upper() + word[1:])]
    return "(?:" + "|".join(sorted(forms, key=lambda w: (-len(w), w))) + ")"


_UNITS = "one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen"
_TENS = "twenty thirty forty fifty sixty seventy eighty ninety"
_SCALES = "hundred thousand million billion trillion"
_NUMWORD = rf"(?:{_words(_TENS)}(?:-{_words(_UNITS)})?|{_words(_UNITS)})"
_DIGITS = r"(?:\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
#: A number: digits or number words, with scale words ("3 million", "two hundred fifty").
_NUMBER = rf"(?:{_DIGITS}(?: {_words(_SCALES)})*|{_NUMWORD}(?: (?:{_NUMWORD}|{_words(_SCALES)}))*)"
#: Modifiers kept in the span (guideline 2.1).
_APPROX = (r"(?:(?:about|around|approximately|roughly|nearly|almost|over|some|more than|less than|fewer than|"
           r"at least|at most|up to|as many as|as much as|About|Around|Approximately|Roughly|Nearly|Almost|"
           r"Some|More than|Less than|Fewer than|At least|Up to)\s+)?")
_FEW = rf"(?:(?:few|several|couple of|{_NUMBER})\s+)"
#: The modifiers of ``_APPROX`` required ("more than a minute": "a minute" alone is no expression).
_APPROX_REQUIRED = _APPROX[:-1]
_PERIOD = r"(?:day|week|month|year|decade|century|weekend)s?"

_ORDINAL_WORDS = ("first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth thirteenth "
                  "fourteenth fifteenth sixteenth seventeenth eighteenth nineteenth twentieth thirtieth fortieth "
                  "fiftieth hundredth thousandth")
#: An ordinal: digits with a suffix, a word, or a capitalised word where a sentence starts.
_SENTENCE_START = r"(?:(?<![^\n])|(?<=[.!?:] )|(?<=[“\"]))"
_ORDINAL = (rf"(?<![\d,])\d+(?:st|nd|rd|th)|(?:{'|'.join(_ORDINAL_WORDS.split())})"
            rf"|{_SENTENCE_START}(?:{'|'.join(w.capitalize() for w in _ORDINAL_WORDS.split())})")

_CURRENCY_WORDS = (r"(?:US |U\.S\. |(?:[A-Z][a-z]+ ){1,2})?(?:dollars?|euros?|pounds(?: sterling)?|rubles?|roubles?|yuan|yen|"
                   r"rials?|tomans?|shekels?|rupees?|francs?|cents?|dinars?|dirhams?|riyals?|lira|liras|hryvnias?|zlotys?|"
                   r"zloty|crowns|kronor|kroner|krona|krone|korunas?|forints?|lei|leva|pesos?|reais|rand|ringgit|rupiah|"
                   r"naira|shillings?|baht|won|USD|EUR|GBP|RUB|CNY|IRR|CHF|JPY|SEK|NOK|DKK|PLN)")
_CURRENCY_SIGNS = r"(?:US\$|C\$|A\$|\$|€|£|¥|₽|₹)"
_UNIT = (r"(?:square |cubic |nautical )?(?:kilomet(?:er|re)s?|km/h|km|miles?|met(?:er|re)s?|feet|foot|ft|inch(?:es)?|"
         r"centimet(?:er|re)s?|cm|millimet(?:er|re)s?|mm|kilograms?|kg|grams?|tons?|tonnes?|lbs?|lit(?:er|re)s?|"
         r"gallons?|barrels?|acres?|hectares?|megawatts?|MW|gigawatts?|GW|kilowatts?|kWh|kW|knots?|mph|"
         r"degrees(?: Celsius| Fahrenheit)?|°C|°F)")

_CLOCK = (r"(?<![\d:])(?:[01]?\d|2[0-3]):[0-5]\d(?::[0-5]\d)?(?:\s*(?:[ap]\.m\.|[AP]\.M\.|[AP]M|[ap]m))?"
          r"|(?<![\d:.,])(?:1[0-2]|0?[1-9])\s*(?:[ap]\.m\.|[AP]\.M\.|[AP]M|[ap]m|o'clock)")
_ZONE = r"(?:\s+(?:GMT|UTC|EST|EDT|CET|CEST|PST|PDT|MSK|IRST|local time))?"

#: (label, pattern, score), most specific first (the order only names them; ``flatten`` decides).
RULES: tuple[tuple[str, str, float], ...] = (
    ("DATE", r"\d{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])(?!\d)", 0.95),
    ("DATE", rf"{_YEAR[:-len(_YEAR_END)]}[-\u2013/](?:{_YEAR}|\d\d(?!\d))", 0.85),
    ("DATE", rf"(?:(?:{_WEEKDAYS}),?\s+)?(?:(?:{_MONTHS})\s+{_DAY}(?:,?\s+{_YEAR})?|{_DAY}\s+(?:of\s+)?(?:{_MONTHS})"
             rf"(?:,?\s+{_YEAR})?|(?:{_MONTHS}),?\s+{_YEAR})", 0.9),
    ("DATE", rf"(?:(?:last|next|this|past|coming|Last|Next|This)\s+)?(?:{_WEEKDAYS})", 0.85),
    ("DATE", rf"(?:last|next|this|Last|Next|This)\s+(?:{_MONTHS})", 0.85),
    ("DATE", rf"(?:[Tt]he\s+)?(?:first|second|third|fourth|last)\s+(?:half|quarter)\s+of\s+(?:{_YEAR}|the\s+year|this\s+year|next\s+year|last\s+year)"
             r"|(?:first|second|third|fourth)-(?:quarter|half)|[Ff]ull-year|(?:[Tt]he|[Tt]his|[Nn]ext|[Ll]ast)\s+weekend"
             r"|(?:[Tt]he\s+)?(?:end|start|beginning|middle)\s+of\s+(?:the|this|next|last)\s+(?:week|month|year|decade|century)", 0.8),
    ("DATE", rf"(?:(?:early|late|mid-|Early|Late|Mid-)\s*|(?<=\bin )|(?<=\bsince )|(?<=\buntil )|(?<=\bby )|"
             rf"(?<=\bfrom )|(?<=\bduring )|(?<=\bIn )|(?<=\bSince ))(?:{_MONTHS})", 0.8),
    ("DATE", rf"(?:(?:early|late|mid-|Early|Late|Mid-)\s*|(?<=\bin )|(?<=\bsince )|(?<=\buntil )|(?<=\bby )|(?<=\bfrom )|"
             rf"(?<=\bduring )|(?<=\bbefore )|(?<=\bafter )|(?<=\bof )|(?<=\bIn )|(?<=\bSince ))(?:the year )?{_YEAR}", 0.8),
    ("DATE", rf"(?:the )?(?:1[89]|20)\d0s|{_YEAR}", 0.6),
    ("DATE", rf"(?:[Tt]he\s+)?(?:past|last|next|coming|previous|following|recent)\s+{_FEW}?{_PERIOD}"
             rf"|(?:[Tt]his|[Ll]ast|[Nn]ext|[Tt]hat|[Ee]arlier this|[Ll]ater this)\s+(?:week|month|year|weekend|spring|summer|autumn|fall|winter)"
             rf"|(?:an?|{_NUMBER}|(?:a )?few|several)\s+{_PERIOD}\s+(?:ago|earlier|later)"
             r"|[Yy]esterday|[Tt]oday|[Tt]omorrow", 0.75),
    ("DATE", rf"(?:{_NUMBER})-(?:day|week|month|year|decade)(?:-old|-long)?"
             rf"|(?:every\s+|{_APPROX}){_NUMBER}\s+(?:days|weeks|months|years|decades)(?:(?:,\s+|\s+and\s+){_NUMBER}\s+(?:days?|weeks?|months?))?"
             rf"|(?:[Tt]he\s+)?(?:\d+(?:st|nd|rd|th)|{_words(_ORDINAL_WORDS)})\s+century", 0.75),
    ("TIME", rf"{_APPROX}(?:{_CLOCK}){_ZONE}", 0.9),
    ("TIME", rf"{_APPROX}{_NUMBER}\s+hours?(?:,?\s+{_NUMBER}\s+minutes?)(?:,?\s+(?:and\s+)?{_NUMBER}\s+seconds?)?"
             rf"|{_NUMBER}-(?:hour|minute|second)(?:-long)?|{_APPROX_REQUIRED}an?\s+(?:hour|minute|second)", 0.8),
    ("TIME", rf"(?:(?:this|yesterday|tomorrow|This|Yesterday|Tomorrow|{_WEEKDAYS})\s+(?:morning|afternoon|evening|night)"
             rf"|[Ll]ast night|[Tt]onight|[Oo]vernight|[Mm]idnight|[Nn]oon|{_APPROX}{_NUMBER}\s+(?:hours|minutes|seconds))", 0.75),
    ("PERCENT", rf"{_APPROX}{_NUMBER}\s*(?:%|percent(?:age points?)?|per cent)", 0.95),
    ("MONEY", rf"{_APPROX}{_CURRENCY_SIGNS}\s?{_NUMBER}(?:bn|m|k)?|{_APPROX}{_NUMBER}\s+{_CURRENCY_WORDS}", 0.9),
    ("QUANTITY", rf"{_APPROX}{_NUMBER}(?:\s+|-){_UNIT}", 0.85),
    ("ORDINAL", _ORDINAL, 0.75),
    ("CARDINAL", rf"{_APPROX}(?!{_YEAR}){_NUMBER}|(?:[Dd]ozens|[Hh]undreds|[Tt]housands|[Mm]illions|[Bb]illions)(?= of)", 0.7),
)
#: Whitespace inside an expression never holds a line break (a line break ends a sentence).
_COMPILED = tuple((label, re.compile(pattern.replace(r"\s", r"[^\S\n]")), score) for label, pattern, score in RULES)
_PRONOUN_ONE = re.compile(r"(?:\b(?:no|any|every|each|the|this|that|which|[Nn]o|[Tt]he|[Tt]his|[Tt]hat)\s+)$")
#: A number right after a hyphen glued to a name: part of the name (Il-76, COVID-19, F-16).
_NAME_HYPHEN = re.compile(r"[^\W_][-\u2010]$")


def _acceptable(text: str, label: str, start: int, end: int) -> bool:
    if end <= start or word_edges(text, start, end) is None:
        return False
    if _NAME_HYPHEN.search(text, max(0, start - 2), start):
        return False
    found = text[start:end]
    if label == "CARDINAL" and found in ("one", "One"):
        if _PRONOUN_ONE.search(text, max(0, start - 12), start) or text.startswith(" another", end):
            return False
    if label == "CARDINAL" and text.startswith("-", end) and end + 1 < len(text) and text[end + 1].isalpha():
        return False  # "two-thirds", "three-pronged": a compound, not a count
    return True


#: What every rule's match holds: a digit, a currency sign, or a number, date or time word. Rules
#: are tried only at a trigger and at the starts of the few words before it (their modifiers: "the
#: past few days", "as many as 200"), not at every position of the text, which is many times faster.
_TRIGGER_WORDS = {
    *_UNITS.split(), *_TENS.split(), *_ORDINAL_WORDS.split(), *_WEEKDAYS.split("|"),
    *(m.replace("\\.", "") for m in _MONTHS.split("|")), "day", "days", "week", "weeks", "month", "months", "year", "years",
    "decade", "decades", "century", "weekend", "weekends", "spring", "summer", "autumn", "fall", "winter", "yesterday",
    "today", "tomorrow", "tonight", "overnight", "midnight", "noon", "night", "morning", "afternoon", "evening", "hour", "hours", "minute", "minutes", "dozens", "hundreds", "thousands", "millions",
    "billions"}
_CURRENCY = frozenset("$€£¥₽₹")
_TRIGGERS = frozenset(v for w in _TRIGGER_WORDS for v in (w, w[0].upper() + w[1:])) | _CURRENCY
#: The words a rule's match may start with before its trigger: modifiers (guideline 2.1), determiners
#: and the letters of a currency sign (``US$``); with capitals, where a sentence starts.
_STARTER_WORDS = ("about around approximately roughly nearly almost over some more less fewer at up as the past last "
                  "next coming previous following recent this that earlier later early late mid a an few several us c every full "
                  "end start beginning middle")
_STARTERS = frozenset(v for w in _STARTER_WORDS.split() for v in (w, w.capitalize(), w.upper()))
#: The tokens of a text: words (runs of letters and digits) and currency signs.
_TOKEN = re.compile(r"[^\W_]+|[$€£¥₽₹]")
#: How many words before a trigger a match may start at, and how far back they are looked for.
_WORDS_BEFORE, _LOOK_BACK = 4, 40


def _starts(text: str) -> list[int]:
    """Where a rule may match: each trigger (a word that is a trigger word or starts with a digit, a
    currency sign) and the starts of the modifier words among the few words just before it. A
    trigger glued to a letter or digit before it is left out unless it starts with a capital:
    ``word_edges`` refuses any match starting there."""
    found = list(_TOKEN.finditer(text))
    tokens = [m.group() for m in found]
    out: set[int] = set()
    for i, token in enumerate(tokens):
        if token not in _TRIGGERS and not token[0].isdecimal():
            continue
        p = found[i].start()
        if p and text[p - 1].isalnum() and not token[0].isupper():
            continue
        out.add(p)
        floor = max(text.rfind("\n", max(0, p - _LOOK_BACK), p) + 1, p - _LOOK_BACK)
        out.update(found[j].start() for j in _words_before(tokens, i) if tokens[j] in _STARTERS and found[j].start() >= floor)
    return sorted(out)


def _words_before(tokens: list[str], i: int) -> list[int]:
    """The indexes of the ``_WORDS_BEFORE`` words (not currency signs) before ``tokens[i]``."""
    out: list[int] = []
    j = i - 1
    while j >= 0 and len(out) < _WORDS_BEFORE:
        if tokens[j] not in _CURRENCY:
            out.append(j)
        j -= 1
    return out


def _matches(text: str, exhaustive: bool = False) -> Iterator[Suggestion]:
    starts = range(len(text)) if exhaustive else _starts(text)
    seen: set[tuple[int, int, str]] = set()
    for label, regex, score in _COMPILED:
        for p in starts:
            match = regex.match(text, p)
            if match is None:
                continue
            start, end = match.span()
            while end > start and text[end - 1] in " ,":
                end -= 1  # a trailing separator the patterns' optional parts may leave
            if (start, end, label) not in seen and _acceptable(text, label, start, end):
                seen.add((start, end, label))
                item = {"start": start, "end": end, "text": text[start:end], "label": label, "entity_id": None}
                yield Suggestion("entities", item, SOURCE, score)


#: The labels of the two ends of a range; a CARDINAL start takes its end's label ("between 9 and 13
#: degrees Celsius").
_RANGE_LABELS = frozenset({"DATE", "TIME", "PERCENT", "MONEY", "QUANTITY", "CARDINAL"})
_BETWEEN = re.compile(r"(?<![^\W_])[Bb]etween[^\S\n]+$")
_FROM = re.compile(r"(?<![^\W_])[Ff]rom[^\S\n]+$")
_AND, _TO = re.compile(r"[^\S\n]+and[^\S\n]+"), re.compile(r"[^\S\n]+to[^\S\n]+")


def _ranges(text: str, found: list[Suggestion]) -> Iterator[Suggestion]:
    """One expression for each range of two found ones: "between <a> and <b>" (with "between") and
    "<a> to <b>" (not after "from", which reports a change: "rose from 5% to 7%")."""
    by_start: dict[int, list[Suggestion]] = {}
    for b in found:
        by_start.setdefault(b.item["start"], []).append(b)
    for a in found:
        start, end, label = a.item["start"], a.item["end"], a.item["label"]
        if label not in _RANGE_LABELS:
            continue
        between = _BETWEEN.search(text, max(0, start - 12), start)
        join = (_AND if between else _TO).match(text, end)
        if join is None or (between is None and _FROM.search(text, max(0, start - 8), start)):
            continue
        for b in by_start.get(join.end(), []):
            if b.item["label"] == label or (label == "CARDINAL" and b.item["label"] in _RANGE_LABELS):
                first = between.start() if between else start
                item = {**b.item, "start": first, "text": text[first:b.item["end"]]}
                yield Suggestion("entities", item, SOURCE, min(a.score, b.score))


def suggest_numeric(text: str, *, exhaustive: bool = False) -> list[Suggestion]:
    """The DATE, TIME, PERCENT, MONEY, QUANTITY, ORDINAL and CARDINAL expressions of ``text``, as a
    flat list of entity suggestions in text order. ``exhaustive`` tries the rules at every position
    instead of at the triggers only: slow, the same result (the reference the triggers are tested
    against)."""
    found = list(_matches(text, exhaustive))
    return flatten(found + list(_ranges(text, found)))
