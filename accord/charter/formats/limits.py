"""How much an imported file may hold before Accord refuses it.

Every file a person imports is untrusted: it may be a mistake (a 5 MB paste) or an attack
(an XML entity bomb, a zip bomb, nesting deep enough to exhaust the stack). The importers
read these numbers at call time, so an operator or a test can change one by assigning to
this module (``limits.MAX_FILE_BYTES = ...``) without touching the importers.
"""

MAX_FILE_BYTES = 10 * 1024 * 1024
"""Bytes in the file as uploaded, whatever its format: a long treaty in Word is a few MB."""

MAX_XML_DEPTH = 100
"""Element nesting in Akoma Ntoso XML. Real acts nest a dozen levels with their inline
markup; libxml2 itself stops at 256 levels when its huge-tree option is off."""

MAX_ZIP_MEMBERS = 2_000
"""Files inside a .docx archive; Word writes a few dozen, more with images."""

MAX_ZIP_UNCOMPRESSED = 100 * 1024 * 1024
"""Bytes of all the archive's members once decompressed: zipfile never returns more than
a member's declared size (a member that would is a CRC error), so the declared sizes bound
what reading the archive costs."""

MAX_ZIP_RATIO = 200
"""Decompressed over compressed size of one member. WordprocessingML compresses about
tenfold; a bomb compresses a thousandfold or more."""
