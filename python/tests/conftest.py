"""The package is imported from python/ (its parent), as a generated repo imports its vendored copy."""

from __future__ import annotations

import sys
from pathlib import Path

sys.dont_write_bytecode = True
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
