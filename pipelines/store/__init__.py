"""Store: the dlt source, the destinations (targets), the lock, the load itself and the views.

The only stage that imports dlt, and only inside functions, so that importing it stays cheap.
"""
