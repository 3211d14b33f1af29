"""Extract: HTTP only. The client, retries, response shapes, concurrent pages, the gate.

Never imports dlt, nor any later stage (transform, store, present).
"""
