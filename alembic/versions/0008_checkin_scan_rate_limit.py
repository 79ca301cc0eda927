"""checkin_decide_scan counts the desk's rate limit itself: one statement less per scan

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-22 14:10:00

The scan's function gains three arguments (the rate limit's key, window and limit) and counts the
hit before recording anything, refusing beyond the limit with SQLSTATE EV429. A check-in undone
while a scan found it is now an error too (EV409): the call may be a transaction of its own, and
nothing of the scan may be left behind. A new signature is a new function in PostgreSQL, so the
old one is dropped. The frozen copy here is the new version (0007 keeps the old one, which the
downgrade restores); a test checks that the migrated database holds the one the models create.
SQLite has no such function: there the application takes the same steps itself.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

FUNCTION_SQL = r"""
CREATE OR REPLACE FUNCTION checkin_decide_scan(
    p_event_id bigint,
    p_token text,
    p_lookup text,
    p_registration_id bigint,
    p_door text,
    p_session_id bigint,
    p_desk text,
    p_user_id bigint,
    p_nonce text,
    p_scanned_at timestamptz,
    p_now timestamptz,
    p_offline boolean,
    p_device_admitted boolean,
    p_refusals jsonb,
    p_undo_window interval,
    p_channel text,
    p_rate_key text,
    p_rate_window_start timestamptz,
    p_rate_limit integer
) RETURNS jsonb
LANGUAGE plpgsql
AS $function$
DECLARE
    v_scan_id bigint;
    v_answer jsonb;
    v_registration record;
    v_registration_id bigint;
    v_person jsonb;
    v_outcome text := 'ok';
    v_checkin_id bigint;
    v_first_at timestamptz;
    v_first_desk text;
    v_created_at timestamptz;
    v_admitted boolean := false;
    v_double boolean := false;
    v_other_desk text;
    v_undo_until timestamptz;
    v_hits integer;
BEGIN
    -- Count the scan against its desk's rate limit first: beyond it, nothing is recorded (the
    -- error undoes the count too). The caller raises the 429.
    IF p_rate_key IS NOT NULL THEN
        INSERT INTO rate_limits (id, key, window_start, count, last_hit_at, created_at, updated_at)
        VALUES (nextval('rate_limits_id_seq'), p_rate_key, p_rate_window_start, 1, p_now, p_now,
                p_now)
        ON CONFLICT (key, window_start) DO UPDATE
           SET count = rate_limits.count + 1, last_hit_at = p_now, updated_at = p_now
        RETURNING count INTO v_hits;
        IF v_hits > p_rate_limit THEN
            RAISE EXCEPTION USING ERRCODE = 'EV429', MESSAGE = 'rate_limited';
        END IF;
    END IF;

    -- Record the scan first: its nonce claims the scan (a repeat waits here for the first).
    INSERT INTO checkin_scans (
        id, event_id, registration_id, checkin_id, session_id, door, outcome, token, desk,
        user_id, nonce, scanned_at, received_at, offline, double_admission, answer,
        created_at, updated_at
    ) VALUES (
        nextval('checkin_scans_id_seq'), p_event_id, NULL, NULL, p_session_id, p_door,
        'unknown', p_token, p_desk, p_user_id, p_nonce, p_scanned_at, p_now, p_offline, false,
        '{}'::jsonb, p_now, p_now
    )
    ON CONFLICT DO NOTHING
    RETURNING id INTO v_scan_id;
    IF v_scan_id IS NULL THEN
        SELECT s.answer INTO v_answer
          FROM checkin_scans s
         WHERE s.event_id = p_event_id AND s.nonce = p_nonce;
        RETURN jsonb_build_object('created', false, 'answer', v_answer);
    END IF;

    IF p_lookup IS NOT NULL THEN
        SELECT r.id, r.event_id, r.given_name, r.family_name, r.organisation, r.country,
               r.category, r.status
          INTO v_registration
          FROM registrations r
         WHERE r.checkin_token = p_lookup;
        IF NOT FOUND THEN
            v_outcome := 'unknown';
        ELSIF v_registration.event_id <> p_event_id THEN
            v_outcome := 'wrong_event';
        END IF;
    ELSE
        SELECT r.id, r.event_id, r.given_name, r.family_name, r.organisation, r.country,
               r.category, r.status
          INTO v_registration
          FROM registrations r
         WHERE r.id = p_registration_id AND r.event_id = p_event_id;
        IF NOT FOUND THEN
            v_outcome := 'unknown';
        END IF;
    END IF;

    IF v_outcome = 'ok' THEN
        v_registration_id := v_registration.id;
        v_person := jsonb_build_object(
            'id', v_registration.id,
            'given_name', v_registration.given_name,
            'family_name', v_registration.family_name,
            'organisation', v_registration.organisation,
            'country', v_registration.country,
            'category', v_registration.category,
            'status', v_registration.status
        );
        v_outcome := coalesce(p_refusals ->> v_registration.status, 'ok');
    END IF;

    IF v_outcome = 'ok' THEN
        -- One live check-in per registration and door: the partial unique index refuses a second
        -- (a concurrent scan's insert waits for this transaction, then does nothing).
        INSERT INTO checkins (
            id, event_id, registration_id, door, session_id, checked_in_at, desk, user_id,
            scan_id, undone_at, undone_by, created_at, updated_at
        ) VALUES (
            nextval('checkins_id_seq'), p_event_id, v_registration_id, p_door, p_session_id,
            CASE WHEN p_offline THEN p_scanned_at ELSE p_now END, p_desk, p_user_id, v_scan_id,
            NULL, NULL, p_now, p_now
        )
        ON CONFLICT DO NOTHING
        RETURNING id, checked_in_at, desk, created_at
             INTO v_checkin_id, v_first_at, v_first_desk, v_created_at;
        v_admitted := FOUND;
        IF NOT v_admitted THEN
            SELECT c.id, c.checked_in_at, c.desk, c.created_at
              INTO v_checkin_id, v_first_at, v_first_desk, v_created_at
              FROM checkins c
             WHERE c.registration_id = v_registration_id AND c.door = p_door
               AND c.undone_at IS NULL;
            IF NOT FOUND THEN
                -- Undone in between: the error undoes this call (the scan's row too, also when
                -- it runs as a transaction of its own); the caller asks the desk to scan again.
                RAISE EXCEPTION USING ERRCODE = 'EV409', MESSAGE = 'scan_in_flight';
            END IF;
            IF p_offline THEN
                -- Decided by the device's time: the earliest scan wins. A double admission only
                -- if another desk admitted the person and this device let them in as well.
                IF v_first_desk <> p_desk THEN
                    v_other_desk := v_first_desk;
                END IF;
                v_double := v_other_desk IS NOT NULL AND p_device_admitted;
                IF p_scanned_at < v_first_at THEN
                    UPDATE checkins
                       SET checked_in_at = p_scanned_at, desk = p_desk, user_id = p_user_id,
                           scan_id = v_scan_id, updated_at = p_now
                     WHERE id = v_checkin_id;
                    v_first_at := p_scanned_at;
                    v_first_desk := p_desk;
                    v_admitted := true;
                END IF;
            END IF;
        END IF;
        IF v_admitted THEN
            v_undo_until := v_created_at + p_undo_window;
            -- Transactional: the live counts hear it once this transaction commits.
            PERFORM pg_notify(p_channel, p_event_id::text);
        ELSE
            v_outcome := 'already_checked_in';
        END IF;
    END IF;

    v_answer := jsonb_build_object(
        'status', v_outcome,
        'registration', v_person,
        'first_checked_in_at',
            to_char(v_first_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"+00:00"'),
        'first_desk', v_first_desk,
        'checkin_id', v_checkin_id,
        'scan_id', v_scan_id,
        'undo_until',
            to_char(v_undo_until AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"+00:00"')
    );
    UPDATE checkin_scans
       SET registration_id = v_registration_id, checkin_id = v_checkin_id, outcome = v_outcome,
           answer = v_answer, double_admission = v_double, updated_at = p_now
     WHERE id = v_scan_id;
    RETURN jsonb_build_object(
        'created', true,
        'answer', v_answer,
        'double_admission', v_double,
        'other_desk', v_other_desk
    );
END
$function$
"""

DROP_SQL = (
    "DROP FUNCTION IF EXISTS checkin_decide_scan(bigint, text, text, bigint, text, bigint, text, "
    "bigint, text, timestamptz, timestamptz, boolean, boolean, jsonb, interval, text, text, "
    "timestamptz, integer)"
)


def _previous() -> ModuleType:
    """Migration 0007, whose frozen copy of the function the downgrade restores."""
    path = Path(__file__).with_name("0007_checkin_decide_scan.py")
    spec = importlib.util.spec_from_file_location("events_migration_0007", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(_previous().DROP_SQL)
        op.execute(FUNCTION_SQL)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(DROP_SQL)
        op.execute(_previous().FUNCTION_SQL)
