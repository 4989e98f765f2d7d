-- Spend figures (today, this week, this month) and the spend-limit check read every job sent in a period.
-- Without an index that is a scan of the whole table, whose rows carry the thumbnails: tens of megabytes
-- for 10 000 jobs. This index holds exactly what those queries read, so they never touch the rows: when
-- the create was sent, whether it counts (demo, status, task id), the stored estimate and whether the job
-- makes audio (which rate applies; the queries write that expression exactly as here, so SQLite reads it
-- from the index). Only jobs whose create was sent are in it.
CREATE INDEX jobs_spend ON jobs (create_sent_at, demo, status, task_id, tokens_estimate,
                                 (coalesce(json_extract(request_json, '$.generate_audio'), 1) <> 0))
    WHERE create_sent_at IS NOT NULL;
