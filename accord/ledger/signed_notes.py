"""The notes the log signs besides checkpoints: receipts and refusals.

Both are C2SP signed notes under the log's key, so anyone can check them with
``accord.tlog.note`` (or Go's ``note.Open``) and the log's verifier key::

    accord-receipt/v1            accord-refusal/v1
    <origin>                     <origin>
    index <n>                    statement <hex SHA-256 of the submitted bytes>
    leaf <base64 leaf hash>      code <code>
    logged_at <time>             at <time>
                                 reason <sentence>

A receipt proves the log integrated a statement at an index and time; a
refusal proves the log turned a submission away, and why, so a host cannot
quietly sit on an objection until a deadline has passed.
"""

import base64

from accord.tlog import note

RECEIPT = "accord-receipt/v1"
REFUSAL = "accord-refusal/v1"


def receipt_text(origin: str, index: int, leaf_hash: bytes, logged_at: str) -> str:
    leaf = base64.b64encode(leaf_hash).decode()
    return f"{RECEIPT}\n{origin}\nindex {index}\nleaf {leaf}\nlogged_at {logged_at}\n"


def refusal_text(origin: str, statement_hash: str, code: str, at: str, reason: str) -> str:
    one_line = " ".join(reason.split())
    lines = [
        REFUSAL,
        origin,
        f"statement {statement_hash}",
        f"code {code}",
        f"at {at}",
        f"reason {one_line}",
    ]
    return "".join(line + "\n" for line in lines)


def sign(text: str, log: note.Signer) -> str:
    return note.sign(text, log)
