"""IpcError: a failure with its InvocationResult error code (SPEC §6)."""

from __future__ import annotations

TYPE_CHECKING = False  # typing is not imported at run time: the invoker starts faster without it
if TYPE_CHECKING:
    from typing import Any


class IpcError(Exception):
    """A failure with its InvocationResult error code (SPEC §6)."""

    def __init__(self, code: str, message: str, details: dict[str, Any] | None = None):
        super().__init__(message)
        self.code, self.message, self.details = code, message, details or {}
