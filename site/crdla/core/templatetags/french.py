"""Numbers, amounts, quantities and deadlines written as French readers expect them.

One filter set for every template (and the Python code that writes numbers into messages):
a narrow no-break space between thousands, a decimal comma, at most two decimals for ETP and
percentages (no trailing zeros), « € » after the amount, a unit that agrees with its quantity
(« 1 étude », « 12 études »: 0 and 1 take the singular in French), « d' » before a vowel, and
times only where they mean something.
"""

import datetime
import re
from decimal import Decimal, InvalidOperation

from django import template
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import get_language, gettext, ngettext

register = template.Library()

NARROW_NBSP = "\u202f"
NBSP = "\xa0"
EMPTY = "—"


def to_decimal(value):
    """A Decimal from a Decimal, an int, a float or their string (JSON snapshots), or None."""
    if value is None or value == "":
        return None
    if isinstance(value, Decimal):
        return value
    try:
        return Decimal(str(value).strip().replace(",", "."))
    except (InvalidOperation, ValueError):
        return None


def _is_french():
    return (get_language() or "fr").split("-")[0] == "fr"


def format_number(value, max_decimals=2, fixed=False):
    """« 34 000 », « 1,5 », « 0,33 »: grouped thousands, at most ``max_decimals`` decimals.

    Trailing zeros are dropped unless ``fixed`` (money with cents keeps both digits).
    """
    number = to_decimal(value)
    if number is None:
        return EMPTY if value in (None, "") else str(value)
    quantum = Decimal(1).scaleb(-max_decimals)
    number = number.quantize(quantum)
    if not fixed:
        number = number.normalize()
        if number == number.to_integral_value():
            number = number.quantize(Decimal(1))
    decimals = max(0, -number.as_tuple().exponent)
    text = number_format(number, decimal_pos=decimals, use_l10n=True, force_grouping=True)
    if _is_french():
        text = text.replace(NBSP, NARROW_NBSP).replace(" ", NARROW_NBSP)
    return text


@register.filter
def nombre(value, max_decimals=2):
    """A number in French: « 12 », « 1 250 », « 0,5 »."""
    return format_number(value, int(max_decimals))


@register.filter
def etp(value):
    """Full-time equivalents: at most two decimals, « 1,3 » not « 1,30000000000000 »."""
    return format_number(value, 2)


@register.filter
def pourcent(value):
    """A percentage: « 45 % », « 12,5 % » (no-break space before the sign)."""
    if to_decimal(value) is None:
        return EMPTY
    return f"{format_number(value, 2)}{NBSP}%"


@register.filter
def euros(value):
    """An amount: « 34 000 € », « 1 250,50 € »; cents only when there are some."""
    number = to_decimal(value)
    if number is None:
        return EMPTY if value in (None, "") else str(value)
    if number == number.to_integral_value():
        return f"{format_number(number, 0)}{NBSP}€"
    return f"{format_number(number, 2, fixed=True)}{NBSP}€"


# --- words that agree with a number ----------------------------------------------------------

# Words that do not change in the plural, and the first words of a unit after which nothing
# agrees (« jours de formation » → « jour de formation »).
INVARIABLE = {"fois", "cas", "mois", "pays", "temps", "cours", "parcours", "concours", "avis"}
STOP_WORDS = {"de", "d", "du", "des", "à", "au", "aux", "en", "pour", "sur", "par", "avec", "et"}


def _singular_word(word):
    lower = word.lower()
    if lower in INVARIABLE or len(word) <= 3 or lower.endswith("ss"):
        return word
    if lower.endswith("aux"):
        return word[:-3] + ("al" if word[-1].islower() else "AL")
    if lower.endswith(("s", "x")):
        return word[:-1]
    return word


def singular(unit):
    """The singular of a unit written in the plural: « structures accompagnées » → « structure
    accompagnée », « jours de formation » → « jour de formation »."""
    words = re.split(r"(\s+|')", unit)
    out = []
    stopped = False
    for word in words:
        if not stopped and word.strip() and word.lower() in STOP_WORDS:
            stopped = True
        out.append(word if stopped or not word.strip() or word == "'" else _singular_word(word))
    return "".join(out)


def agree(count, unit):
    """The unit as it reads after ``count``: singular below 2, as written (plural) otherwise."""
    unit = (unit or "").strip()
    number = to_decimal(count)
    if not unit or number is None:
        return unit
    # French (and the gettext plural form for "fr": n > 1) takes the singular for 0 and 1.
    return singular(unit) if abs(number) < 2 else unit


@register.filter
def quantite(value, unit):
    """A number and its unit, agreeing: « 1 étude », « 12 études », « 1,5 jour »."""
    if to_decimal(value) is None:
        return EMPTY
    unit = agree(value, unit)
    return f"{format_number(value, 2)}{NBSP}{unit}" if unit else format_number(value, 2)


@register.filter
def unite(unit, count):
    """Just the unit, agreeing with ``count`` (for tables where the number is elsewhere)."""
    return agree(count, unit)


def de(word):
    """« de » or « d' » before ``word``: « Nombre d'appuis », « Nombre de structures »."""
    word = (word or "").strip()
    if word[:1].lower() in set("aâàeéèêëiîïoôuùûyh") and word:
        return f"d'{word}"
    return f"de {word}"


@register.filter(name="de")
def de_filter(word):
    return de(word)


@register.simple_tag
def nombre_de(count, singular_text, plural_text):
    """« 1 étude », « 12 études » for words known in the code, through gettext plural forms."""
    return ngettext(singular_text, plural_text, int(count or 0)) % {"n": format_number(count)}


# --- dates and times -------------------------------------------------------------------------


@register.filter
def echeance(value):
    """A deadline: its date, « 15/01/2027 », with the hour only when it is not the day's end
    or start (« 15/01/2027 à 12 h »)."""
    if not value:
        return EMPTY
    if not isinstance(value, datetime.datetime):
        return value.strftime("%d/%m/%Y")
    local = timezone.localtime(value) if timezone.is_aware(value) else value
    date = local.strftime("%d/%m/%Y")
    if (local.hour, local.minute) in ((0, 0), (23, 59)):
        return date
    hour = f"{local.hour} h" if local.minute == 0 else f"{local.hour} h {local.minute:02d}"
    return gettext("%(date)s à %(hour)s") % {"date": date, "hour": hour}
