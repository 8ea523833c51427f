"""signdesk: live sign-language word recognition from a webcam, fully offline."""

__version__ = "0.1.0"
