"""Display names compared the way a reader's eye compares them.

`name_key` folds case, accents, spacing, punctuation and look-alike characters
(Cyrillic "а" for Latin "a", "0" for "o", ...) so that a guest cannot post as
"Jоhn Smith" beside the registered John Smith.
"""

import re
import unicodedata

from broadsheet.core.lookalikes import latin_lookalike

# Digits and symbols that stand in for letters in impersonation.
# "1", "|", "i" and "l" read alike (after case folding "I" is "i"), so all fold to "l".
_LEET = str.maketrans(
    {
        "0": "o",
        "1": "l",
        "i": "l",
        "|": "l",
        "3": "e",
        "4": "a",
        "5": "s",
        "7": "t",
        "$": "s",
        "@": "a",
    }
)


def name_key(name: str) -> str:
    text = unicodedata.normalize("NFKD", name.casefold())
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = "".join(latin_lookalike(ch) for ch in text).casefold()
    text = text.translate(_LEET)
    # "rn" reads as "m" in most fonts.
    text = text.replace("rn", "m")
    return re.sub(r"[\W_]+", "", text)
