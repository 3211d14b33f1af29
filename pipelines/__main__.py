"""`python -m pipelines` is the `iomodels` command."""

import sys

from pipelines.cli import main

sys.exit(main())
