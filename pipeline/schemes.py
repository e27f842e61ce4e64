"""The classification schemes pmm knows, named once.

"gcm": the 23 GCM objectives; "sdg": the 17 SDGs, or their 169 targets at level "target";
"challenge": the Informe's 21 challenge ("retos") categories.
"""

GCM = "gcm"
SDG = "sdg"
CHALLENGE = "challenge"
SCHEMES = (GCM, SDG, CHALLENGE)

GOAL = "goal"
TARGET = "target"
LEVELS = {GCM: (GOAL,), SDG: (GOAL, TARGET), CHALLENGE: (GOAL,)}

# The field of a stored action each scheme classifies: challenges are read from what the
# submission reports as its challenges, the rest from the action's text.
TEXT_FIELD = {GCM: "text", SDG: "text", CHALLENGE: "challenges_text"}


def family(scheme: str, level: str = GOAL) -> str:
    """The name of a scheme's model family (its folder under models/): "gcm", "sdg", "sdg-target"."""
    return scheme if level == GOAL else f"{scheme}-{level}"
