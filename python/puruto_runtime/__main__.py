"""`python3 -m puruto_runtime ARGS` or `python3 <repo>/puruto_runtime/__main__.py ARGS` (how the
opencode and qwen adapters start their guards, from the target's folder): the invoker's CLI."""

import os
import sys

if not __package__:  # run as a file: import the package from the folder that holds it
    sys.path[0] = os.path.dirname(os.path.dirname(os.path.realpath(__file__)))

from puruto_runtime.cli import main

sys.exit(main())
