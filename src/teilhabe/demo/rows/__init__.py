"""The many rows about people, built from a seeded ``random.Random`` for the demo data.

Each row is a named tuple whose fields are its model's attributes (``case_id`` …), cheap to
build by the million; ``writer.BulkWriter`` writes them. Every row satisfies the model's
check constraints, and a case's eligibility snapshot comes from the evaluator the case
services use, so a demo case explains itself like a real one.
"""
