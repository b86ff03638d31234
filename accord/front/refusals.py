"""A refusal's code as a sentence in the reader's language, beside the log's own reason.

The log's reasons are English sentences built from the statement (they are signed into
refusal notes and must not depend on who reads them); the pages add this translation.
Each act declares the sentences of its own refusals (``accord.ledger.acts``); here are
those any act can meet: the rules of procedure and the keys.
"""

from django.utils.translation import gettext_lazy as _

from accord.ledger.acts import Act, refusal_sentence
from accord.ledger.errors import Rejected

SENTENCES = {
    "not_permitted": _("The rules of procedure do not allow this act for your party and role."),
    "unknown_person": _("You are not accredited to any delegation."),
    "not_your_party": _("You can act only for your own party."),
    "unknown_party": _("This party is not known to the forum."),
    "no_hosted_key": _("This host keeps no key for your party; sign with your own key."),
    "key_not_held": _(
        "This host does not hold that key for your party, so it cannot act with it as hosted."
    ),
    "own_custody": _(
        "Your party keeps its own key; this host does not sign for it. Sign with your own key."
    ),
}


def sentence(refusal: Rejected, act: Act | None = None) -> str:
    """The refusal for the reader: the act's own sentence for its code, a sentence any act
    can meet, another declared act's, or else the log's reason."""
    own = act.refusals.get(refusal.code) if act is not None else None
    if own is not None:
        return str(own)
    common = SENTENCES.get(refusal.code)
    if common is not None:
        return str(common)
    return refusal_sentence(refusal.code) or refusal.reason
