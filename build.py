"""Build every meeting's documents: ``python build.py`` is ``rardocs build``."""

import sys

from rardocs.cli import main

if __name__ == "__main__":
    sys.exit(main(["build", *sys.argv[1:]]))
