-- 006_users: the people and scripts that use RMCT through its HTTP server ('rmct serve',
-- docs/API.md): users with one role each, their browser sessions and API tokens, and the audit log
-- of every write made through the server (the stockpile's own stock_audit keeps recording ledger
-- rows, with the user as the actor).
--
-- No secret is stored in the clear: passwords as Argon2id hashes (libsodium crypto_pwhash_str, the
-- parameters inside the string), session ids and API tokens as their SHA-256 (they are 256-bit
-- random values, so a fast hash is enough); the CSRF token of a session is random and only
-- useful together with the session cookie.

CREATE TABLE app_user (
    id            INTEGER PRIMARY KEY,
    name          TEXT NOT NULL UNIQUE COLLATE NOCASE
                  CHECK (length(name) BETWEEN 1 AND 64 AND name NOT GLOB '*[^A-Za-z0-9._-]*'),
    role          TEXT NOT NULL CHECK (role IN ('viewer', 'analyst', 'stock-keeper', 'admin')),
    password_hash TEXT NOT NULL CHECK (password_hash LIKE '$argon2id$%'),
    disabled      INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
    created_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    created_by    TEXT NOT NULL CHECK (created_by <> '')
);

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

-- Every write through the server (and every user change from the command line): who, what, on
-- which thing, with which outcome. Append-only, like the stockpile's audit log.
CREATE TABLE audit_log (
    id      INTEGER PRIMARY KEY,
    at      TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    actor   TEXT NOT NULL CHECK (actor <> ''),
    action  TEXT NOT NULL CHECK (action <> ''),  -- e.g. 'POST /api/v1/stock/lots', 'user add'
    target  TEXT NOT NULL DEFAULT '',            -- the thing written: a lot code, a user name, a run id
    status  INTEGER NOT NULL,                    -- HTTP status of the answer (0 from the command line)
    client  TEXT NOT NULL DEFAULT '',            -- client address, 'cli' from the command line
    detail  TEXT NOT NULL DEFAULT '{}'           -- JSON: the request's parameters (never a password)
);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit log: rows cannot be changed'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit log: rows cannot be deleted'); END;
