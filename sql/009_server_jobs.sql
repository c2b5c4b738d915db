-- 009_server_jobs: the finished background jobs of the HTTP server (docs/API.md, "Background
-- runs"): Monte Carlo runs of a scenario and stockpile purchase plans, with their parameters and
-- results as JSON, so that a run survives a restart of the server. A job is stored once, when it
-- has finished (done, failed or cancelled); queued and running jobs live only in the server's
-- memory. The server reads back the newest ones when it starts and keeps ids increasing.

CREATE TABLE server_job (
    id            INTEGER PRIMARY KEY CHECK (id > 0),
    kind          TEXT NOT NULL CHECK (kind IN ('scenario-run', 'stock-plan')),
    owner         TEXT NOT NULL CHECK (owner <> ''),
    status        TEXT NOT NULL CHECK (status IN ('done', 'failed', 'cancelled')),
    created_at    INTEGER NOT NULL,          -- Unix seconds
    started_at    INTEGER,                   -- NULL: never started
    finished_at   INTEGER NOT NULL,
    params        TEXT NOT NULL CHECK (json_valid(params)),
    result        TEXT CHECK (result IS NULL OR json_valid(result)),   -- only for status 'done'
    error_code    TEXT NOT NULL DEFAULT '',
    error_message TEXT NOT NULL DEFAULT '',
    CHECK ((status = 'done') = (result IS NOT NULL))
);
CREATE INDEX server_job_kind ON server_job(kind, id);
