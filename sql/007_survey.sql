-- 007_survey: the industry survey (docs/SURVEY.md): the registry of companies, yearly campaigns,
-- each company's profile and answers per metal, every correction as a new version, and an audit log.
--
-- The invariants live in the store, so that no program can break them:
--   * History is immutable: campaigns, companies, versions and the audit log are insert-only;
--     UPDATE and DELETE abort. A correction inserts the next version of a profile or an answer
--     (an answer withdrawn is a version with withdrawn = 1), so every earlier state stays readable.
--   * Versions of one profile or answer are numbered 1, 2, 3, ... without gaps.
--   * An answer belongs to a company with a profile in that campaign; its element belongs to its
--     rare-metal type; its supply shares add up to 100 % when the company uses the metal.
--   * Every insertion writes a row of survey_audit: who recorded it and when (UTC, by the database).

CREATE TABLE survey_campaign (
    year          INTEGER PRIMARY KEY CHECK (year BETWEEN 2000 AND 2200),  -- the year the answers describe
    title         TEXT NOT NULL CHECK (title <> ''),
    questionnaire TEXT NOT NULL CHECK (questionnaire <> ''),  -- version of data/survey/questionnaire.csv
    synthetic     INTEGER NOT NULL CHECK (synthetic IN (0, 1)),  -- 1: fictitious test data, said in every output
    data_note     TEXT NOT NULL CHECK (data_note <> ''),       -- what the data are and where they come from
    source_id     INTEGER NOT NULL REFERENCES source(id),      -- the imported file
    recorded_by   TEXT NOT NULL CHECK (recorded_by <> ''),
    recorded_at   TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);

-- The registry: one row per company ever surveyed, keyed by its business registration number.
CREATE TABLE survey_company (
    brn         TEXT PRIMARY KEY CHECK (length(brn) = 10 AND brn NOT GLOB '*[^0-9]*'),
    synthetic   INTEGER NOT NULL CHECK (synthetic IN (0, 1)),  -- 1: a fictitious company (test data)
    recorded_by TEXT NOT NULL CHECK (recorded_by <> ''),
    recorded_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);

-- A company's profile in one campaign (size and region can change from year to year).
CREATE TABLE survey_profile (
    id               INTEGER PRIMARY KEY,
    year             INTEGER NOT NULL REFERENCES survey_campaign(year),
    brn              TEXT NOT NULL REFERENCES survey_company(brn),
    version          INTEGER NOT NULL CHECK (version >= 1),
    name_ko          TEXT NOT NULL CHECK (name_ko <> ''),
    name_en          TEXT NOT NULL CHECK (name_en <> ''),
    size             TEXT NOT NULL CHECK (size IN ('large', 'mid-sized', 'medium', 'small')),
    size_basis       TEXT NOT NULL CHECK (size_basis <> ''),   -- how the class was checked, or 'declared'
    ksic             TEXT NOT NULL CHECK (ksic <> ''),
    sales_krw_bn     REAL CHECK (sales_krw_bn IS NULL OR sales_krw_bn >= 0),
    assets_krw_bn    REAL CHECK (assets_krw_bn IS NULL OR assets_krw_bn >= 0),
    restricted_group INTEGER NOT NULL DEFAULT 0 CHECK (restricted_group IN (0, 1)),
    region           TEXT NOT NULL CHECK (region GLOB 'KR-[0-9][0-9]'),  -- ISO 3166-2:KR
    stages           TEXT NOT NULL CHECK (stages <> ''),       -- ';'-separated codes, in chain order
    sectors          TEXT NOT NULL CHECK (sectors <> ''),      -- ';'-separated codes
    reason           TEXT NOT NULL CHECK (reason <> ''),       -- 'import' or why it was corrected
    actor            TEXT NOT NULL CHECK (actor <> ''),        -- who entered or corrected it
    recorded_at      TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    source_id        INTEGER REFERENCES source(id),            -- the imported file; NULL for a correction
    src_line         INTEGER,
    UNIQUE (year, brn, version)
);

-- A company's answer for one metal in one campaign.
CREATE TABLE survey_answer (
    id              INTEGER PRIMARY KEY,
    year            INTEGER NOT NULL REFERENCES survey_campaign(year),
    brn             TEXT NOT NULL REFERENCES survey_company(brn),
    metal           TEXT NOT NULL,                     -- element symbol, or type code for a whole type
    type_code       TEXT NOT NULL REFERENCES metal_type(code),
    element         TEXT REFERENCES element(symbol),   -- NULL: the whole type
    version         INTEGER NOT NULL CHECK (version >= 1),
    withdrawn       INTEGER NOT NULL DEFAULT 0 CHECK (withdrawn IN (0, 1)),
    stage           TEXT NOT NULL CHECK (stage IN ('resource', 'materials', 'components', 'products', 'recycling')),
    consumed_t      REAL NOT NULL CHECK (consumed_t >= 0),
    produced_t      REAL NOT NULL CHECK (produced_t >= 0),
    import_pct      REAL NOT NULL CHECK (import_pct BETWEEN 0 AND 100),
    domestic_pct    REAL NOT NULL CHECK (domestic_pct BETWEEN 0 AND 100),
    recycled_pct    REAL NOT NULL CHECK (recycled_pct BETWEEN 0 AND 100),
    origins         TEXT NOT NULL DEFAULT '',          -- 'CHN:70;JPN:30' (percent of imports), as survey_origin
    inventory_days  REAL NOT NULL CHECK (inventory_days >= 0),
    substitutes     TEXT NOT NULL DEFAULT '',
    difficulties    TEXT NOT NULL DEFAULT '',          -- ';'-separated codes
    difficulty_text TEXT NOT NULL DEFAULT '',
    reason          TEXT NOT NULL CHECK (reason <> ''),
    actor           TEXT NOT NULL CHECK (actor <> ''),
    recorded_at     TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    source_id       INTEGER REFERENCES source(id),
    src_line        INTEGER,
    UNIQUE (year, brn, metal, version),
    CHECK (withdrawn = 1 OR consumed_t > 0 OR produced_t > 0),
    CHECK (CASE WHEN consumed_t > 0 THEN abs(import_pct + domestic_pct + recycled_pct - 100) <= 0.5
                ELSE import_pct = 0 AND domestic_pct = 0 AND recycled_pct = 0 END)
);
CREATE INDEX survey_answer_key ON survey_answer(year, brn, metal, version);

-- Where one answer version's imports come from (percent of its imports), written with it: the
-- rows of its origins text, with the countries checked against the registry.
CREATE TABLE survey_origin (
    answer_id INTEGER NOT NULL REFERENCES survey_answer(id),
    country   TEXT NOT NULL REFERENCES country(iso3),
    pct       REAL NOT NULL CHECK (pct > 0 AND pct <= 100),
    PRIMARY KEY (answer_id, country)
);

-- Every insertion, by whom and when; written by the triggers below only.
CREATE TABLE survey_audit (
    id      INTEGER PRIMARY KEY,
    at      TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    actor   TEXT NOT NULL CHECK (actor <> ''),
    action  TEXT NOT NULL CHECK (action IN ('campaign', 'company', 'profile', 'answer')),
    year    INTEGER,
    brn     TEXT,
    row_key TEXT NOT NULL,     -- campaign year, company BRN, profile or answer id
    detail  TEXT NOT NULL      -- the row as JSON
);
CREATE INDEX survey_audit_brn ON survey_audit(brn, id);

-- The current state: the latest version of each profile, and of each answer unless withdrawn.
CREATE VIEW survey_profile_current AS
SELECT p.* FROM survey_profile p
WHERE p.version = (SELECT max(q.version) FROM survey_profile q WHERE q.year = p.year AND q.brn = p.brn);

CREATE VIEW survey_answer_current AS
SELECT a.* FROM survey_answer a
WHERE a.withdrawn = 0
  AND a.version = (SELECT max(b.version) FROM survey_answer b WHERE b.year = a.year AND b.brn = a.brn AND b.metal = a.metal);

-- Immutability.
CREATE TRIGGER survey_campaign_no_update BEFORE UPDATE ON survey_campaign
BEGIN SELECT RAISE(ABORT, 'survey: campaigns cannot be changed (the survey history is append-only)'); END;
CREATE TRIGGER survey_campaign_no_delete BEFORE DELETE ON survey_campaign
BEGIN SELECT RAISE(ABORT, 'survey: campaigns cannot be deleted (the survey history is append-only)'); END;
CREATE TRIGGER survey_company_no_update BEFORE UPDATE ON survey_company
BEGIN SELECT RAISE(ABORT, 'survey: the registry cannot be changed (correct the profile with a new version)'); END;
CREATE TRIGGER survey_company_no_delete BEFORE DELETE ON survey_company
BEGIN SELECT RAISE(ABORT, 'survey: the registry cannot be changed (the survey history is append-only)'); END;
CREATE TRIGGER survey_profile_no_update BEFORE UPDATE ON survey_profile
BEGIN SELECT RAISE(ABORT, 'survey: profiles cannot be changed (a correction is a new version)'); END;
CREATE TRIGGER survey_profile_no_delete BEFORE DELETE ON survey_profile
BEGIN SELECT RAISE(ABORT, 'survey: profiles cannot be deleted (a correction is a new version)'); END;
CREATE TRIGGER survey_answer_no_update BEFORE UPDATE ON survey_answer
BEGIN SELECT RAISE(ABORT, 'survey: answers cannot be changed (a correction is a new version)'); END;
CREATE TRIGGER survey_answer_no_delete BEFORE DELETE ON survey_answer
BEGIN SELECT RAISE(ABORT, 'survey: answers cannot be deleted (withdraw them with a new version)'); END;
CREATE TRIGGER survey_origin_no_update BEFORE UPDATE ON survey_origin
BEGIN SELECT RAISE(ABORT, 'survey: answers cannot be changed (a correction is a new version)'); END;
CREATE TRIGGER survey_origin_no_delete BEFORE DELETE ON survey_origin
BEGIN SELECT RAISE(ABORT, 'survey: answers cannot be deleted (withdraw them with a new version)'); END;
CREATE TRIGGER survey_audit_no_update BEFORE UPDATE ON survey_audit
BEGIN SELECT RAISE(ABORT, 'survey: the audit log cannot be changed'); END;
CREATE TRIGGER survey_audit_no_delete BEFORE DELETE ON survey_audit
BEGIN SELECT RAISE(ABORT, 'survey: the audit log cannot be changed'); END;

-- Versions follow one another; answers belong to a profiled company; elements to their type.
CREATE TRIGGER survey_profile_version BEFORE INSERT ON survey_profile
WHEN NEW.version IS NOT (SELECT ifnull(max(version), 0) + 1 FROM survey_profile WHERE year = NEW.year AND brn = NEW.brn)
BEGIN SELECT RAISE(ABORT, 'survey: a profile version must follow the latest one'); END;
CREATE TRIGGER survey_answer_version BEFORE INSERT ON survey_answer
WHEN NEW.version IS NOT (SELECT ifnull(max(version), 0) + 1 FROM survey_answer
                         WHERE year = NEW.year AND brn = NEW.brn AND metal = NEW.metal)
BEGIN SELECT RAISE(ABORT, 'survey: an answer version must follow the latest one'); END;
CREATE TRIGGER survey_answer_profile BEFORE INSERT ON survey_answer
WHEN NOT EXISTS (SELECT 1 FROM survey_profile WHERE year = NEW.year AND brn = NEW.brn)
BEGIN SELECT RAISE(ABORT, 'survey: an answer needs the company''s profile in that campaign'); END;
CREATE TRIGGER survey_answer_element BEFORE INSERT ON survey_answer
WHEN NEW.element IS NOT NULL AND (SELECT type_code FROM element WHERE symbol = NEW.element) IS NOT NEW.type_code
BEGIN SELECT RAISE(ABORT, 'survey: the answer''s element is not of its rare-metal type'); END;
CREATE TRIGGER survey_answer_metal BEFORE INSERT ON survey_answer
WHEN NEW.metal IS NOT ifnull(NEW.element, NEW.type_code)
BEGIN SELECT RAISE(ABORT, 'survey: the answer''s metal must be its element, or its type code for a whole type'); END;

-- The audit log.
CREATE TRIGGER survey_campaign_audit AFTER INSERT ON survey_campaign
BEGIN
    INSERT INTO survey_audit(actor, action, year, brn, row_key, detail)
    VALUES (NEW.recorded_by, 'campaign', NEW.year, NULL, NEW.year,
            json_object('year', NEW.year, 'title', NEW.title, 'questionnaire', NEW.questionnaire,
                        'synthetic', NEW.synthetic, 'data_note', NEW.data_note, 'source_id', NEW.source_id));
END;
CREATE TRIGGER survey_company_audit AFTER INSERT ON survey_company
BEGIN
    INSERT INTO survey_audit(actor, action, year, brn, row_key, detail)
    VALUES (NEW.recorded_by, 'company', NULL, NEW.brn, NEW.brn, json_object('brn', NEW.brn, 'synthetic', NEW.synthetic));
END;
CREATE TRIGGER survey_profile_audit AFTER INSERT ON survey_profile
BEGIN
    INSERT INTO survey_audit(actor, action, year, brn, row_key, detail)
    VALUES (NEW.actor, 'profile', NEW.year, NEW.brn, NEW.id,
            json_object('version', NEW.version, 'name_ko', NEW.name_ko, 'name_en', NEW.name_en, 'size', NEW.size,
                        'size_basis', NEW.size_basis, 'ksic', NEW.ksic, 'sales_krw_bn', NEW.sales_krw_bn,
                        'assets_krw_bn', NEW.assets_krw_bn, 'restricted_group', NEW.restricted_group,
                        'region', NEW.region, 'stages', NEW.stages, 'sectors', NEW.sectors, 'reason', NEW.reason,
                        'source_id', NEW.source_id, 'src_line', NEW.src_line));
END;
CREATE TRIGGER survey_answer_audit AFTER INSERT ON survey_answer
BEGIN
    INSERT INTO survey_audit(actor, action, year, brn, row_key, detail)
    VALUES (NEW.actor, 'answer', NEW.year, NEW.brn, NEW.id,
            json_object('metal', NEW.metal, 'version', NEW.version, 'withdrawn', NEW.withdrawn, 'stage', NEW.stage,
                        'consumed_t', NEW.consumed_t, 'produced_t', NEW.produced_t, 'import_pct', NEW.import_pct,
                        'domestic_pct', NEW.domestic_pct, 'recycled_pct', NEW.recycled_pct,
                        'origins', NEW.origins, 'inventory_days', NEW.inventory_days, 'substitutes', NEW.substitutes,
                        'difficulties', NEW.difficulties, 'difficulty_text', NEW.difficulty_text,
                        'reason', NEW.reason, 'source_id', NEW.source_id, 'src_line', NEW.src_line));
END;
