"""Entry point of the PyInstaller bundle: the same ``signdesk`` command as a pip install."""

import multiprocessing
import sys

from signdesk.cli import main

if __name__ == "__main__":
    multiprocessing.freeze_support()
    sys.exit(main())
