"""The contribution path on PostgreSQL as database functions: one round trip per request.

``crowdfold_next_task`` hands a person their next task in the default order and reserves it;
``crowdfold_submit_answer`` stores an answer and, when it is the last one the task needs, completes
the task and writes its current result; ``crowdfold_frontier_advance`` moves a person's frontier.
They are the PostgreSQL form of ``crowdfold.tasks.scheduling`` (default scheduler, one task),
``crowdfold.tasks.answers._store_answer`` and ``crowdfold.tasks.frontier.advance``; SQLite and the
other schedulers run the Python form. Why and how: crowdfold/tasks/scheduling.md, "One round trip".

Frozen here on purpose: a later change writes a new migration with CREATE OR REPLACE.
"""

import django.db.models.expressions
from django.db import migrations, models

# A task this person may take: ongoing, a free slot, not answered, held or skipped by them.
_OPEN_FOR_ME = """
    t.project_id = p_project AND t.state = 'ongoing' AND t.n_task_runs + t.n_reserved < t.n_answers
    AND NOT EXISTS (SELECT 1 FROM crowdfold_taskrun r WHERE r.task_id = t.id AND r.contributor_key = p_key)
    AND NOT EXISTS (SELECT 1 FROM crowdfold_reservation v WHERE v.task_id = t.id AND v.contributor_key = p_key)
    AND NOT EXISTS (SELECT 1 FROM crowdfold_taskskip s WHERE s.task_id = t.id AND s.contributor_key = p_key)
"""
# Not yet answered or skipped by this person (the frontier's invariant).
_NOT_DONE = """
    t.project_id = p_project AND t.state = 'ongoing'
    AND NOT EXISTS (SELECT 1 FROM crowdfold_taskrun r WHERE r.task_id = t.id AND r.contributor_key = p_key)
    AND NOT EXISTS (SELECT 1 FROM crowdfold_taskskip s WHERE s.task_id = t.id AND s.contributor_key = p_key)
"""
# The walk order and its index (task_sched_walk_idx, below): crowdfold.tasks.frontier.WALK_KEY.
_KEY = "(t.priority_0 * -1), t.id"
_ORDER = f"ORDER BY {_KEY} LIMIT 1"

POSTGRES_FORWARD = f"""
CREATE FUNCTION crowdfold_frontier_advance(
    p_project bigint, p_key text, OUT priority_0 double precision, OUT task_id bigint
) LANGUAGE plpgsql AS $$
DECLARE
    cur_p double precision;
    cur_id bigint;
BEGIN
    SELECT f.priority_0, f.task_id INTO cur_p, cur_id FROM crowdfold_frontier f
     WHERE f.project_id = p_project AND f.contributor_key = p_key;
    priority_0 := cur_p;
    task_id := cur_id;
    -- Changes that move frontiers back hold this lock shared (migration 0003): never advance past
    -- one that is not committed yet; give up at once instead of waiting.
    IF NOT pg_try_advisory_xact_lock(726871, 0) THEN
        RETURN;
    END IF;
    SELECT f.priority_0, f.task_id INTO cur_p, cur_id FROM crowdfold_frontier f
     WHERE f.project_id = p_project AND f.contributor_key = p_key;
    priority_0 := NULL;
    task_id := NULL;
    IF cur_id IS NULL THEN
        SELECT t.priority_0, t.id INTO priority_0, task_id FROM crowdfold_task t
         WHERE {_NOT_DONE} {_ORDER};
    ELSE
        SELECT t.priority_0, t.id INTO priority_0, task_id FROM crowdfold_task t
         WHERE {_NOT_DONE} AND ({_KEY}) >= (-cur_p, cur_id) {_ORDER};
    END IF;
    IF task_id IS NULL THEN  -- everything open is done: just after the last ongoing task
        SELECT t.priority_0, t.id + 1 INTO priority_0, task_id FROM crowdfold_task t
         WHERE t.project_id = p_project AND t.state = 'ongoing'
         ORDER BY t.priority_0, t.id DESC LIMIT 1;
    END IF;
    -- Frontiers stay at priority >= 0 (the insert trigger only fires for positive priorities).
    IF task_id IS NULL OR priority_0 < 0
       OR (priority_0 = cur_p AND task_id = cur_id) THEN
        priority_0 := cur_p;
        task_id := cur_id;
        RETURN;
    END IF;
    INSERT INTO crowdfold_frontier (project_id, contributor_key, priority_0, task_id)
    VALUES (p_project, p_key, priority_0, task_id)
    ON CONFLICT (project_id, contributor_key)
    DO UPDATE SET priority_0 = excluded.priority_0, task_id = excluded.task_id;
END $$;

CREATE FUNCTION crowdfold_next_task(
    p_project bigint, p_key text, p_now timestamptz, p_expires timestamptz, p_advance boolean
) RETURNS SETOF crowdfold_task LANGUAGE plpgsql AS $$
DECLARE
    start_p double precision;
    start_id bigint;
    picked bigint;
BEGIN
    -- What this person already holds comes first (pybossa.js asks again after a reload).
    RETURN QUERY SELECT t.* FROM crowdfold_task t
     WHERE t.state = 'ongoing' AND t.id IN (
        SELECT v.task_id FROM crowdfold_reservation v
         WHERE v.project_id = p_project AND v.contributor_key = p_key AND v.expires_at > p_now)
     {_ORDER};
    IF FOUND THEN
        RETURN;
    END IF;
    SELECT f.priority_0, f.task_id INTO start_p, start_id FROM crowdfold_frontier f
     WHERE f.project_id = p_project AND f.contributor_key = p_key;
    IF start_id IS NULL OR p_advance THEN
        SELECT a.priority_0, a.task_id INTO start_p, start_id
          FROM crowdfold_frontier_advance(p_project, p_key) a;
    END IF;
    -- Concurrent volunteers skip the rows another one is reserving instead of queueing behind it.
    IF start_id IS NULL THEN
        SELECT t.id INTO picked FROM crowdfold_task t WHERE {_OPEN_FOR_ME}
         {_ORDER} FOR UPDATE OF t SKIP LOCKED;
    ELSE
        SELECT t.id INTO picked FROM crowdfold_task t
         WHERE {_OPEN_FOR_ME} AND ({_KEY}) >= (-start_p, start_id)
         {_ORDER} FOR UPDATE OF t SKIP LOCKED;
    END IF;
    IF picked IS NULL THEN
        RETURN;
    END IF;
    RETURN QUERY UPDATE crowdfold_task SET n_reserved = n_reserved + 1
     WHERE id = picked AND state = 'ongoing' AND n_task_runs + n_reserved < n_answers
     RETURNING *;
    IF FOUND THEN
        INSERT INTO crowdfold_reservation (project_id, task_id, contributor_key, created, expires_at)
        VALUES (p_project, picked, p_key, p_now, p_expires);
    END IF;
END $$;

CREATE FUNCTION crowdfold_submit_answer(
    p_project bigint, p_task bigint, p_key text, p_user bigint, p_user_ip text,
    p_external_uid text, p_info jsonb, p_media_url text, p_now timestamptz,
    OUT outcome text, OUT run_id bigint, OUT served_at timestamptz,
    OUT result_id bigint, OUT run_ids jsonb
) LANGUAGE plpgsql AS $$
DECLARE
    runs integer;
    needed integer;
BEGIN
    -- Whoever deletes the reservation owns its slot (a concurrent duplicate finds nothing).
    DELETE FROM crowdfold_reservation
     WHERE task_id = p_task AND contributor_key = p_key AND project_id = p_project
    RETURNING created INTO served_at;
    IF NOT FOUND THEN
        outcome := CASE WHEN EXISTS (SELECT 1 FROM crowdfold_taskrun
                                      WHERE task_id = p_task AND contributor_key = p_key)
                   THEN 'already_answered' ELSE 'not_requested' END;
        RETURN;
    END IF;
    UPDATE crowdfold_task SET n_task_runs = n_task_runs + 1, n_reserved = n_reserved - 1
     WHERE id = p_task AND n_task_runs < n_answers
    RETURNING n_task_runs, n_answers INTO runs, needed;
    IF NOT FOUND THEN  -- the redundancy was lowered under the holder: give the slot back
        UPDATE crowdfold_task SET n_reserved = n_reserved - 1 WHERE id = p_task;
        outcome := 'enough';
        RETURN;
    END IF;
    INSERT INTO crowdfold_taskrun (project_id, task_id, user_id, user_ip, external_uid,
                                   contributor_key, info, created, finish_time, media_url)
    VALUES (p_project, p_task, p_user, p_user_ip, p_external_uid, p_key, p_info, served_at,
            p_now, p_media_url)
    RETURNING id INTO run_id;
    outcome := 'stored';
    IF runs < needed THEN
        RETURN;
    END IF;
    -- The last answer the task needs: complete it and fold its current result in the same
    -- transaction. This statement sees every answer committed before it (READ COMMITTED).
    SELECT jsonb_agg(r.id ORDER BY r.id) INTO run_ids FROM crowdfold_taskrun r
     WHERE r.task_id = p_task;
    UPDATE crowdfold_task SET state = 'completed' WHERE id = p_task;
    SELECT r.id INTO result_id FROM crowdfold_result r
     WHERE r.task_id = p_task AND r.last_version AND r.task_run_ids = run_ids;
    IF FOUND THEN
        RETURN;
    END IF;
    UPDATE crowdfold_result SET last_version = false WHERE task_id = p_task AND last_version;
    INSERT INTO crowdfold_result (project_id, task_id, task_run_ids, info, last_version, created)
    VALUES (p_project, p_task, run_ids, NULL, true, p_now)
    RETURNING id INTO result_id;
END $$;
"""
POSTGRES_BACKWARD = """
DROP FUNCTION IF EXISTS crowdfold_next_task(bigint, text, timestamptz, timestamptz, boolean);
DROP FUNCTION IF EXISTS crowdfold_submit_answer(bigint, bigint, text, bigint, text, text, jsonb, text, timestamptz);
DROP FUNCTION IF EXISTS crowdfold_frontier_advance(bigint, text);
"""


def _run(statement):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":  # SQLite runs the Python form
            schema_editor.execute(statement, params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [("tasks", "0004_import_digest_unindexed")]

    operations = [
        migrations.RemoveIndex(model_name="task", name="task_sched_priority_idx"),
        migrations.AddIndex(
            model_name="task",
            index=models.Index(
                models.F("project"),
                django.db.models.expressions.CombinedExpression(
                    models.F("priority_0"), "*", models.Value(-1)
                ),
                models.F("id"),
                condition=models.Q(("state", "ongoing")),
                name="task_sched_walk_idx",
            ),
        ),
        migrations.RunPython(_run(POSTGRES_FORWARD), _run(POSTGRES_BACKWARD)),
    ]
