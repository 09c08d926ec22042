"""Reading a briefing folder: article files, their front matter and Markdown body,
sentences, the catalog (sources, themes, variants) and the gazetteer.

Plain Python over files; nothing here knows about the index or the interface.
"""
