"""`python3 -m puruto_runtime ARGS` or `python3 <repo>/puruto_runtime/__main__.py ARGS` (how the
opencode and qwen adapters start their guards, from the target's folder): the invoker's CLI."""

import sys
from pathlib import Path

if not __package__:  # run as a file: import the package from the folder that holds it
    sys.path[0] = str(Path(__file__).resolve().parents[1])

from puruto_runtime.cli import main

sys.exit(main())
