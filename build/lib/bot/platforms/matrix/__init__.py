"""Matrix adapter (matrix-nio): commands from `!aktivera …` messages, war rooms as rooms."""

from bot.platforms.matrix.client import MatrixError
from bot.platforms.matrix.platform import MatrixPlatform

__all__ = ["MatrixError", "MatrixPlatform"]
