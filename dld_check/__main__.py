"""`python -m dld_check exercises.ipynb`: the learner's self-check."""

import sys

from dld_check.check import main

sys.exit(main())
