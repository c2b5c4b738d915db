-- 004_events: the dated register of export restrictions and supply disruptions
-- (data/export_controls.csv, docs/DATA.md "The event register"): one row per measure or event,
-- the metals it names (event_element) and the countries it targets (event_target).

CREATE TABLE event (
    id               INTEGER PRIMARY KEY,
    event_id         TEXT NOT NULL,                           -- the register's id, e.g. 'EC-CHN-010'
    country          TEXT NOT NULL REFERENCES country(iso3),  -- the country imposing the measure, or where supply is disrupted
    country_raw      TEXT NOT NULL DEFAULT '',                -- the country as the file names it
    measure_type     TEXT NOT NULL CHECK (measure_type IN ('quota', 'tax', 'ban', 'licensing', 'technology_ban',
                                                           'suspension', 'conflict_disruption', 'other')),
    materials        TEXT NOT NULL,                           -- as the register words them; graphite (no symbol) is only here
    element_symbols  TEXT NOT NULL DEFAULT '',                -- as given, ';'-separated; resolved in event_element
    hs_codes         TEXT NOT NULL DEFAULT '',                -- ';'-separated customs codes as given (often partial)
    -- dates as given: YYYY-MM-DD, or YYYY-MM when the source gives only the month; NULL: not given
    announced        TEXT CHECK (announced IS NULL OR announced GLOB '[12][0-9][0-9][0-9]-[01][0-9]'
                                 OR announced GLOB '[12][0-9][0-9][0-9]-[01][0-9]-[0-3][0-9]'),
    effective        TEXT CHECK (effective IS NULL OR effective GLOB '[12][0-9][0-9][0-9]-[01][0-9]'
                                 OR effective GLOB '[12][0-9][0-9][0-9]-[01][0-9]-[0-3][0-9]'),
    ended            TEXT CHECK (ended IS NULL OR ended GLOB '[12][0-9][0-9][0-9]-[01][0-9]'
                                 OR ended GLOB '[12][0-9][0-9][0-9]-[01][0-9]-[0-3][0-9]'),
    target_countries TEXT NOT NULL DEFAULT '',                -- ISO3 codes, ';'-separated; '' = all destinations
    description      TEXT NOT NULL,
    confidence       TEXT NOT NULL CHECK (confidence IN ('primary', 'secondary')),
    source_id        INTEGER NOT NULL REFERENCES source(id) ON DELETE CASCADE,
    citation_id      INTEGER NOT NULL REFERENCES citation(id),  -- the row's sources and URLs, as given
    src_line         INTEGER NOT NULL,
    CHECK (coalesce(announced, effective, ended) IS NOT NULL),
    UNIQUE (source_id, event_id)
);
CREATE INDEX event_country ON event(country, measure_type);

-- The metals an event names, in the order of element_symbols: an element (with its rare-metal type,
-- NULL when outside the 35 types) or a whole type (element NULL: 'REE' = rare earths not named
-- individually). An event naming REE concerns every rare-earth element.
CREATE TABLE event_element (
    event     INTEGER NOT NULL REFERENCES event(id) ON DELETE CASCADE,
    ord       INTEGER NOT NULL,
    type_code TEXT REFERENCES metal_type(code),
    element   TEXT REFERENCES element(symbol),
    CHECK (type_code IS NOT NULL OR element IS NOT NULL),
    PRIMARY KEY (event, ord)
);
CREATE UNIQUE INDEX event_element_key ON event_element(event, ifnull(type_code, ''), ifnull(element, ''));
CREATE INDEX event_element_metal ON event_element(type_code, element);

-- The destinations a measure targets; none = all destinations.
CREATE TABLE event_target (
    event   INTEGER NOT NULL REFERENCES event(id) ON DELETE CASCADE,
    country TEXT NOT NULL REFERENCES country(iso3),
    PRIMARY KEY (event, country)
);
