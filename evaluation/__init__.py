"""evaluation: quality figures for extraction, deadlines, search and prior wording, over development sets.

It stands above the stages it measures (ingest, nlp, index) and below the application, whose
``conclusio eval`` command calls it. Its own data sets are in ``evaluation/data`` (see ``datasets``).
"""
