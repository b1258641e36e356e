"""Text helpers that must give exactly what Medusa's JavaScript gives.

`kebab_case` is lodash's `_.kebabCase`, which Medusa uses to derive handles from titles and names
(ProductCollection, ProductCategory, Product). lodash works on UTF-16 code units with regular
expressions written for them, so the port does the same: astral characters are split into their
surrogate pairs before matching and joined again afterwards.
"""

from __future__ import annotations

import re

# lodash.js: the character classes behind `words()`.
_ASTRAL = "\ud800-\udfff"
_COMBO = "\u0300-\u036f\ufe20-\ufe2f\u20d0-\u20ff"
_DINGBAT = "\u2700-\u27bf"
_LOWER = "a-z\xdf-\xf6\xf8-\xff"
_MATH_OP = "\xac\xb1\xd7\xf7"
_NON_CHAR = "\x00-\x2f\x3a-\x40\x5b-\x60\x7b-\xbf"
_PUNCTUATION = "\u2000-\u206f"
_SPACE = (
    " \t\x0b\f\xa0\ufeff\n\r\u2028\u2029\u1680\u180e\u2000\u2001\u2002\u2003\u2004\u2005\u2006"
    "\u2007\u2008\u2009\u200a\u202f\u205f\u3000"
)
_UPPER = "A-Z\xc0-\xd6\xd8-\xde"
_VAR = "\ufe0e\ufe0f"
_BREAK_RANGE = _MATH_OP + _NON_CHAR + _PUNCTUATION + _SPACE


def _cls(ranges: str, negate: bool = False) -> str:
    # escape what is special inside a Python character class; keep "-" ranges as written
    escaped = ranges.replace("\\", "\\\\").replace("]", "\\]").replace("[", "\\[").replace("^", "\\^")
    return "[" + ("^" if negate else "") + escaped + "]"


_APOS = "['\u2019]"
_BREAK = _cls(_BREAK_RANGE)
_COMBO_CLS = _cls(_COMBO)
_DIGITS = "[0-9]+"
_DINGBAT_CLS = _cls(_DINGBAT)
_LOWER_CLS = _cls(_LOWER)
# lodash writes "\\d+" inside this class: digits (and "+", already a break) are excluded
_MISC = _cls(_ASTRAL + _BREAK_RANGE + "0-9+" + _DINGBAT + _LOWER + _UPPER, negate=True)
_FITZ = "\ud83c[\udffb-\udfff]"
_MODIFIER = f"(?:{_COMBO_CLS}|{_FITZ})"
_NON_ASTRAL = _cls(_ASTRAL, negate=True)
_REGIONAL = "(?:\ud83c[\udde6-\uddff]){2}"
_SURR_PAIR = "[\ud800-\udbff][\udc00-\udfff]"
_UPPER_CLS = _cls(_UPPER)
_ZWJ = "\u200d"

_MISC_LOWER = f"(?:{_LOWER_CLS}|{_MISC})"
_MISC_UPPER = f"(?:{_UPPER_CLS}|{_MISC})"
_OPT_CONTR_LOWER = f"(?:{_APOS}(?:d|ll|m|re|s|t|ve))?"
_OPT_CONTR_UPPER = f"(?:{_APOS}(?:D|LL|M|RE|S|T|VE))?"
_OPT_MOD = _MODIFIER + "?"
_OPT_VAR = _cls(_VAR) + "?"
_OPT_JOIN = f"(?:{_ZWJ}(?:{_NON_ASTRAL}|{_REGIONAL}|{_SURR_PAIR}){_OPT_VAR}{_OPT_MOD})*"
_ORD_LOWER = r"[0-9]*(?:1st|2nd|3rd|(?![123])[0-9]th)(?=\b|[A-Z_])"
_ORD_UPPER = r"[0-9]*(?:1ST|2ND|3RD|(?![123])[0-9]TH)(?=\b|[a-z_])"
_SEQ = _OPT_VAR + _OPT_MOD + _OPT_JOIN
_EMOJI = f"(?:{_DINGBAT_CLS}|{_REGIONAL}|{_SURR_PAIR}){_SEQ}"

_UNICODE_WORD = re.compile(
    "|".join(
        [
            f"{_UPPER_CLS}?{_LOWER_CLS}+{_OPT_CONTR_LOWER}(?={_BREAK}|{_UPPER_CLS}|$)",
            f"{_MISC_UPPER}+{_OPT_CONTR_UPPER}(?={_BREAK}|{_UPPER_CLS}{_MISC_LOWER}|$)",
            f"{_UPPER_CLS}?{_MISC_LOWER}+{_OPT_CONTR_LOWER}",
            f"{_UPPER_CLS}+{_OPT_CONTR_UPPER}",
            _ORD_UPPER,
            _ORD_LOWER,
            _DIGITS,
            _EMOJI,
        ]
    ),
    re.ASCII,
)
_HAS_UNICODE_WORD = re.compile(r"[a-z][A-Z]|[A-Z]{2}[a-z]|[0-9][a-zA-Z]|[a-zA-Z][0-9]|[^a-zA-Z0-9 ]")
_ASCII_WORD = re.compile(r"[^\x00-\x2f\x3a-\x40\x5b-\x60\x7b-\x7f]+")
_APOS_RE = re.compile(_APOS)
_COMBO_RE = re.compile(_COMBO_CLS)
_LATIN_RE = re.compile("[\xc0-\xd6\xd8-\xf6\xf8-\xff\u0100-\u017f]")

_DEBURRED: dict[str, str] = {}
for _letters, _plain in (
    ("\xc0\xc1\xc2\xc3\xc4\xc5", "A"),
    ("\xe0\xe1\xe2\xe3\xe4\xe5", "a"),
    ("\xc7", "C"),
    ("\xe7", "c"),
    ("\xd0", "D"),
    ("\xf0", "d"),
    ("\xc8\xc9\xca\xcb", "E"),
    ("\xe8\xe9\xea\xeb", "e"),
    ("\xcc\xcd\xce\xcf", "I"),
    ("\xec\xed\xee\xef", "i"),
    ("\xd1", "N"),
    ("\xf1", "n"),
    ("\xd2\xd3\xd4\xd5\xd6\xd8", "O"),
    ("\xf2\xf3\xf4\xf5\xf6\xf8", "o"),
    ("\xd9\xda\xdb\xdc", "U"),
    ("\xf9\xfa\xfb\xfc", "u"),
    ("\xdd", "Y"),
    ("\xfd\xff", "y"),
    ("\xc6", "Ae"),
    ("\xe6", "ae"),
    ("\xde", "Th"),
    ("\xfe", "th"),
    ("\xdf", "ss"),
    ("\u0100\u0102\u0104", "A"),
    ("\u0101\u0103\u0105", "a"),
    ("\u0106\u0108\u010a\u010c", "C"),
    ("\u0107\u0109\u010b\u010d", "c"),
    ("\u010e\u0110", "D"),
    ("\u010f\u0111", "d"),
    ("\u0112\u0114\u0116\u0118\u011a", "E"),
    ("\u0113\u0115\u0117\u0119\u011b", "e"),
    ("\u011c\u011e\u0120\u0122", "G"),
    ("\u011d\u011f\u0121\u0123", "g"),
    ("\u0124\u0126", "H"),
    ("\u0125\u0127", "h"),
    ("\u0128\u012a\u012c\u012e\u0130", "I"),
    ("\u0129\u012b\u012d\u012f\u0131", "i"),
    ("\u0134", "J"),
    ("\u0135", "j"),
    ("\u0136", "K"),
    ("\u0137\u0138", "k"),
    ("\u0139\u013b\u013d\u013f\u0141", "L"),
    ("\u013a\u013c\u013e\u0140\u0142", "l"),
    ("\u0143\u0145\u0147\u014a", "N"),
    ("\u0144\u0146\u0148\u014b", "n"),
    ("\u014c\u014e\u0150", "O"),
    ("\u014d\u014f\u0151", "o"),
    ("\u0154\u0156\u0158", "R"),
    ("\u0155\u0157\u0159", "r"),
    ("\u015a\u015c\u015e\u0160", "S"),
    ("\u015b\u015d\u015f\u0161", "s"),
    ("\u0162\u0164\u0166", "T"),
    ("\u0163\u0165\u0167", "t"),
    ("\u0168\u016a\u016c\u016e\u0170\u0172", "U"),
    ("\u0169\u016b\u016d\u016f\u0171\u0173", "u"),
    ("\u0174", "W"),
    ("\u0175", "w"),
    ("\u0176\u0178", "Y"),
    ("\u0177", "y"),
    ("\u0179\u017b\u017d", "Z"),
    ("\u017a\u017c\u017e", "z"),
    ("\u0132", "IJ"),
    ("\u0133", "ij"),
    ("\u0152", "Oe"),
    ("\u0153", "oe"),
    ("\u0149", "'n"),
    ("\u017f", "s"),
):
    for _letter in _letters:
        _DEBURRED[_letter] = _plain


def _to_utf16_units(text: str) -> str:
    """Each astral character as its two surrogate code units, as JavaScript sees the string."""
    if all(ord(c) <= 0xFFFF for c in text):
        return text
    out = []
    for c in text:
        code = ord(c)
        if code > 0xFFFF:
            code -= 0x10000
            out.append(chr(0xD800 + (code >> 10)))
            out.append(chr(0xDC00 + (code & 0x3FF)))
        else:
            out.append(c)
    return "".join(out)


def _from_utf16_units(text: str) -> str:
    return text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")


def deburr(text: str) -> str:
    """lodash `_.deburr`: Latin-1 Supplement and Latin Extended-A letters to basic Latin,
    combining marks removed."""
    return _COMBO_RE.sub("", _LATIN_RE.sub(lambda m: _DEBURRED[m.group(0)], text))


def words(text: str) -> list[str]:
    """lodash `_.words` with its default pattern."""
    if _HAS_UNICODE_WORD.search(text):
        return _UNICODE_WORD.findall(text)
    return _ASCII_WORD.findall(text)


def kebab_case(text: str | None) -> str:
    """lodash `_.kebabCase`: "CC Été Collection!" -> "cc-ete-collection"."""
    if not text:
        return ""
    units = _to_utf16_units(text)
    parts = words(_APOS_RE.sub("", deburr(units)))
    return _from_utf16_units("-".join(p.lower() for p in parts))
