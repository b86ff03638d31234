from django.apps import AppConfig


class ForumConfig(AppConfig):
    name = "accord.forum"
    label = "forum"
    verbose_name = "Forum"

    def ready(self) -> None:
        # Registers the forum's statement kinds and its rules-of-procedure admission rule, and
        # declares its acts, whose grants a newly founded forum's profile takes.
        # Declares the witness acts, registers the witnesses profile section and the source the
        # ledger's checkpointer asks who the witnesses are (issue 11 §2).
        from accord.forum import acts, statements, witness_acts, witness_policy  # noqa: F401, PLC0415  # noqa: F401, PLC0415
        from accord.forum.readership import ForumReadership  # noqa: PLC0415
        from accord.forum.standing import ForumStanding  # noqa: PLC0415
        from accord.ledger.registry import register_readership  # noqa: PLC0415
        from accord.people.standing import register_standing  # noqa: PLC0415

        # Registers who reads restricted bodies by default (the participating parties).
        register_readership(ForumReadership())
        # Tells the people app who is staff and whose role needs TOTP, which it cannot import.
        register_standing(ForumStanding())
