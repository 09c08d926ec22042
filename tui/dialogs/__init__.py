"""Modal dialogs: the annotation editor, confirmations, the export path."""
