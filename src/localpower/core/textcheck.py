"""Simple, configurable checks for abuse and spam in short texts people write (statements, comments, ideas).

``check_text(text, recent=...)`` returns a list of ``TextProblem`` (empty when the text looks fine); each has a
stable ``code`` and a plain-English ``message`` to show the writer. The checks are deliberately simple:

* ``blocked_word``: a word or phrase from the blocked list, matched on whole words only (so "Scunthorpe" and
  "classic" are fine), also when disguised with repeated letters ("fuuuck"), look-alike digits and symbols
  ("5h1t", "@ss"), dots, dashes or stars inside the word ("f.u.c.k", "sh-it") or spaced-out letters ("f u c k");
* ``too_many_links``: more web addresses than allowed;
* ``shouting``: mostly CAPITAL LETTERS in a text long enough for that to mean something;
* ``repeated_characters``: the same character many times in a row ("!!!!!!!!", "soooooooo");
* ``duplicate``: the same as one of the ``recent`` texts, ignoring case, spacing and punctuation.

Settings (all optional; read when the check runs, so tests can override them):

``TEXTCHECK_BLOCKED_WORDS``
    the words and phrases to refuse, a list of strings (default: ``DEFAULT_BLOCKED_WORDS``, a short list of
    common English swear words and slurs, each caught in the plural too; words with an everyday British meaning,
    such as "fag" (a cigarette: "fag ends") and "slag" ("slag heap"), are left out). Set it to ``[]`` to switch
    the word check off.
``TEXTCHECK_MAX_LINKS``
    how many web addresses a text may hold (default 1).
``TEXTCHECK_SHOUTING_RATIO``
    the share of capital letters, among at least 12 letters, that counts as shouting (default 0.7).
``TEXTCHECK_MAX_REPEAT``
    how many times one character may appear in a row (default 5).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from django.conf import settings
from django.utils.translation import gettext_lazy as _

__all__ = ["DEFAULT_BLOCKED_WORDS", "TextProblem", "check_text", "normalise_for_duplicates"]

DEFAULT_BLOCKED_WORDS: tuple[str, ...] = (
    "arse",
    "arsehole",
    "ass",
    "asshole",
    "bastard",
    "bellend",
    "bitch",
    "bollocks",
    "bullshit",
    "cock",
    "cunt",
    "dick",
    "dickhead",
    "faggot",
    "fuck",
    "fucker",
    "fucking",
    "motherfucker",
    "nigger",
    "paki",
    "piss off",
    "prick",
    "retard",
    "shit",
    "shite",
    "slut",
    "spastic",
    "tosser",
    "twat",
    "wanker",
    "whore",
)

MIN_LETTERS_FOR_SHOUTING = 12
_LEET = str.maketrans({"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s"})
_INNER_SEPARATORS = re.compile(r"(?<=[a-z])[.\-_*~]+(?=[a-z])")
_SPACED_LETTERS = re.compile(r"\b(?:[a-z] ){2,}[a-z]\b")
_LINK = re.compile(
    r"(?:https?://|www\.)\S+|\b[a-z0-9][a-z0-9-]*\.(?:com|org|net|info|biz|io|ly|me|co\.uk|org\.uk|uk)\b(?:/\S*)?",
    re.IGNORECASE,
)
_WORDS_ONLY = re.compile(r"[^\w]+", re.UNICODE)


@dataclass(frozen=True)
class TextProblem:
    code: str  # blocked_word, too_many_links, shouting, repeated_characters, duplicate
    message: str


def _fold(text: str) -> str:
    """Lower case without accents."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def _normalise_for_words(text: str) -> str:
    """The text as the word check sees it: folded, look-alikes replaced, disguises inside words removed."""
    text = _fold(text)
    # look-alike characters only inside or at the edge of words, so "£5" stays a number-ish token
    text = re.sub(r"(?<=[a-z])!(?=[a-z])", "i", text)
    text = re.sub(r"[\w@$]+", lambda m: m.group(0).translate(_LEET), text)
    text = _INNER_SEPARATORS.sub("", text)
    text = _SPACED_LETTERS.sub(lambda m: m.group(0).replace(" ", ""), text)
    return text


@lru_cache(maxsize=32)
def _pattern(words: tuple[str, ...]) -> re.Pattern | None:
    """One pattern for all ``words``: each letter may repeat ("f+u+c+k+"), whole words only."""
    parts = []
    for word in words:
        folded = _fold(word).strip()
        if not folded:
            continue
        tokens = folded.split()
        parts.append(r"\s+".join("".join(re.escape(c) + "+" for c in token) for token in tokens))
    if not parts:
        return None
    # A plural ("s" or "es") is the same word: "wankers" is caught as "wanker" is, "Dickens" is still a name.
    return re.compile(
        r"(?<![a-z0-9])(?:" + "|".join(sorted(parts, key=len, reverse=True)) + r")(?:e?s)?(?![a-z0-9])"
    )


def blocked_words() -> tuple[str, ...]:
    return tuple(getattr(settings, "TEXTCHECK_BLOCKED_WORDS", DEFAULT_BLOCKED_WORDS))


def normalise_for_duplicates(text: str) -> str:
    """Folded words separated by single spaces, for spotting the same text written twice."""
    return " ".join(_WORDS_ONLY.sub(" ", _fold(text)).split())


def check_text(text: str, *, recent: Iterable[str] = ()) -> list[TextProblem]:
    """What looks wrong with ``text`` (empty list: nothing). ``recent``: texts it must not repeat."""
    problems: list[TextProblem] = []
    pattern = _pattern(blocked_words())
    if pattern is not None and pattern.search(_normalise_for_words(text)):
        problems.append(
            TextProblem(
                "blocked_word", str(_("Remove the offensive language. Say what you mean without swearing."))
            )
        )
    max_links = int(getattr(settings, "TEXTCHECK_MAX_LINKS", 1))
    links = len(_LINK.findall(text))
    if links > max_links:
        problems.append(
            TextProblem(
                "too_many_links",
                str(_("Include no more than %(count)d web address.") % {"count": max_links})
                if max_links == 1
                else str(_("Include no more than %(count)d web addresses.") % {"count": max_links}),
            )
        )
    letters = [c for c in text if c.isalpha()]
    ratio = float(getattr(settings, "TEXTCHECK_SHOUTING_RATIO", 0.7))
    if len(letters) >= MIN_LETTERS_FOR_SHOUTING and sum(c.isupper() for c in letters) / len(letters) > ratio:
        problems.append(
            TextProblem("shouting", str(_("Write in normal sentence case, not in capital letters.")))
        )
    max_repeat = int(getattr(settings, "TEXTCHECK_MAX_REPEAT", 5))
    if re.search(r"(\S)\1{" + str(max_repeat) + ",}", text):
        problems.append(
            TextProblem(
                "repeated_characters",
                str(
                    _("Do not repeat the same character more than %(count)d times in a row.")
                    % {"count": max_repeat}
                ),
            )
        )
    own = normalise_for_duplicates(text)
    if own and any(normalise_for_duplicates(other) == own for other in recent):
        problems.append(TextProblem("duplicate", str(_("This has already been said. Add something new."))))
    return problems
