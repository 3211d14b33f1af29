"""Transform: pure rules from raw rows to versioned rows and Arrow tables.

Fields, flattening, change detection (history), the run over one read of the catalogue, and
the explicit Arrow schemas. Never imports dlt, nor the store or present stages.
"""
