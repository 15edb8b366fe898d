"""The raw-SQL floors of the benchmark: each figure's computation as one hand-written query.

Each function runs one ``cursor.execute`` and returns its rows. The benchmark times them
the same way as the selectors and checks that both give the same result; a floor is what
the database needs at the least for the answer, without the ORM and without the access
policy's general form (the user's organisations are passed in, as the policy has them
cached on the user once a request has read their memberships).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Sequence
from typing import Any

from django.db import connection


def rows(sql: str, params: dict[str, Any]) -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return list(cursor.fetchall())


# --- Reach (reports.selectors) ---------------------------------------------------------------

# A duplicate registration counts as its original person.
PERSON = "COALESCE(p.duplicate_of_id, p.id)"

REACHED = f"""
    SELECT {{group}} AS key, COUNT(DISTINCT {PERSON}) AS n
    FROM cases_case c
    JOIN participants_participant p ON p.id = c.participant_id
    {{join}}
    WHERE c.entry_date <= %(day)s {{where}}
    GROUP BY 1
"""

SUCCEEDED = f"""
    SELECT {{group}} AS key, COUNT(DISTINCT {PERSON}) AS n
    FROM cases_outcome o
    JOIN cases_case c ON c.id = o.case_id
    JOIN participants_participant p ON p.id = c.participant_id
    {{join}}
    WHERE o.outcome_type = ANY(%(success)s) AND o.achieved_on <= %(day)s {{where}}
    GROUP BY 1
"""


def programme_reach(
    *, programme_id: int, day: dt.date, success: Collection[str]
) -> list[tuple[Any, ...]]:
    """(reached, succeeded) of one programme."""
    parts = {"group": "c.programme_id", "join": "", "where": "AND c.programme_id = %(programme)s"}
    return rows(
        f"""
        SELECT COALESCE((SELECT n FROM ({REACHED.format(**parts)}) r), 0),
               COALESCE((SELECT n FROM ({SUCCEEDED.format(**parts)}) s), 0)
        """,
        {"programme": programme_id, "day": day, "success": list(success)},
    )


def reach_per_programme(*, day: dt.date, success: Collection[str]) -> list[tuple[Any, ...]]:
    """(programme id, reached, succeeded) of every programme."""
    parts = {"group": "c.programme_id", "join": "", "where": ""}
    return rows(
        f"""
        WITH reached AS ({REACHED.format(**parts)}), succeeded AS ({SUCCEEDED.format(**parts)})
        SELECT pr.id, COALESCE(r.n, 0), COALESCE(s.n, 0)
        FROM programmes_programme pr
        LEFT JOIN reached r ON r.key = pr.id
        LEFT JOIN succeeded s ON s.key = pr.id
        ORDER BY pr.id
        """,
        {"day": day, "success": list(success)},
    )


def reach_per_municipality(*, day: dt.date, success: Collection[str]) -> list[tuple[Any, ...]]:
    """(municipality id, name, reached, succeeded) of every municipality owning a programme
    with a case or a success, by name."""
    parts = {
        "group": "pr.owner_id",
        "join": "JOIN programmes_programme pr ON pr.id = c.programme_id",
        "where": "",
    }
    return rows(
        f"""
        WITH reached AS ({REACHED.format(**parts)}), succeeded AS ({SUCCEEDED.format(**parts)})
        SELECT o.id, o.name, COALESCE(r.n, 0), COALESCE(s.n, 0)
        FROM reached r
        FULL JOIN succeeded s ON s.key = r.key
        JOIN accounts_organisation o ON o.id = COALESCE(r.key, s.key)
        ORDER BY o.name
        """,
        {"day": day, "success": list(success)},
    )


# --- A programme as of a day (programmes.selectors.programme_as_of) -------------------------


def programme_as_of(*, programme_id: int, day: dt.date, known_on: dt.date) -> list[tuple[Any, ...]]:
    """One row: the end date, the modules with their days, the rule in force, the budgets
    (module, year, planned, moved in, moved out) and the decisions behind the reading.

    In force on ``day`` as known on ``known_on`` (docs/decisions/0007-programme-over-time.md):
    amendments of decisions in the record by then, from their effective day until a known
    revocation takes effect; of several setting the same thing, the one starting latest, then
    the later decision, then the later amendment. The same reads as the selector's queries,
    folded into one statement; the lists come back as JSON with numbers and dates as text.
    """
    return rows(
        """
        WITH known AS (
            SELECT a.id, a.kind, a.module_id, a.new_end_date, a.eligibility_rule_id,
                   a.decision_id, a.effective_on, a.revokes_id, d.sequence, a.position
            FROM programmes_amendment a
            JOIN programmes_decision d ON d.id = a.decision_id
            WHERE a.programme_id = %(programme)s AND d.status IN ('adopted', 'revoked')
              AND d.known_from <= %(known)s
        ), revoked AS (
            SELECT revokes_id AS id, MIN(effective_on) AS from_day
            FROM known WHERE kind = 'revoke' GROUP BY revokes_id
        ), in_force AS (
            SELECT k.* FROM known k LEFT JOIN revoked r ON r.id = k.id
            WHERE k.effective_on <= %(day)s AND (r.from_day IS NULL OR %(day)s < r.from_day)
        ), ends AS (
            SELECT new_end_date AS ends_on FROM in_force
            WHERE kind IN ('set_up', 'extend_programme') AND new_end_date IS NOT NULL
            ORDER BY effective_on DESC, sequence DESC, position DESC LIMIT 1
        ), module_ends AS (
            SELECT DISTINCT ON (module_id) module_id, new_end_date
            FROM in_force
            WHERE kind = 'end_module' AND module_id IS NOT NULL
            ORDER BY module_id, effective_on DESC, sequence DESC, position DESC
        ), modules AS (
            SELECT m.id, m.code, m.valid_from,
                   LEAST(
                       COALESCE(
                           me.new_end_date,
                           CASE WHEN m.valid_until < (
                               SELECT k2.new_end_date FROM known k2
                               LEFT JOIN revoked r2 ON r2.id = k2.id
                               WHERE k2.kind IN ('set_up', 'extend_programme')
                                 AND k2.effective_on <= added.effective_on
                                 AND (r2.from_day IS NULL OR added.effective_on < r2.from_day)
                               ORDER BY k2.effective_on DESC, k2.sequence DESC, k2.position DESC
                               LIMIT 1
                           ) THEN m.valid_until END,
                           e.ends_on
                       ),
                       e.ends_on,
                       CASE WHEN rv.from_day <= %(day)s THEN rv.from_day - 1 END
                   ) AS valid_until
            FROM programmes_module m
            JOIN known added ON added.id = m.added_by_id
            CROSS JOIN ends e
            LEFT JOIN module_ends me ON me.module_id = m.id
            LEFT JOIN revoked rv ON rv.id = added.id
            WHERE m.programme_id = %(programme)s AND added.effective_on <= %(day)s
              AND NOT (rv.from_day IS NOT NULL AND rv.from_day <= %(day)s
                       AND rv.from_day <= m.valid_from)
        ), money AS (
            SELECT b.module_id, b.budget_year, b.planned_amount AS planned,
                   0 AS moved_in, 0 AS moved_out
            FROM budgets_budgetline b JOIN in_force a ON a.id = b.adopted_by_id
            UNION ALL
            SELECT r.to_module_id, r.budget_year, 0, r.amount, 0
            FROM budgets_reallocation r JOIN in_force a ON a.id = r.amendment_id
            UNION ALL
            SELECT r.from_module_id, r.budget_year, 0, 0, r.amount
            FROM budgets_reallocation r JOIN in_force a ON a.id = r.amendment_id
        ), budgets AS (
            SELECT module_id, budget_year, SUM(planned) AS planned, SUM(moved_in) AS moved_in,
                   SUM(moved_out) AS moved_out
            FROM money WHERE module_id IN (SELECT id FROM modules) GROUP BY 1, 2
        )
        SELECT
            (SELECT ends_on FROM ends),
            (SELECT json_agg(json_build_array(code, valid_from::text, valid_until::text)
                             ORDER BY code) FROM modules),
            (SELECT eligibility_rule_id FROM in_force
             WHERE kind = 'change_eligibility' AND eligibility_rule_id IS NOT NULL
             ORDER BY effective_on DESC, sequence DESC, position DESC LIMIT 1),
            (SELECT json_agg(json_build_array(m.code, b.budget_year, b.planned::text,
                                              b.moved_in::text, b.moved_out::text)
                             ORDER BY b.budget_year, m.code)
             FROM budgets b JOIN programmes_module m ON m.id = b.module_id),
            (SELECT json_agg(DISTINCT decision_id) FROM in_force)
        """,
        {"programme": programme_id, "day": day, "known": known_on},
    )


# --- The access policy (accounts.policy) -----------------------------------------------------
#
# The user's organisations by role are parameters: %(case_orgs)s (coach or provider admin),
# %(coordination)s (coordinator), %(course_orgs)s (course staff); %(day)s is today.

IN_FORCE = """
    c.given_on <= %(day)s
    AND (c.expires_on IS NULL OR c.expires_on >= %(day)s)
    AND (c.withdrawn_on IS NULL OR c.withdrawn_on > %(day)s)
    AND c.used_on IS NULL
"""

# Consents in force that open another controller's file to the user: to their organisation,
# to a programme in which their organisation leads the person's running case, or to their
# coordination. ``{categories}`` narrows to consents naming some of the given categories.
GRANTING = f"""
    SELECT c.file_id, f.participant_id, f.controller_id
    FROM participants_consent c
    JOIN participants_participantfile f ON f.id = c.file_id
    WHERE {IN_FORCE}
      AND NOT f.controller_id = ANY(%(case_orgs)s::bigint[])
      AND (
        (c.purpose = 'case_sharing' AND c.recipient_id = ANY(%(case_orgs)s::bigint[]))
        OR (c.purpose = 'case_sharing' AND c.recipient_programme_id IS NOT NULL AND EXISTS (
            SELECT 1 FROM cases_case k
            WHERE k.programme_id = c.recipient_programme_id
              AND k.participant_id = f.participant_id
              AND k.lead_provider_id = ANY(%(case_orgs)s::bigint[])
              AND k.entry_date <= %(day)s
              AND (k.exit_date IS NULL OR k.exit_date >= %(day)s)))
        OR (c.purpose = 'coordination_details'
            AND c.recipient_id = ANY(%(coordination)s::bigint[]))
      )
      {{categories}}
"""


def _granting(categories: Sequence[str] = ()) -> str:
    if not categories:
        return GRANTING.format(categories="")
    names = ", ".join(f"'{c}'" for c in categories)
    return GRANTING.format(categories=f"AND c.data_categories ?| array[{names}]")


# Files the user may open: their organisation's own, and those shared with them.
VISIBLE_FILES = f"""
    SELECT f.id FROM participants_participantfile f
    WHERE f.controller_id = ANY(%(case_orgs)s::bigint[])
    UNION
    SELECT g.file_id FROM ({_granting()}) g
"""

# Cases whose content the user may read: led by their organisation, or shared by a consent
# naming case notes or outcomes in the lead organisation's file on the person.
VISIBLE_CASES = f"""
    SELECT k.id FROM cases_case k WHERE k.lead_provider_id = ANY(%(case_orgs)s::bigint[])
    UNION
    SELECT k.id FROM ({_granting(["case_notes", "outcomes"])}) g
    JOIN cases_case k ON k.participant_id = g.participant_id
                     AND k.lead_provider_id = g.controller_id
"""

# People whose names the user may read: their organisation keeps a file on them, another
# controller shared their identity, they are enrolled in the user's course runs, or the
# user's coordination is still working their registration (no file anywhere yet).
REGISTER = f"""
    SELECT f.participant_id AS id FROM participants_participantfile f
    WHERE f.controller_id = ANY(%(case_orgs)s::bigint[])
    UNION
    SELECT g.participant_id FROM ({_granting(["identity"])}) g
    UNION
    SELECT k.participant_id FROM cases_enrolment e
    JOIN programmes_offer o ON o.id = e.offer_id
    JOIN cases_case k ON k.id = e.case_id
    WHERE o.provider_id = ANY(%(course_orgs)s::bigint[])
    UNION
    SELECT p.id FROM participants_participant p
    WHERE p.municipality_id = ANY(%(coordination)s::bigint[])
      AND NOT EXISTS (SELECT 1 FROM participants_participantfile f WHERE f.participant_id = p.id)
"""


def count(ids_sql: str, params: dict[str, Any]) -> list[tuple[Any, ...]]:
    return rows(f"SELECT COUNT(*) FROM ({ids_sql}) v", params)


def ids(ids_sql: str, params: dict[str, Any]) -> list[tuple[Any, ...]]:
    return rows(ids_sql, params)


def file_page(params: dict[str, Any], *, page: int, per_page: int) -> list[tuple[Any, ...]]:
    """One page of visible files, newest first, with the person and the controller (as the
    file list shows them) and the number of all visible files."""
    return rows(
        f"""
        WITH visible AS ({VISIBLE_FILES})
        SELECT f.id, p.person_key, o.name, (SELECT COUNT(*) FROM visible)
        FROM visible v
        JOIN participants_participantfile f ON f.id = v.id
        JOIN participants_participant p ON p.id = f.participant_id
        JOIN accounts_organisation o ON o.id = f.controller_id
        ORDER BY f.opened_on DESC, f.id DESC
        LIMIT %(limit)s OFFSET %(offset)s
        """,
        {**params, "limit": per_page, "offset": (page - 1) * per_page},
    )


def case_page(params: dict[str, Any], *, per_page: int) -> list[tuple[Any, ...]]:
    """The first visible cases, newest entry first."""
    return rows(
        f"""
        SELECT k.id FROM cases_case k
        WHERE k.id IN ({VISIBLE_CASES})
        ORDER BY k.entry_date DESC, k.id DESC
        LIMIT %(limit)s
        """,
        {**params, "limit": per_page},
    )


def pseudonymised_page(*, programme_id: int, page: int, per_page: int) -> list[tuple[Any, ...]]:
    """One page of a programme's cases by person key, as the coordination sees them: person
    key, date of birth, gender, modules, entry, exit, attendance hours, minutes of coaching,
    outcome types; and the number of cases."""
    return rows(
        """
        WITH shown AS (
            SELECT k.id, k.participant_id, k.entry_date, k.exit_date
            FROM cases_case k
            WHERE k.programme_id = %(programme)s
            ORDER BY k.entry_date, k.id
            LIMIT %(limit)s OFFSET %(offset)s
        )
        SELECT s.id, p.person_key, p.date_of_birth, p.gender, s.entry_date, s.exit_date,
            (SELECT array_agg(DISTINCT m.code) FROM cases_enrolment e
             JOIN programmes_offer o ON o.id = e.offer_id
             JOIN programmes_module m ON m.id = o.module_id
             WHERE e.case_id = s.id),
            (SELECT SUM(a.hours) FROM cases_attendance a
             JOIN cases_enrolment e ON e.id = a.enrolment_id WHERE e.case_id = s.id),
            (SELECT SUM(c.duration_minutes) FROM cases_contact c WHERE c.case_id = s.id),
            (SELECT array_agg(o.outcome_type) FROM cases_outcome o WHERE o.case_id = s.id),
            (SELECT COUNT(*) FROM cases_case WHERE programme_id = %(programme)s)
        FROM shown s
        JOIN participants_participant p ON p.id = s.participant_id
        ORDER BY s.entry_date, s.id
        """,
        {
            "programme": programme_id,
            "limit": per_page,
            "offset": (page - 1) * per_page,
        },
    )


# --- Usage evaluation (reports.evaluation.usage_evaluation) -----------------------------------


def usage_per_module(
    *, programme_id: int, start: dt.date, end: dt.date, success: Collection[str]
) -> list[tuple[Any, ...]]:
    """Per module of the programme that began by ``end``: (code, entries, active, waiting,
    completions, dropouts, successes, spent) — the module rows of the usage evaluation.

    Persons fold duplicates into their original. Taking part comes from module
    participations; waiting, completions and dropouts from enrolments in the module's offers
    that had not ended before the period; successes after the participation began; spent is
    what was booked on the module's budget lines in the period.
    """
    return rows(
        f"""
        WITH modules AS (
            SELECT id, code FROM programmes_module
            WHERE programme_id = %(programme)s AND valid_from <= %(end)s
        ), taking_part AS (
            SELECT mp.module_id,
                   COUNT(DISTINCT {PERSON}) FILTER (WHERE mp.from_date >= %(start)s) AS entries,
                   COUNT(DISTINCT {PERSON}) FILTER (
                       WHERE mp.to_date IS NULL OR mp.to_date >= %(start)s) AS active
            FROM cases_moduleparticipation mp
            JOIN cases_case c ON c.id = mp.case_id
            JOIN participants_participant p ON p.id = c.participant_id
            WHERE mp.module_id IN (SELECT id FROM modules) AND mp.from_date <= %(end)s
            GROUP BY mp.module_id
        ), enrolled AS (
            SELECT o.module_id,
                   COUNT(DISTINCT {PERSON}) FILTER (
                       WHERE e.requested_on <= %(end)s
                         AND (e.started_on IS NULL OR e.started_on > %(end)s)
                         AND (e.ended_on IS NULL OR e.ended_on > %(end)s)) AS waiting,
                   COUNT(DISTINCT {PERSON}) FILTER (
                       WHERE e.status = 'completed'
                         AND e.ended_on BETWEEN %(start)s AND %(end)s) AS completions,
                   COUNT(DISTINCT {PERSON}) FILTER (
                       WHERE e.status = 'dropped'
                         AND e.ended_on BETWEEN %(start)s AND %(end)s) AS dropouts
            FROM cases_enrolment e
            JOIN programmes_offer o ON o.id = e.offer_id
            JOIN cases_case c ON c.id = e.case_id
            JOIN participants_participant p ON p.id = c.participant_id
            WHERE o.module_id IN (SELECT id FROM modules)
              AND (o.ends_on IS NULL OR o.ends_on >= %(start)s)
            GROUP BY o.module_id
        ), succeeded AS (
            SELECT mp.module_id, COUNT(DISTINCT {PERSON}) AS n
            FROM cases_moduleparticipation mp
            JOIN cases_outcome oc ON oc.case_id = mp.case_id
            JOIN cases_case c ON c.id = mp.case_id
            JOIN participants_participant p ON p.id = c.participant_id
            WHERE mp.module_id IN (SELECT id FROM modules)
              AND oc.outcome_type = ANY(%(success)s)
              AND oc.achieved_on BETWEEN %(start)s AND %(end)s
              AND oc.achieved_on >= mp.from_date
            GROUP BY mp.module_id
        ), spent AS (
            SELECT bl.module_id, SUM(x.amount) AS total
            FROM budgets_expenditure x
            JOIN budgets_budgetline bl ON bl.id = x.budget_line_id
            WHERE bl.module_id IN (SELECT id FROM modules)
              AND x.spent_on BETWEEN %(start)s AND %(end)s
            GROUP BY bl.module_id
        )
        SELECT m.code, COALESCE(t.entries, 0), COALESCE(t.active, 0),
               COALESCE(e.waiting, 0), COALESCE(e.completions, 0), COALESCE(e.dropouts, 0),
               COALESCE(s.n, 0), COALESCE(x.total, 0)
        FROM modules m
        LEFT JOIN taking_part t ON t.module_id = m.id
        LEFT JOIN enrolled e ON e.module_id = m.id
        LEFT JOIN succeeded s ON s.module_id = m.id
        LEFT JOIN spent x ON x.module_id = m.id
        ORDER BY m.code
        """,
        {"programme": programme_id, "start": start, "end": end, "success": list(success)},
    )
