"""Following sources: subscriptions (`feeds.yaml`), polite fetching, and what each fetch did.

Only this package talks HTTP. What it fetches enters the library through the
same importer as files (`importing.library`).
"""
