"""Schemathesis hooks for Vexil: a check that every refused request left the database as it was.

The server under test runs on the database named by FUZZ_DATABASE (a SQLite file, or a
PostgreSQL URL read with psycopg); before each call the
hook fingerprints every data table plus the change log and the snapshots, and the check
compares after any 4xx answer. Calls run one at a time (one worker), so the fingerprint
taken before the latest call is the one to compare with.
"""

import hashlib
import os
import sqlite3

import psycopg

import schemathesis

TABLES = [
    "namespaces", "flags", "variants", "segments", "constraints", "rules", "rule_segments",
    "distributions", "rollouts", "rollout_thresholds", "rollout_segments",
    "rollout_segment_references", "changes", "snapshots",
]
POSTGRES = None
BEFORE = {"fingerprint": None, "calls": 0, "compared": 0}


def fingerprint():
    database = os.environ["FUZZ_DATABASE"]
    if database.startswith("postgres"):
        global POSTGRES
        if POSTGRES is None:
            POSTGRES = psycopg.connect(database, autocommit=True)
        query = " || ".join(
            f"(SELECT coalesce(md5(string_agg(t::text, '|' ORDER BY t::text)), '-') FROM {table} t)"
            for table in TABLES
        )
        return POSTGRES.execute(f"SELECT md5({query})").fetchone()[0]
    con = sqlite3.connect(f"file:{os.environ['FUZZ_DATABASE']}?mode=ro", uri=True)
    try:
        digest = hashlib.sha256()
        for table in TABLES:
            for row in con.execute(f"SELECT * FROM {table} ORDER BY 1, 2"):
                digest.update(repr(row).encode())
        return digest.hexdigest()
    finally:
        con.close()


@schemathesis.hook
def before_call(context, case):
    BEFORE["fingerprint"] = fingerprint()
    BEFORE["calls"] += 1


@schemathesis.check
def refused_requests_change_nothing(response, case):
    before, BEFORE["fingerprint"] = BEFORE["fingerprint"], None
    assert before is not None, "before_call did not run before this check"
    if 400 <= response.status_code < 500:
        BEFORE["compared"] += 1
        assert fingerprint() == before, (
            f"{case.method} {case.formatted_path} was refused with {response.status_code} "
            "but changed the database"
        )
