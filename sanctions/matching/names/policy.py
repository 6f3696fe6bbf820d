"""The tuning constants of name alignment, in one place (see :mod:`sanctions.matching.names.align`).

Similarities are in [0, 1]; a word pair below ``MIN_SIM`` does not align. Changing a value here
changes scores: a released algorithm must keep its results, so a change goes with a new
algorithm version (``sanctions.matching.algorithms``).
"""

from __future__ import annotations

from sanctions.text.names import ORG, PERSON, VESSEL

# Alignment
MIN_SIM = 0.6  # least similarity for two words (or spans) to align
MAX_SPAN = 3  # a word may align with up to this many adjacent words of the other name joined
JOINED_MIN_SIM = 0.8  # least similarity for a joined span ("Abd Alla") to align with one word
SIM_POWER = 1.6  # an aligned pair adds similarity ** SIM_POWER times its weight
MINOR_FACTOR = 0.25  # weight of a minor word (particle, initial) against a full word

# Words left unaligned count against the score with this factor of their weight, by kind of
# party (a missing middle name is common for people; an extra "Holdings" is another company).
UNMATCHED = {PERSON: 0.5, ORG: 1.0, VESSEL: 1.0}
UNMATCHED_ANY = 0.8

# Weak evidence
WEAK_EVIDENCE = 0.7  # matched word weight below which a name agreement is weak
WEAK_CAP = 0.6  # ... and the score it is capped at
ONE_WORD_FACTOR = 0.8  # one shared word when either name has more to it
OTHER_NUMBER = 0.5  # both names keep a number of their own ("Sino Iron 1" / "Sino Iron 2")
GLUED_MIN_LEN = 5  # names written together are compared whole above this length

# Word similarity
PHONETIC_SIM = 0.95  # two words with one phonetic key
INITIAL_SIM = 0.9  # an initial and a word it starts
STRICT_EDIT = 3.0  # organisation words: a change that is no spelling variant counts this many times
SUBSTITUTION = 0.8  # organisations whose names each keep a word of their own
OTHER_PLACE = 0.85  # an organisation name naming a country the other does not (a subsidiary)
GIVEN_NAME_SIM = 0.9  # two forms of one given name (Edward / Eddie)
ROMAN_MIN_LEN = 5  # shorter words with one consonant key are often two English words (pier / peer)
ROMANISED_SIM = 0.85  # two romanisations of one foreign word in organisation names
BUSINESS_SIM = 0.9  # translations of one business word (milk / moloko / lait)
TYPO_MIN_LEN = 4
TYPO_SIM = 0.8
SKELETON_INFO = (0.0, 0.8, 1.0, 1.0)  # weight of a skeleton agreement by skeleton length 0, 1, 2, 3+

# Reading checks across scripts
KANA_GATE = 0.4  # a Latin word's katakana reading this unlike the query's: no skeleton match
ABJAD_GATE = 0.35  # the same for Arabic and Hebrew
