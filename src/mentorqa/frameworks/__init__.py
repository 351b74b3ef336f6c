"""Framework models, loading, validation and the registry of available frameworks."""

from .loader import load_framework, parse_framework
from .model import Framework, Indicator, Level, PracticeArea
from .registry import Found, discover, get

__all__ = [
    "Found",
    "Framework",
    "Indicator",
    "Level",
    "PracticeArea",
    "discover",
    "get",
    "load_framework",
    "parse_framework",
]
