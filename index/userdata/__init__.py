"""What the user writes and must never lose: annotations, their anchoring, reading state."""
