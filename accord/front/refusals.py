"""A refusal's code as a sentence in the reader's language, beside the log's own reason.

The log's reasons are English sentences built from the statement (they are signed into
refusal notes and must not depend on who reads them); the pages add this translation.
"""

from django.utils.translation import gettext_lazy as _

from accord.ledger.errors import Rejected

SENTENCES = {
    "not_permitted": _("The rules of procedure do not allow this act for your party and role."),
    "unknown_person": _("You are not accredited to any delegation."),
    "not_your_party": _("You can act only for your own party."),
    "no_invitation": _("There is no invitation awaiting an answer."),
    "answered": _("This invitation has been answered so already."),
    "already_member": _("This party takes part already."),
    "already_invited": _("This party holds an invitation it has not answered."),
    "cannot_invite": _("This party cannot be invited."),
    "wrong_name": _("This party is known under another name."),
    "already_joined": _("Your party has joined already."),
    "holds_chair": _("The chair must be handed over first."),
    "not_participating": _("The chair can be handed only to a participating party."),
    "unknown_party": _("This party is not known to the forum."),
    "bad_role": _("Only the secretariat has staff, and it has no delegation roles."),
    "handle_taken": _(
        "This person was added for another party, or is accredited to one; only that party"
        " accredits them."
    ),
    "already_accredited": _("This person is accredited already."),
    "has_head": _("Your party has a head of delegation; withdraw them first."),
    "not_accredited": _("This person is not accredited to your party."),
    "no_hosted_key": _("This host keeps no key for your party; sign with your own key."),
    "key_not_held": _(
        "This host does not hold that key for your party, so it cannot act with it as hosted."
    ),
    "own_custody": _(
        "Your party keeps its own key; this host does not sign for it. Sign with your own key."
    ),
}


def sentence(refusal: Rejected) -> str:
    """The refusal for the reader: the translated sentence, or the log's reason."""
    translated = SENTENCES.get(refusal.code)
    return str(translated) if translated is not None else refusal.reason
