"""Present: the read path. Query, summaries, the terminal and HTML reports.

Reads the published files only; never imports dlt, extract, transform or the load.
"""
