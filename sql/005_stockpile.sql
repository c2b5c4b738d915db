-- 005_stockpile: the national stockpile ledger (docs/STOCKPILE.md): warehouses, lots and the
-- movements of each lot between warehouses and in and out of the stockpile, with an audit log.
--
-- The invariants live here, in the store, so that no program (rmct, a script, the sqlite3 shell)
-- can break them:
--   * History is immutable: warehouses, lots, movements and the audit log can only be inserted;
--     UPDATE and DELETE abort. A mistake is corrected by a reversing movement.
--   * Every movement balances: it is one row moving qty_g grams of one lot from one place to
--     another. A place is a warehouse, or (NULL) outside the stockpile: a supplier for an
--     acquisition, a buyer or user for a release, sale or rotation, a loss for a write-off, the
--     count difference for an adjustment. What leaves one place arrives at the other.
--   * Nothing goes negative: no lot may hold less than nothing in any warehouse at any date, the
--     movement's own date and every later one (a movement may be back-dated only if the history
--     stays non-negative). Quantities are integers (grams), so sums are exact.
--   * Every lot has exactly one acquisition, made when the lot is inserted, matching the lot's gross
--     quantity, date and warehouse; no movement is dated before it.
--   * A reversal mirrors the movement it reverses (same lot and quantity, places swapped), is not
--     itself reversed, and each movement is reversed at most once.
--   * Every insertion writes a row of stock_audit: who recorded it and when (UTC, by the database).

CREATE TABLE stock_warehouse (
    code        TEXT PRIMARY KEY CHECK (length(code) BETWEEN 1 AND 32 AND code NOT GLOB '*[^A-Za-z0-9._-]*'),
    name        TEXT NOT NULL CHECK (name <> ''),
    location    TEXT NOT NULL DEFAULT '',
    recorded_by TEXT NOT NULL CHECK (recorded_by <> ''),
    recorded_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    source_id   INTEGER REFERENCES source(id)        -- an imported ledger file, NULL when entered by hand
);

CREATE TABLE stock_lot (
    id              INTEGER PRIMARY KEY,
    code            TEXT NOT NULL UNIQUE
                    CHECK (length(code) BETWEEN 1 AND 64 AND code NOT GLOB '*[^A-Za-z0-9._/-]*'),
    type_code       TEXT NOT NULL REFERENCES metal_type(code),
    element         TEXT REFERENCES element(symbol),  -- NULL: the whole type (e.g. mixed rare-earth oxide)
    form            TEXT NOT NULL CHECK (form IN ('metal', 'oxide', 'alloy', 'compound')),
    formula         TEXT NOT NULL DEFAULT '',         -- the compound whose element fraction gave contained_g
    purity          REAL NOT NULL CHECK (purity > 0 AND purity <= 1),
    gross_g         INTEGER NOT NULL CHECK (gross_g > 0),
    contained_g     INTEGER NOT NULL CHECK (contained_g > 0 AND contained_g <= gross_g),
    contained_basis TEXT NOT NULL CHECK (contained_basis <> ''),  -- how contained_g was obtained
    acquired        TEXT NOT NULL CHECK (acquired GLOB '[12][0-9][0-9][0-9]-[01][0-9]-[0-3][0-9]'
                                         AND date(acquired, '+0 days') IS acquired),
    unit_cost       REAL CHECK (unit_cost IS NULL OR unit_cost >= 0),  -- per tonne gross, in currency
    currency        TEXT CHECK (currency IS NULL OR (length(currency) = 3 AND currency GLOB '[A-Z][A-Z][A-Z]')),
    supplier        TEXT REFERENCES country(iso3),    -- the supplier's country, NULL if not recorded
    warehouse       TEXT NOT NULL REFERENCES stock_warehouse(code),   -- where the lot was received
    reason          TEXT NOT NULL CHECK (reason <> ''),
    actor           TEXT NOT NULL CHECK (actor <> ''),
    reference       TEXT NOT NULL DEFAULT '',
    recorded_by     TEXT NOT NULL CHECK (recorded_by <> ''),
    recorded_at     TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    source_id       INTEGER REFERENCES source(id),
    src_line        INTEGER,
    CHECK ((unit_cost IS NULL) = (currency IS NULL))
);
CREATE INDEX stock_lot_metal ON stock_lot(type_code, element);

CREATE TABLE stock_movement (
    id          INTEGER PRIMARY KEY,
    lot_id      INTEGER NOT NULL REFERENCES stock_lot(id),
    kind        TEXT NOT NULL CHECK (kind IN ('acquire', 'release', 'sale', 'rotation', 'write-off', 'transfer',
                                              'adjust', 'reversal')),
    date        TEXT NOT NULL CHECK (date GLOB '[12][0-9][0-9][0-9]-[01][0-9]-[0-3][0-9]' AND date(date, '+0 days') IS date),
    from_wh     TEXT REFERENCES stock_warehouse(code),   -- NULL: from outside the stockpile
    to_wh       TEXT REFERENCES stock_warehouse(code),   -- NULL: out of the stockpile
    qty_g       INTEGER NOT NULL CHECK (qty_g > 0),      -- gross grams of the lot's material
    reason      TEXT NOT NULL CHECK (reason <> ''),
    actor       TEXT NOT NULL CHECK (actor <> ''),       -- who made or authorised the movement
    reference   TEXT NOT NULL DEFAULT '',                -- order, contract or document number
    reverses    INTEGER UNIQUE REFERENCES stock_movement(id),
    recorded_by TEXT NOT NULL CHECK (recorded_by <> ''), -- who entered it into the ledger
    recorded_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    source_id   INTEGER REFERENCES source(id),
    src_line    INTEGER,
    CHECK (from_wh IS NOT NULL OR to_wh IS NOT NULL),
    CHECK (from_wh IS NOT to_wh),
    CHECK (CASE kind
             WHEN 'acquire'  THEN from_wh IS NULL AND to_wh IS NOT NULL
             WHEN 'transfer' THEN from_wh IS NOT NULL AND to_wh IS NOT NULL
             WHEN 'adjust'   THEN (from_wh IS NULL) <> (to_wh IS NULL)
             WHEN 'reversal' THEN 1
             ELSE from_wh IS NOT NULL AND to_wh IS NULL END),
    CHECK ((kind = 'reversal') = (reverses IS NOT NULL))
);
CREATE INDEX stock_movement_lot ON stock_movement(lot_id, date, id);
CREATE INDEX stock_movement_from ON stock_movement(lot_id, from_wh);
CREATE INDEX stock_movement_to ON stock_movement(lot_id, to_wh);

-- Every insertion into the ledger, by whom and when; written by the triggers below only.
CREATE TABLE stock_audit (
    id         INTEGER PRIMARY KEY,
    at         TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    actor      TEXT NOT NULL CHECK (actor <> ''),
    action     TEXT NOT NULL CHECK (action IN ('warehouse', 'lot', 'movement')),
    row_key    TEXT NOT NULL,           -- the warehouse code, lot id or movement id
    detail     TEXT NOT NULL            -- the row as JSON
);

-- The balance of every lot in every warehouse: what came in minus what went out (grams).
CREATE VIEW stock_balance AS
SELECT lot_id, warehouse, sum(delta) AS qty_g FROM (
    SELECT lot_id, to_wh AS warehouse, qty_g AS delta FROM stock_movement WHERE to_wh IS NOT NULL
    UNION ALL
    SELECT lot_id, from_wh, -qty_g FROM stock_movement WHERE from_wh IS NOT NULL)
GROUP BY lot_id, warehouse;

-- Immutability.
CREATE TRIGGER stock_warehouse_no_update BEFORE UPDATE ON stock_warehouse
BEGIN SELECT RAISE(ABORT, 'stock ledger: warehouses cannot be changed (the ledger is append-only)'); END;
CREATE TRIGGER stock_warehouse_no_delete BEFORE DELETE ON stock_warehouse
BEGIN SELECT RAISE(ABORT, 'stock ledger: warehouses cannot be deleted (the ledger is append-only)'); END;
CREATE TRIGGER stock_lot_no_update BEFORE UPDATE ON stock_lot
BEGIN SELECT RAISE(ABORT, 'stock ledger: lots cannot be changed (reverse the acquisition and record a new lot)'); END;
CREATE TRIGGER stock_lot_no_delete BEFORE DELETE ON stock_lot
BEGIN SELECT RAISE(ABORT, 'stock ledger: lots cannot be deleted (reverse the acquisition instead)'); END;
CREATE TRIGGER stock_movement_no_update BEFORE UPDATE ON stock_movement
BEGIN SELECT RAISE(ABORT, 'stock ledger: movements cannot be changed (record a reversing movement)'); END;
CREATE TRIGGER stock_movement_no_delete BEFORE DELETE ON stock_movement
BEGIN SELECT RAISE(ABORT, 'stock ledger: movements cannot be deleted (record a reversing movement)'); END;
CREATE TRIGGER stock_audit_no_update BEFORE UPDATE ON stock_audit
BEGIN SELECT RAISE(ABORT, 'stock ledger: the audit log cannot be changed'); END;
CREATE TRIGGER stock_audit_no_delete BEFORE DELETE ON stock_audit
BEGIN SELECT RAISE(ABORT, 'stock ledger: the audit log cannot be changed'); END;

-- A lot's element belongs to its type.
CREATE TRIGGER stock_lot_element BEFORE INSERT ON stock_lot
WHEN NEW.element IS NOT NULL AND (SELECT type_code FROM element WHERE symbol = NEW.element) IS NOT NEW.type_code
BEGIN SELECT RAISE(ABORT, 'stock ledger: the lot''s element is not of its rare-metal type'); END;

-- A new lot is acquired: its one acquisition movement is written with it.
CREATE TRIGGER stock_lot_acquire AFTER INSERT ON stock_lot
BEGIN
    INSERT INTO stock_audit(actor, action, row_key, detail)
    VALUES (NEW.recorded_by, 'lot', NEW.id, json_object('code', NEW.code, 'type', NEW.type_code, 'element', NEW.element,
            'form', NEW.form, 'formula', NEW.formula, 'purity', NEW.purity, 'gross_g', NEW.gross_g,
            'contained_g', NEW.contained_g, 'contained_basis', NEW.contained_basis, 'acquired', NEW.acquired,
            'unit_cost', NEW.unit_cost, 'currency', NEW.currency, 'supplier', NEW.supplier,
            'warehouse', NEW.warehouse, 'actor', NEW.actor, 'reference', NEW.reference, 'source_id', NEW.source_id,
            'src_line', NEW.src_line));
    INSERT INTO stock_movement(lot_id, kind, date, from_wh, to_wh, qty_g, reason, actor, reference, recorded_by,
                               source_id, src_line)
    VALUES (NEW.id, 'acquire', NEW.acquired, NULL, NEW.warehouse, NEW.gross_g, NEW.reason, NEW.actor, NEW.reference,
            NEW.recorded_by, NEW.source_id, NEW.src_line);
END;

-- The acquisition is the lot's first movement and matches the lot.
CREATE TRIGGER stock_movement_acquire BEFORE INSERT ON stock_movement
WHEN NEW.kind = 'acquire'
BEGIN
    SELECT RAISE(ABORT, 'stock ledger: a lot is acquired once, when it is recorded')
    WHERE EXISTS (SELECT 1 FROM stock_movement WHERE lot_id = NEW.lot_id)
       OR NOT EXISTS (SELECT 1 FROM stock_lot l WHERE l.id = NEW.lot_id AND l.gross_g = NEW.qty_g
                      AND l.acquired = NEW.date AND l.warehouse = NEW.to_wh);
END;

-- No movement before the lot existed.
CREATE TRIGGER stock_movement_after_acquired BEFORE INSERT ON stock_movement
WHEN NEW.kind <> 'acquire'
BEGIN
    SELECT RAISE(ABORT, 'stock ledger: a movement cannot be dated before the lot was acquired')
    WHERE NEW.date < (SELECT acquired FROM stock_lot WHERE id = NEW.lot_id)
       OR NOT EXISTS (SELECT 1 FROM stock_movement WHERE lot_id = NEW.lot_id AND kind = 'acquire');
END;

-- A reversal mirrors the movement it reverses.
CREATE TRIGGER stock_movement_reversal BEFORE INSERT ON stock_movement
WHEN NEW.reverses IS NOT NULL
BEGIN
    SELECT RAISE(ABORT, 'stock ledger: a reversal must mirror the movement it reverses (same lot and quantity, places swapped, not before it, not a reversal itself)')
    WHERE NOT EXISTS (SELECT 1 FROM stock_movement o WHERE o.id = NEW.reverses AND o.kind <> 'reversal'
                      AND o.lot_id = NEW.lot_id AND o.qty_g = NEW.qty_g AND o.from_wh IS NEW.to_wh
                      AND o.to_wh IS NEW.from_wh AND o.date <= NEW.date);
END;

-- Nothing goes negative: the lot's balance in the warehouse it leaves must cover the quantity at
-- the movement's date (after every movement of that date already recorded) and after every later
-- movement.
CREATE TRIGGER stock_movement_available BEFORE INSERT ON stock_movement
WHEN NEW.from_wh IS NOT NULL
BEGIN
    SELECT RAISE(ABORT, 'stock ledger: not enough of the lot in the warehouse (no lot or warehouse may go negative at any date)')
    WHERE NEW.qty_g > (
        SELECT min(b) FROM (
            SELECT coalesce(sum(CASE WHEN to_wh = NEW.from_wh THEN qty_g ELSE -qty_g END), 0) AS b
              FROM stock_movement
             WHERE lot_id = NEW.lot_id AND date <= NEW.date AND (to_wh = NEW.from_wh OR from_wh = NEW.from_wh)
            UNION ALL
            SELECT b FROM (
                SELECT date AS d,
                       sum(CASE WHEN to_wh = NEW.from_wh THEN qty_g ELSE -qty_g END)
                           OVER (ORDER BY date, id ROWS UNBOUNDED PRECEDING) AS b
                  FROM stock_movement
                 WHERE lot_id = NEW.lot_id AND (to_wh = NEW.from_wh OR from_wh = NEW.from_wh))
             WHERE d > NEW.date));
END;

-- The audit log.
CREATE TRIGGER stock_warehouse_audit AFTER INSERT ON stock_warehouse
BEGIN
    INSERT INTO stock_audit(actor, action, row_key, detail)
    VALUES (NEW.recorded_by, 'warehouse', NEW.code,
            json_object('code', NEW.code, 'name', NEW.name, 'location', NEW.location, 'source_id', NEW.source_id));
END;

CREATE TRIGGER stock_movement_audit AFTER INSERT ON stock_movement
BEGIN
    INSERT INTO stock_audit(actor, action, row_key, detail)
    VALUES (NEW.recorded_by, 'movement', NEW.id,
            json_object('lot_id', NEW.lot_id, 'kind', NEW.kind, 'date', NEW.date, 'from', NEW.from_wh, 'to', NEW.to_wh,
                        'qty_g', NEW.qty_g, 'reason', NEW.reason, 'actor', NEW.actor, 'reference', NEW.reference,
                        'reverses', NEW.reverses, 'source_id', NEW.source_id, 'src_line', NEW.src_line));
END;
