-- 001_core: provenance, the rare-metal registry, countries, units, national lists and the world
-- supply facts (production, reserves, capacity, prices, supply shares, governance).
-- Every fact row references the `source` it was imported from; a source is one imported file.

CREATE TABLE source (
    id          INTEGER PRIMARY KEY,
    dataset     TEXT NOT NULL,          -- stable dataset name, e.g. 'usgs-mcs'; editions of it sit side by side
    edition     TEXT NOT NULL,          -- edition or year, e.g. '2026'; the newest wins unless asked otherwise
    publisher   TEXT NOT NULL,
    title       TEXT NOT NULL,
    url         TEXT NOT NULL DEFAULT '',  -- URL or DOI
    licence     TEXT NOT NULL DEFAULT '',
    file_name   TEXT NOT NULL,
    sha256      TEXT NOT NULL CHECK (length(sha256) = 64),
    imported_at TEXT NOT NULL,
    rows        INTEGER NOT NULL DEFAULT 0,
    UNIQUE (dataset, sha256)
);

-- A row-level reference inside a source: the chapter, table or page a fact was read from.
CREATE TABLE citation (
    id        INTEGER PRIMARY KEY,
    source_id INTEGER NOT NULL REFERENCES source(id) ON DELETE CASCADE,
    text      TEXT NOT NULL,
    url       TEXT NOT NULL DEFAULT '',
    UNIQUE (source_id, text, url)
);

CREATE TABLE metal_group (
    code             TEXT PRIMARY KEY,
    name             TEXT NOT NULL UNIQUE,
    name_in_source   TEXT NOT NULL UNIQUE,  -- the group as the Korean list names it
    ord              INTEGER NOT NULL UNIQUE,
    single_type_code TEXT,                  -- set when the whole group counts as one type (REE, PGM)
    citation_id      INTEGER NOT NULL REFERENCES citation(id)
);

-- Korea's 35 rare-metal types: one element each, or a group counted as one type (REE, PGM).
CREATE TABLE metal_type (
    code        TEXT PRIMARY KEY,       -- element symbol, or 'REE' / 'PGM'
    no          INTEGER NOT NULL UNIQUE CHECK (no BETWEEN 1 AND 35),
    name        TEXT NOT NULL,
    group_code  TEXT NOT NULL REFERENCES metal_group(code),
    citation_id INTEGER NOT NULL REFERENCES citation(id)
);

CREATE TABLE element (
    symbol        TEXT PRIMARY KEY,
    z             INTEGER NOT NULL UNIQUE,
    name          TEXT NOT NULL,
    atomic_weight REAL,
    type_code     TEXT REFERENCES metal_type(code),  -- NULL when not one of the 56 rare-metal elements
    citation_id   INTEGER NOT NULL REFERENCES citation(id)
);

-- Other names publishers use for a metal (USGS 'Cesium', 'Niobium (columbium)', 'Rare earths'...).
CREATE TABLE metal_alias (
    alias       TEXT PRIMARY KEY COLLATE NOCASE,
    type_code   TEXT REFERENCES metal_type(code),
    element     TEXT REFERENCES element(symbol),
    citation_id INTEGER NOT NULL REFERENCES citation(id),
    CHECK (type_code IS NOT NULL OR element IS NOT NULL)
);

CREATE TABLE country (
    iso3          TEXT PRIMARY KEY CHECK (length(iso3) = 3),
    iso2          TEXT UNIQUE,
    numeric       INTEGER,              -- ISO 3166-1 numeric (Comtrade codes that differ: comtrade_code)
    name          TEXT NOT NULL,
    official_name TEXT,
    common_name   TEXT,
    display_name  TEXT,                 -- short name for outputs where the ISO names are long
    citation_id   INTEGER NOT NULL REFERENCES citation(id)
);

-- UN Comtrade numeric codes that are not the ISO numeric code of a current country:
-- countries (842 USA), historical entities and areas (0 World, 899 Areas nes, 490 Other Asia nes).
CREATE TABLE comtrade_code (
    code        INTEGER PRIMARY KEY,
    iso3        TEXT REFERENCES country(iso3),  -- set for kind 'country'
    name        TEXT NOT NULL,
    kind        TEXT NOT NULL CHECK (kind IN ('country', 'historical', 'area')),
    note        TEXT NOT NULL DEFAULT '',
    citation_id INTEGER NOT NULL REFERENCES citation(id)
);

CREATE TABLE country_alias (
    alias       TEXT PRIMARY KEY COLLATE NOCASE,
    iso3        TEXT NOT NULL REFERENCES country(iso3),
    publisher   TEXT NOT NULL DEFAULT '',
    citation_id INTEGER NOT NULL REFERENCES citation(id)
);

-- Units as publishers print them, with the explicit factor to tonnes and what the tonnes are of.
CREATE TABLE unit (
    text        TEXT PRIMARY KEY,
    factor_t    REAL NOT NULL CHECK (factor_t > 0),  -- multiply a value by this to get tonnes
    basis       TEXT NOT NULL,                       -- 'contained' (element content) or what else
    basis_label TEXT NOT NULL,                       -- short label for outputs, e.g. 't W content'
    element     TEXT REFERENCES element(symbol),     -- the element whose content the unit states
    note        TEXT NOT NULL DEFAULT '',
    citation_id INTEGER NOT NULL REFERENCES citation(id)
);

-- Short CLI names of the lists (KR, KR-CM, JP, US, US-2022, EU) and their display order.
CREATE TABLE list_short (
    list_id     TEXT PRIMARY KEY,
    short       TEXT NOT NULL UNIQUE COLLATE NOCASE,
    ord         INTEGER NOT NULL,
    citation_id INTEGER NOT NULL REFERENCES citation(id)
);

-- Elements of a publisher's group material (EU 'HREEs' -> Dy, Er, ...).
CREATE TABLE material_element (
    material    TEXT NOT NULL COLLATE NOCASE,
    element     TEXT NOT NULL REFERENCES element(symbol),
    note        TEXT NOT NULL DEFAULT '',
    citation_id INTEGER NOT NULL REFERENCES citation(id),
    PRIMARY KEY (material, element)
);

CREATE TABLE list (
    id           TEXT PRIMARY KEY,      -- e.g. 'KR-RM', 'US-CM-2025', 'EU-CRM-2023'
    short        TEXT NOT NULL UNIQUE,  -- CLI name: KR, KR-CM, JP, US, US-2022, EU
    name         TEXT NOT NULL,
    jurisdiction TEXT NOT NULL,
    year         INTEGER NOT NULL,
    ord          INTEGER NOT NULL,
    source_id    INTEGER NOT NULL REFERENCES source(id) ON DELETE CASCADE
);

-- One row per (list, member as the list names it, element): a group member such as
-- 'Rare earth elements' has one row per element; a material that is not an element
-- (graphite, fluorspar) has element NULL.
CREATE TABLE list_member (
    list_id     TEXT NOT NULL REFERENCES list(id) ON DELETE CASCADE,
    member      TEXT NOT NULL,
    member_kind TEXT NOT NULL CHECK (member_kind IN ('element', 'group', 'material')),
    element     TEXT REFERENCES element(symbol),
    note        TEXT NOT NULL DEFAULT '',
    citation_id INTEGER NOT NULL REFERENCES citation(id)
);
CREATE UNIQUE INDEX list_member_key ON list_member(list_id, member, ifnull(element, ''));
CREATE INDEX list_member_element ON list_member(element);

-- How the USGS names its commodities (the five-letter file code of the per-commodity world files
-- and the COMMODITY column of the combined file) and what RMCT reads from each.
CREATE TABLE usgs_commodity (
    code              TEXT PRIMARY KEY,       -- e.g. 'lithi' in mcs2024-lithi_world.csv
    type_code         TEXT NOT NULL REFERENCES metal_type(code),
    element           TEXT REFERENCES element(symbol),
    stage             TEXT NOT NULL CHECK (stage IN ('mine', 'refinery')),
    basis             TEXT NOT NULL,          -- default when the Type text names none
    product_from_type INTEGER NOT NULL CHECK (product_from_type IN (0, 1)),
    type_match        TEXT NOT NULL DEFAULT '',  -- only Types containing this are read
    import            INTEGER NOT NULL CHECK (import IN (0, 1)),
    note              TEXT NOT NULL DEFAULT '',
    citation_id       INTEGER NOT NULL REFERENCES citation(id)
);
CREATE TABLE usgs_commodity_name (
    name TEXT PRIMARY KEY COLLATE NOCASE,
    code TEXT NOT NULL REFERENCES usgs_commodity(code)
);

-- Production, reserves and capacity by country (and the 'Other countries' / world rows).
CREATE TABLE supply_stat (
    id            INTEGER PRIMARY KEY,
    measure       TEXT NOT NULL CHECK (measure IN ('production', 'reserves', 'capacity')),
    type_code     TEXT NOT NULL REFERENCES metal_type(code),
    element       TEXT REFERENCES element(symbol),  -- NULL: the whole type (e.g. all rare earths as REO)
    commodity     TEXT NOT NULL,                    -- as the publisher names it
    stage         TEXT NOT NULL CHECK (stage IN ('mine', 'refinery')),
    stage_detail  TEXT NOT NULL DEFAULT '',
    row_kind      TEXT NOT NULL CHECK (row_kind IN ('country', 'other', 'world')),
    country       TEXT REFERENCES country(iso3),    -- set exactly for row_kind 'country'
    product       TEXT NOT NULL DEFAULT '',         -- product detail when countries report different products
    year          INTEGER NOT NULL CHECK (year BETWEEN 1800 AND 2200),
    value         REAL CHECK (value IS NULL OR value >= 0),  -- NULL: withheld or not available
    unit          TEXT NOT NULL REFERENCES unit(text),  -- as published; tonnes = value × unit.factor_t
    basis         TEXT NOT NULL,                    -- what the tonnes are of: contained, metal, oxide, gross, mixed, unspecified
    basis_label   TEXT NOT NULL,                    -- e.g. 't W content', 't REO'
    qualifier     TEXT NOT NULL DEFAULT '',         -- 'withheld', 'not available', 'lower bound', ...
    estimated     INTEGER NOT NULL DEFAULT 0 CHECK (estimated IN (0, 1)),
    value_raw     TEXT NOT NULL DEFAULT '',
    note          TEXT NOT NULL DEFAULT '',
    source_id     INTEGER NOT NULL REFERENCES source(id) ON DELETE CASCADE,
    citation_id   INTEGER REFERENCES citation(id),
    src_line      INTEGER NOT NULL,                 -- line of the source file the row came from
    CHECK ((row_kind = 'country') = (country IS NOT NULL))
);
CREATE UNIQUE INDEX supply_stat_key ON supply_stat(
    source_id, measure, type_code, ifnull(element, ''), stage, row_kind, ifnull(country, ''), product, year);
CREATE INDEX supply_stat_series ON supply_stat(type_code, measure, stage, year);

-- Shares of supply by country as a publisher states them (EU CRM 2023 appendices), for types
-- without tonnage data and for the criticality work.
CREATE TABLE supply_share (
    id          INTEGER PRIMARY KEY,
    scope       TEXT NOT NULL CHECK (scope IN ('global', 'eu_sourcing')),
    material    TEXT NOT NULL,          -- as the publisher names it
    type_code   TEXT REFERENCES metal_type(code),
    element     TEXT REFERENCES element(symbol),
    stage       TEXT NOT NULL CHECK (stage IN ('mine', 'refinery')),
    country     TEXT REFERENCES country(iso3),
    country_raw TEXT NOT NULL,
    share_pct   REAL CHECK (share_pct IS NULL OR (share_pct >= 0 AND share_pct <= 100)),
    share_raw   TEXT NOT NULL DEFAULT '',
    trade_factor REAL,
    period      TEXT NOT NULL,          -- e.g. '2016-2020' (the years the shares average)
    note        TEXT NOT NULL DEFAULT '',
    source_id   INTEGER NOT NULL REFERENCES source(id) ON DELETE CASCADE,
    citation_id INTEGER REFERENCES citation(id)
);
CREATE UNIQUE INDEX supply_share_key ON supply_share(source_id, scope, material, stage, country_raw);

CREATE TABLE price (
    id          INTEGER PRIMARY KEY,
    type_code   TEXT NOT NULL REFERENCES metal_type(code),
    element     TEXT REFERENCES element(symbol),
    series      TEXT NOT NULL,
    year        INTEGER NOT NULL,
    value       REAL,
    unit        TEXT NOT NULL,
    estimated   INTEGER NOT NULL DEFAULT 0,
    value_raw   TEXT NOT NULL DEFAULT '',
    note        TEXT NOT NULL DEFAULT '',
    source_id   INTEGER NOT NULL REFERENCES source(id) ON DELETE CASCADE,
    citation_id INTEGER REFERENCES citation(id)
);
CREATE UNIQUE INDEX price_key ON price(source_id, type_code, series, unit, year);

-- World Bank governance indicators: the six estimates (cc, ge, pv, rq, rl, va) and their mean.
CREATE TABLE governance (
    country   TEXT NOT NULL REFERENCES country(iso3),
    year      INTEGER NOT NULL,
    indicator TEXT NOT NULL,
    value     REAL NOT NULL,
    source_id INTEGER NOT NULL REFERENCES source(id) ON DELETE CASCADE,
    PRIMARY KEY (source_id, country, year, indicator)
);

-- Published criticality results (EU CRM assessments) for comparison and for the EU list.
CREATE TABLE assessment_result (
    id          INTEGER PRIMARY KEY,
    assessor    TEXT NOT NULL,          -- 'EU'
    year        INTEGER NOT NULL,
    material    TEXT NOT NULL,
    type_code   TEXT REFERENCES metal_type(code),
    sr          REAL,
    ei          REAL,
    critical    INTEGER CHECK (critical IN (0, 1)),
    note        TEXT NOT NULL DEFAULT '',
    source_id   INTEGER NOT NULL REFERENCES source(id) ON DELETE CASCADE,
    citation_id INTEGER REFERENCES citation(id),
    UNIQUE (source_id, assessor, year, material)
);
