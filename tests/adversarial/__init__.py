"""What a hostile party, an unaccredited account, the host or a junk client could do.

One file per hole an adversarial probe of the demo found (issue: "What a hostile party or a
careless default can do today"); each test failed before its hole was closed. They run on
SQLite and again on PostgreSQL like every database test.
"""
