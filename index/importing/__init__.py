"""Bringing articles into the library: file formats, HTML text extraction, the
incoming record, automatic enrichment, and the library writer.
"""
