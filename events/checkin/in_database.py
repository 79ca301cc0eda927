"""A scan decided inside PostgreSQL: one statement instead of five.

The desk's scan is the hot path while a queue waits. Decided step by step from Python it costs five
round trips after sign-in (record the scan, find the registration, insert the check-in, notify the
live counts, store the answer), and on this stack each costs the worker more CPU in the driver and
SQLAlchemy than the database spends on it. ``checkin_decide_scan`` takes the same steps, with the
same statements and the same rules, inside one call; ``services.decide_scan`` uses it on PostgreSQL
and takes the steps itself on SQLite. Every check-in test runs on both databases, so the two are
held to one behaviour.

What stays in Python: checking the input, the door's session, the audit entry of a double
admission, and the message shown at the desk. The refusals by registration status, the live
counts' channel and the undo window are passed in, so they are defined once (``services``).

The function is created with the schema (``create_all``, used by tests: see ``models``) and by
migration 0007, which holds a frozen copy; a test compares the two.
"""

from __future__ import annotations

from advanced_alchemy.types import DateTimeUTC
from sqlalchemy import bindparam, text
from sqlalchemy.dialects.postgresql import INTERVAL, JSONB
from sqlalchemy.types import BigInteger, Boolean, String

FUNCTION_NAME = "checkin_decide_scan"

# Variables are prefixed v_ and parameters p_: plpgsql would confuse a bare name with a column.
# Times in the answer are written as Python's isoformat writes UTC times, microseconds included.
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
    p_channel text
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
BEGIN
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
                -- Undone in between: the caller asks the desk to scan again.
                RETURN jsonb_build_object('created', true, 'answer', NULL);
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
    "bigint, text, timestamptz, timestamptz, boolean, boolean, jsonb, interval, text)"
)

CALL = (
    text(
        "SELECT checkin_decide_scan(:event_id, :token, :lookup, :registration_id, :door, "
        ":session_id, :desk, :user_id, :nonce, :scanned_at, :now, :offline, :device_admitted, "
        ":refusals, :undo_window, :channel) AS decision"
    )
    .bindparams(
        bindparam("event_id", type_=BigInteger()),
        bindparam("token", type_=String()),
        bindparam("lookup", type_=String()),
        bindparam("registration_id", type_=BigInteger()),
        bindparam("door", type_=String()),
        bindparam("session_id", type_=BigInteger()),
        bindparam("desk", type_=String()),
        bindparam("user_id", type_=BigInteger()),
        bindparam("nonce", type_=String()),
        bindparam("scanned_at", type_=DateTimeUTC(timezone=True)),
        bindparam("now", type_=DateTimeUTC(timezone=True)),
        bindparam("offline", type_=Boolean()),
        bindparam("device_admitted", type_=Boolean()),
        bindparam("refusals", type_=JSONB()),
        bindparam("undo_window", type_=INTERVAL()),
        bindparam("channel", type_=String()),
    )
    .columns(decision=JSONB())
)
