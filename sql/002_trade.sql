-- 002_trade: bilateral trade. The versioned HS -> metal map, trade flows read from UN Comtrade and
-- CEPII BACI files (only mapped products, aggregated), and reported facts about Korea's imports.

-- One HS product code of one HS edition, and the rare metal it carries. A code shared by several
-- metals (2615.90 Nb/Ta/V ores) has one row per metal with shared = 1.
CREATE TABLE hs_code (
    hs_version     TEXT NOT NULL,                 -- HS2012, HS2017, HS2022 (BACI HS12/HS17/HS22, Comtrade H4/H5/H6)
    hs6            TEXT NOT NULL CHECK (length(hs6) = 6 AND hs6 NOT GLOB '*[^0-9]*'),
    description    TEXT NOT NULL,
    type_code      TEXT NOT NULL REFERENCES metal_type(code),
    element        TEXT REFERENCES element(symbol),
    form           TEXT NOT NULL CHECK (form IN ('ore', 'compound', 'metal', 'scrap', 'semi')),
    formula        TEXT NOT NULL DEFAULT '',
    content_factor REAL CHECK (content_factor IS NULL OR (content_factor > 0 AND content_factor <= 1)),
    factor_basis   TEXT NOT NULL CHECK (factor_basis IN ('formula', 'definition', 'source', 'assumption', 'unknown')),
    shared         INTEGER NOT NULL DEFAULT 0 CHECK (shared IN (0, 1)),
    note           TEXT NOT NULL DEFAULT '',
    citation_id    INTEGER NOT NULL REFERENCES citation(id)
);
CREATE UNIQUE INDEX hs_code_key ON hs_code(hs_version, hs6, type_code, ifnull(element, ''));
CREATE INDEX hs_code_hs6 ON hs_code(hs6);

-- Trade flows, one row per exporter, importer, product and period as a source reports it:
-- reported_by 'importer' (a Comtrade import record), 'exporter' (a Comtrade export record, i.e. the
-- mirror of the partner's imports) or 'reconciled' (BACI). Values in USD, quantities in tonnes of
-- product; contained-element tonnes are derived through hs_code.content_factor.
CREATE TABLE trade_flow (
    id            INTEGER PRIMARY KEY,
    exporter_code INTEGER NOT NULL,
    exporter      TEXT REFERENCES country(iso3),   -- NULL: an area or a code RMCT cannot place
    importer_code INTEGER NOT NULL,
    importer      TEXT REFERENCES country(iso3),
    reported_by   TEXT NOT NULL CHECK (reported_by IN ('importer', 'exporter', 'reconciled')),
    hs_version    TEXT NOT NULL,
    hs6           TEXT NOT NULL,
    year          INTEGER NOT NULL CHECK (year BETWEEN 1900 AND 2200),
    month         INTEGER NOT NULL DEFAULT 0 CHECK (month BETWEEN 0 AND 12),  -- 0: the whole year
    value_usd     REAL NOT NULL CHECK (value_usd >= 0),
    qty_t         REAL CHECK (qty_t IS NULL OR qty_t >= 0),
    rows          INTEGER NOT NULL DEFAULT 1,      -- source rows summed into this one
    source_id     INTEGER NOT NULL REFERENCES source(id) ON DELETE CASCADE,
    src_line      INTEGER NOT NULL                 -- first line of the source file that contributed
);
CREATE UNIQUE INDEX trade_flow_key ON trade_flow(source_id, exporter_code, importer_code, reported_by, hs6, year, month);
CREATE INDEX trade_flow_importer ON trade_flow(importer, hs6, year);
CREATE INDEX trade_flow_exporter ON trade_flow(exporter, hs6, year);

-- Facts about Korea's imports reported in the press or by agencies (totals, partner shares), for
-- metals without loaded trade files. Never presented as a measurement of more than they say.
CREATE TABLE trade_fact (
    id          INTEGER PRIMARY KEY,
    year        INTEGER NOT NULL,
    reporter    TEXT NOT NULL REFERENCES country(iso3),
    flow        TEXT NOT NULL CHECK (flow IN ('import', 'export')),
    hs_code     TEXT NOT NULL DEFAULT '',
    description TEXT NOT NULL,
    type_code   TEXT REFERENCES metal_type(code),   -- NULL: not a rare metal (graphite, magnets)
    element     TEXT REFERENCES element(symbol),
    partner     TEXT REFERENCES country(iso3),      -- NULL: the world
    value_usd   REAL,
    quantity    REAL,
    quantity_unit TEXT NOT NULL DEFAULT '',
    share_pct   REAL CHECK (share_pct IS NULL OR (share_pct >= 0 AND share_pct <= 100)),
    basis       TEXT NOT NULL,
    note        TEXT NOT NULL DEFAULT '',
    source_id   INTEGER NOT NULL REFERENCES source(id) ON DELETE CASCADE,
    citation_id INTEGER REFERENCES citation(id),
    src_line    INTEGER NOT NULL
);
CREATE INDEX trade_fact_type ON trade_fact(type_code, year);

-- Product names of an HS edition as a trade dataset ships them (BACI product_codes_HS17_*.csv).
CREATE TABLE hs_product (
    hs_version  TEXT NOT NULL,
    hs6         TEXT NOT NULL CHECK (length(hs6) = 6),
    description TEXT NOT NULL,
    source_id   INTEGER NOT NULL REFERENCES source(id) ON DELETE CASCADE,
    PRIMARY KEY (hs_version, hs6, source_id)
);
