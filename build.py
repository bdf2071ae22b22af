"""Build every meeting's documents: ``python build.py`` is ``rardocs build``."""

import sys

from rardocs.cli import run

if __name__ == "__main__":
    run(["build", *sys.argv[1:]])
