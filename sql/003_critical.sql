-- 003_critical: the inputs of criticality assessments that are published per material: the EU's
-- 2023 parameters (per stage: scope used, supply risk, import reliance, end-of-life recycling input
-- rate, substitution indices) and its end-use shares with sector value added.

CREATE TABLE crit_param (
    id           INTEGER PRIMARY KEY,
    assessment   TEXT NOT NULL,          -- 'EU-2023'
    material     TEXT NOT NULL,          -- as the publisher names it
    type_code    TEXT REFERENCES metal_type(code),
    element      TEXT REFERENCES element(symbol),
    stage        TEXT NOT NULL CHECK (stage IN ('extraction', 'processing')),
    scope        TEXT NOT NULL CHECK (scope IN ('GS+EU', 'GSonly', 'EUonly', '')),  -- '' not stated
    sr_published REAL,                   -- supply risk of the stage as published
    sr_headline  REAL,                   -- the material's headline SR (the higher stage)
    ei_published REAL,
    ir           REAL CHECK (ir IS NULL OR (ir >= 0 AND ir <= 1)),          -- import reliance, fraction
    eol_rir      REAL CHECK (eol_rir IS NULL OR (eol_rir >= 0 AND eol_rir <= 1)),
    si_sr        REAL,
    si_ei        REAL,
    used_stage   TEXT NOT NULL DEFAULT '',  -- the stage the headline SR comes from
    note         TEXT NOT NULL DEFAULT '',  -- how a known defect of the source row was handled
    source_id    INTEGER NOT NULL REFERENCES source(id) ON DELETE CASCADE,
    src_line     INTEGER NOT NULL,
    UNIQUE (source_id, assessment, material, stage)
);

CREATE TABLE end_use (
    id          INTEGER PRIMARY KEY,
    assessment  TEXT NOT NULL,           -- 'EU-2023'
    material    TEXT NOT NULL,
    type_code   TEXT REFERENCES metal_type(code),
    element     TEXT REFERENCES element(symbol),
    application TEXT NOT NULL,
    share_pct   REAL CHECK (share_pct IS NULL OR (share_pct >= 0 AND share_pct <= 100)),
    sector      TEXT NOT NULL,           -- NACE Rev.2 2-digit sector, as published
    sector_va   REAL,                    -- the sector's value added (million EUR for the EU figures)
    note        TEXT NOT NULL DEFAULT '',
    source_id   INTEGER NOT NULL REFERENCES source(id) ON DELETE CASCADE,
    citation_id INTEGER REFERENCES citation(id),
    src_line    INTEGER NOT NULL
);
CREATE INDEX end_use_material ON end_use(assessment, material);

-- Names one publisher gives the same material in different files (EU 'Boron' / 'Borate').
CREATE TABLE name_alias (
    domain      TEXT NOT NULL,
    alias       TEXT NOT NULL COLLATE NOCASE,
    name        TEXT NOT NULL,
    note        TEXT NOT NULL DEFAULT '',
    citation_id INTEGER NOT NULL REFERENCES citation(id),
    PRIMARY KEY (domain, alias)
);

-- The assessment looks shares and trade factors up by material and stage for every supplier.
CREATE INDEX supply_share_material ON supply_share(material COLLATE NOCASE, stage, scope);
CREATE INDEX crit_param_element ON crit_param(element, stage);
