"""A party's own C2SP tlog-witness: ``accord witness init`` and ``accord witness serve``.

The rules (what to answer to an ``add-checkpoint`` request) are
``accord.tlog.witness``; this package gives them a folder to live in
(``folder``), a store on disk that survives a crash and a second process
(``store``), and a small HTTP server (``server``). No Django and no database
server: a party runs it on a laptop. See docs/witness.md.
"""
