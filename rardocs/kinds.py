"""The document kinds (as in file and template names) and what a user calls them.

A module of its own, free of imports, so the command line can offer them
without loading the rest of rardocs.
"""

DAGSORDEN, REFERAT, OPFOELGNINGSARK, PRESSEMEDDELELSE = "dagsorden", "referat", "opfoelgningsark", "pressemeddelelse"
DOCUMENT_KINDS = {DAGSORDEN: "Dagsorden", REFERAT: "Referat", OPFOELGNINGSARK: "Opfølgningsark",
                  PRESSEMEDDELELSE: "Pressemeddelelse"}
