"""Tests of the desktop app (signdesk.gui), run offscreen with pytest-qt."""
