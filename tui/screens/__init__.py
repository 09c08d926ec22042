"""Screens: the main reading room, help."""
