-- 008_company_users: users who belong to a surveyed company (docs/API.md, docs/SURVEY.md): the
-- role 'company', below viewer, for a company's own staff, who may read and correct their own
-- company's survey answers and nothing confidential of anyone else's (not even the stockpile a
-- viewer reads). Such a user is linked to exactly one company of the survey's registry by its
-- business registration number; no other role has a company.
--
-- SQLite cannot change a CHECK constraint in place, so app_user is rebuilt with the new role and
-- the company column. Migrations run in a transaction with foreign keys on, where dropping
-- app_user would delete the sessions and tokens that refer to it (ON DELETE CASCADE): they are
-- kept aside in temporary tables, their tables dropped first and made again as 006 made them.

CREATE TABLE app_user_new (
    id            INTEGER PRIMARY KEY,
    name          TEXT NOT NULL UNIQUE COLLATE NOCASE
                  CHECK (length(name) BETWEEN 1 AND 64 AND name NOT GLOB '*[^A-Za-z0-9._-]*'),
    role          TEXT NOT NULL CHECK (role IN ('company', 'viewer', 'analyst', 'stock-keeper', 'admin')),
    password_hash TEXT NOT NULL CHECK (password_hash LIKE '$argon2id$%'),
    disabled      INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
    created_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    created_by    TEXT NOT NULL CHECK (created_by <> ''),
    -- the company a 'company' user belongs to (10 digits), and only such a user
    company_brn   TEXT REFERENCES survey_company(brn),
    CHECK ((role = 'company') = (company_brn IS NOT NULL))
);
INSERT INTO app_user_new(id, name, role, password_hash, disabled, created_at, created_by)
    SELECT id, name, role, password_hash, disabled, created_at, created_by FROM app_user;

CREATE TEMP TABLE keep_session AS SELECT * FROM app_session;
CREATE TEMP TABLE keep_token AS SELECT * FROM api_token;
DROP TABLE app_session;
DROP TABLE api_token;
DROP TABLE app_user;
ALTER TABLE app_user_new RENAME TO app_user;

CREATE TABLE app_session (
    id_sha256  TEXT PRIMARY KEY CHECK (length(id_sha256) = 64),
    user_id    INTEGER NOT NULL REFERENCES app_user(id) ON DELETE CASCADE,
    csrf       TEXT NOT NULL CHECK (length(csrf) = 64),
    created_at INTEGER NOT NULL,            -- Unix seconds
    expires_at INTEGER NOT NULL
);
CREATE INDEX app_session_user ON app_session(user_id);

CREATE TABLE api_token (
    id           INTEGER PRIMARY KEY,
    user_id      INTEGER NOT NULL REFERENCES app_user(id) ON DELETE CASCADE,
    name         TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 64),
    token_sha256 TEXT NOT NULL UNIQUE CHECK (length(token_sha256) = 64),
    prefix       TEXT NOT NULL,             -- the first characters, to recognise a token in a list
    created_at   TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    revoked      INTEGER NOT NULL DEFAULT 0 CHECK (revoked IN (0, 1))
);
CREATE INDEX api_token_user ON api_token(user_id);

INSERT INTO app_session SELECT * FROM keep_session;
INSERT INTO api_token SELECT * FROM keep_token;
DROP TABLE keep_session;
DROP TABLE keep_token;
