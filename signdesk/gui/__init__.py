"""The desktop app (PySide6): live recognition window over the headless core.

Qt is imported only inside this package; the core modules (capture, landmarks, window,
recognizer, pipeline) stay Qt-free so the CLI and tests can use them without a display.
"""
