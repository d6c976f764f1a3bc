"""Makes the program directory and lambda_src importable for the tests."""

import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
for p in (HERE, os.path.join(HERE, "lambda_src")):
    if p not in sys.path:
        sys.path.insert(0, p)
