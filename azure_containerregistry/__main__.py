"""``python -m azure_containerregistry``: see :mod:`azure_containerregistry._cli`."""

import sys

from ._cli import main

if __name__ == "__main__":
    sys.exit(main())
