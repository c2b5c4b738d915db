# The stockpile ledger (rmct stock; docs/STOCKPILE.md) and days of cover. Writing commands take
# today's date from RMCT_TODAY and the actor from RMCT_ACTOR, so that outputs are the same any day.
# Every figure below was worked out by hand from the inputs; the comment above each test says how.

# Help on every subcommand.
  $ rmct stock --help | head -3
  usage: rmct stock SUBCOMMAND [OPTIONS]   ('rmct stock SUBCOMMAND --help' for each)
  
  The national stockpile ledger: warehouses, lots and every movement of them, and days of cover.

  $ for s in warehouse add release transfer adjust reverse list history audit export import verify cover; do rmct stock $s --help | head -1; done
  usage: rmct stock warehouse add CODE --name NAME [--location TEXT] [--actor NAME]
  usage: rmct stock add --lot CODE --metal M --tonnes T --form F --purity P --warehouse W
  usage: rmct stock release --lot CODE --tonnes T --reason TEXT [--kind K] [--warehouse W] [--date D]
  usage: rmct stock transfer --lot CODE --tonnes T --from W1 --to W2 --reason TEXT [--date D]
  usage: rmct stock adjust --lot CODE (--counted T | --by +/-T) --reason TEXT [--warehouse W]
  usage: rmct stock reverse MOVEMENT --reason TEXT [--date D] [--reference REF] [--actor NAME]
  usage: rmct stock list [--metal M] [--warehouse W] [--lot CODE] [--date D] [--by lot|metal|warehouse]
  usage: rmct stock history [--lot CODE] [--metal M] [--warehouse W] [--since D] [--until D]
  usage: rmct stock audit [--format table|csv|json]
  usage: rmct stock export [--output FILE] [--format csv|json] [--metal M] [--warehouse W] [--lot CODE]
  usage: rmct stock import FILE [--create-warehouses] [--actor NAME] [--format table|csv|json]
  usage: rmct stock verify [--format table|csv|json]
  usage: rmct stock cover [--date D] [--against SET] [--demand FILE] [--targets FILE] [--all]

  $ rmct stock; echo "status $?"
  usage: rmct stock SUBCOMMAND [OPTIONS]   ('rmct stock SUBCOMMAND --help' for each)
  
  The national stockpile ledger: warehouses, lots and every movement of them, and days of cover.
    warehouse add CODE --name NAME [--location TEXT]   register a warehouse
    warehouse list                                     warehouses and what they hold
    add       acquire a new lot into a warehouse
    release   take tonnes of a lot out of the stockpile (--kind release, sale, rotation, write-off)
    transfer  move tonnes of a lot from one warehouse to another
    adjust    record a stock count: --counted T, or the difference --by +/-T
    reverse   correct a movement with its mirror image (history is never edited)
    list      what each lot holds in each warehouse (--by metal, warehouse), as of --date
    history   movements in date order, with the lot's balance after each
    audit     the audit log: every change, who recorded it and when
    export    the ledger as CSV (the import format), or JSON
    import    a ledger CSV, all of it or nothing (a bad row rejects the file, naming the line)
    verify    check every invariant of the ledger again from the raw tables
    cover     days of cover per metal against targets, and what it costs to close the gaps
    plan      what to buy with a budget: a stochastic LP over futures of the scenario engine (GLPK)
  
  Quantities are gross tonnes of the lot's material (up to 6 decimals: the ledger counts grams);
  contained tonnes follow the lot's contained/gross ratio. Dates are YYYY-MM-DD, not after today
  ($RMCT_TODAY overrides today) and not before the lot was acquired; the default is today. Every
  change records its actor: --actor NAME, else $RMCT_ACTOR, else the login name. The database
  itself refuses edits, deletions and negative balances (docs/STOCKPILE.md).
  status 2

  $ rmct stock lend 2>&1; echo "status $?"
  rmct stock: unknown subcommand "lend" (see 'rmct stock --help')
  status 2


# Fresh copies of the database, for the imports at the end.
  $ cp rmct.db fresh.db; cp rmct.db fixture.db; cp rmct.db bad.db


# Warehouses. A movement into an unknown warehouse is refused.
  $ RMCT_TODAY=2026-03-10 RMCT_ACTOR=kim rmct stock warehouse add GUNSAN --name "KOMIR Gunsan Reserve Base" --location "Saemangeum, Gunsan"
  warehouse GUNSAN registered: KOMIR Gunsan Reserve Base, Saemangeum, Gunsan

  $ RMCT_TODAY=2026-03-10 RMCT_ACTOR=kim rmct stock warehouse add INCHEON --name "PPS Incheon base"
  warehouse INCHEON registered: PPS Incheon base

  $ RMCT_TODAY=2026-03-10 RMCT_ACTOR=kim rmct stock warehouse add GUNSAN --name again
  rmct: CODE: expected a new warehouse code, got "GUNSAN", which is already in the ledger
  [1]

  $ RMCT_TODAY=2026-03-10 RMCT_ACTOR=kim rmct stock warehouse add "W 1" --name x
  rmct: CODE: expected a warehouse code of up to 32 letters, digits, '.', '_' or '-', got "W 1"
  [1]


# The issue's example. Contained Dy: Dy2O3 is the default oxide (an assumption the lot records);
# with data/elements.csv (Dy 162.500, O 15.999) the Dy fraction is 325 / 372.997 = 0.871321, and
# 12.5 t x 0.995 x 0.871321 = 10.837051 t.
  $ RMCT_TODAY=2026-03-10 RMCT_ACTOR=kim rmct stock add --metal Dy --tonnes 12.5 --form oxide --purity 0.995 --cost 4.2e6 --currency USD --warehouse GUNSAN --date 2026-01-15 --lot DY-2026-01 --supplier China --reference PO-2026-0115
  movement 1: acquired lot DY-2026-01 into GUNSAN on 2026-01-15: 12.5 t gross, 10.837051 t Dy contained (gross x purity 0.995 x Dy fraction 0.871321 of Dy2O3 (the usual oxide of the element: an assumption; give a formula to state it))
  lot DY-2026-01 now holds 12.5 t in GUNSAN

  $ RMCT_TODAY=2026-03-10 RMCT_ACTOR=kim rmct stock release --lot DY-2026-01 --tonnes 3 --date 2026-03-01 --reason 'emergency release'
  movement 2: release of 3 t of lot DY-2026-01 from GUNSAN on 2026-03-01 (2.600892 t Dy contained)
  lot DY-2026-01 now holds 9.5 t in GUNSAN


# Bad entries: a clear error naming the option, status 1, the database unchanged. 9.5 t are left.
  $ before=$(dbhash); RMCT_TODAY=2026-03-10 RMCT_ACTOR=kim rmct stock release --lot DY-2026-01 --tonnes 10 --date 2026-03-02 --reason 'emergency release'; echo "status $?"; [ "$(dbhash)" = "$before" ] && echo unchanged
  rmct: --tonnes: expected at most 9.5 t, what lot DY-2026-01 holds in GUNSAN on 2026-03-02, got 10 t (no lot may go negative)
  status 1
  unchanged

  $ before=$(dbhash); RMCT_TODAY=2026-03-10 RMCT_ACTOR=kim rmct stock release --lot DY-2026-09 --tonnes 1 --reason x; echo "status $?"; [ "$(dbhash)" = "$before" ] && echo unchanged
  rmct: --lot: expected a lot in the ledger (see 'rmct stock list --all'), got "DY-2026-09"
  status 1
  unchanged

  $ before=$(dbhash); RMCT_TODAY=2026-03-10 RMCT_ACTOR=kim rmct stock release --lot DY-2026-01 --tonnes -1 --reason x; echo "status $?"; [ "$(dbhash)" = "$before" ] && echo unchanged
  rmct: --tonnes: expected a positive quantity in tonnes (e.g. 3 or 0.25, at most 6 decimals), got "-1"
  status 1
  unchanged

  $ before=$(dbhash); RMCT_TODAY=2026-03-10 RMCT_ACTOR=kim rmct stock release --lot DY-2026-01 --tonnes lots --reason x; echo "status $?"; [ "$(dbhash)" = "$before" ] && echo unchanged
  rmct: --tonnes: expected a positive quantity in tonnes (e.g. 3 or 0.25, at most 6 decimals), got "lots"
  status 1
  unchanged

  $ before=$(dbhash); RMCT_TODAY=2026-03-10 RMCT_ACTOR=kim rmct stock release --lot DY-2026-01 --tonnes 1 --date 2026-03-11 --reason x; echo "status $?"; [ "$(dbhash)" = "$before" ] && echo unchanged
  rmct: --date: expected a date not after today (2026-03-10), got 2026-03-11, a date in the future
  status 1
  unchanged

  $ before=$(dbhash); RMCT_TODAY=2026-03-10 RMCT_ACTOR=kim rmct stock release --lot DY-2026-01 --tonnes 1 --date 2026-01-14 --reason x; echo "status $?"; [ "$(dbhash)" = "$before" ] && echo unchanged
  rmct: --date: expected a date on or after 2026-01-15, when lot DY-2026-01 was acquired, got 2026-01-14
  status 1
  unchanged

  $ before=$(dbhash); RMCT_TODAY=2026-03-10 RMCT_ACTOR=kim rmct stock release --lot DY-2026-01 --tonnes 1 --reason ''; echo "status $?"; [ "$(dbhash)" = "$before" ] && echo unchanged
  rmct: --reason: expected the reason for the release (e.g. 'emergency release'), got nothing
  status 1
  unchanged

  $ before=$(dbhash); RMCT_TODAY=2026-03-10 RMCT_ACTOR=kim rmct stock add --metal copper --tonnes 1 --form metal --purity 0.99 --warehouse GUNSAN --lot CU-1; echo "status $?"; [ "$(dbhash)" = "$before" ] && echo unchanged
  rmct: --metal: expected one of Korea's 35 rare-metal types or one of their elements, got "copper" (Copper)
  status 1
  unchanged

  $ before=$(dbhash); RMCT_TODAY=2026-03-10 RMCT_ACTOR=kim rmct stock add --metal W --tonnes 1 --form metal --purity 99.9 --warehouse GUNSAN --lot W-1; echo "status $?"; [ "$(dbhash)" = "$before" ] && echo unchanged
  rmct: --purity: expected a fraction greater than 0 and at most 1 (0.995 for 99.5%), got "99.9"
  status 1
  unchanged

  $ before=$(dbhash); RMCT_TODAY=2026-03-10 RMCT_ACTOR=kim rmct stock add --metal Nd --tonnes 1 --form alloy --purity 0.99 --warehouse GUNSAN --lot ND-1; echo "status $?"; [ "$(dbhash)" = "$before" ] && echo unchanged
  rmct: --contained: expected the contained tonnes, or a formula, for an alloy lot (its Nd content is not gross x purity), got neither
  status 1
  unchanged

  $ before=$(dbhash); RMCT_TODAY=2026-03-10 RMCT_ACTOR=kim rmct stock add --metal Dy --tonnes 1 --form oxide --purity 0.99 --warehouse BUSAN --lot DY-2026-02; echo "status $?"; [ "$(dbhash)" = "$before" ] && echo unchanged
  rmct: --warehouse: expected a warehouse in the ledger (see 'rmct stock warehouse list'), got "BUSAN"
  status 1
  unchanged

  $ before=$(dbhash); RMCT_TODAY=2026-03-10 RMCT_ACTOR=kim rmct stock release --lot DY-2026-01 --tonnes 1 --reason x --metal Dy; echo "status $?"; [ "$(dbhash)" = "$before" ] && echo unchanged
  rmct stock release: --metal does not apply to release (see 'rmct stock release --help')
  status 2
  unchanged


# Back-dating is allowed while the history stays non-negative: on 2026-02-01 the lot held 12.5 t,
# but the 3 t released on 2026-03-01 must still be there then, so at most 9.5 t may leave.
  $ RMCT_TODAY=2026-03-10 RMCT_ACTOR=kim rmct stock transfer --lot DY-2026-01 --tonnes 9.6 --to INCHEON --date 2026-02-01 --reason rebalance; echo "status $?"
  rmct: --tonnes: expected at most 9.5 t: lot DY-2026-01 holds 12.5 t in GUNSAN on 2026-02-01, but movements recorded after that date need the rest; got 9.6 t
  status 1

  $ RMCT_TODAY=2026-03-10 RMCT_ACTOR=kim rmct stock transfer --lot DY-2026-01 --tonnes 4 --to INCHEON --date 2026-02-01 --reason rebalance
  movement 3: transfer of 4 t of lot DY-2026-01 from GUNSAN to INCHEON on 2026-02-01 (3.467856 t Dy contained)
  lot DY-2026-01 now holds 5.5 t in GUNSAN, 4 t in INCHEON


# A count in GUNSAN finds 5.4 t against 5.5 t on the book (9.5 - 4): -0.1 t. A count equal to the
# book records nothing. --by records the difference itself.
  $ RMCT_TODAY=2026-03-10 RMCT_ACTOR=choi rmct stock adjust --lot DY-2026-01 --warehouse GUNSAN --counted 5.4 --date 2026-03-05 --reason 'annual count'
  movement 4: count adjustment of lot DY-2026-01 in GUNSAN on 2026-03-05: -0.1 t against 5.5 t on the book (0.086696 t Dy contained)
  lot DY-2026-01 now holds 5.4 t in GUNSAN, 4 t in INCHEON

  $ RMCT_TODAY=2026-03-10 RMCT_ACTOR=choi rmct stock adjust --lot DY-2026-01 --warehouse GUNSAN --counted 5.4 --date 2026-03-05 --reason 'annual count'
  lot DY-2026-01 in GUNSAN on 2026-03-05: the count matches the book (5.4 t); nothing recorded

  $ RMCT_TODAY=2026-03-10 RMCT_ACTOR=choi rmct stock adjust --lot DY-2026-01 --warehouse INCHEON --by +0.02 --date 2026-03-05 --reason 'annual count'
  movement 5: count adjustment of lot DY-2026-01 in INCHEON on 2026-03-05: +0.02 t against 4 t on the book (0.017339 t Dy contained)
  lot DY-2026-01 now holds 5.4 t in GUNSAN, 4.02 t in INCHEON

  $ RMCT_TODAY=2026-03-10 RMCT_ACTOR=choi rmct stock adjust --lot DY-2026-01 --tonnes 1 --reason x; echo "status $?"
  rmct stock adjust: --tonnes does not apply to adjust: give --counted T or --by +/-T (see 'rmct stock adjust --help')
  status 2

  $ RMCT_TODAY=2026-03-10 RMCT_ACTOR=choi rmct stock adjust --lot DY-2026-01 --warehouse GUNSAN --counted -1 --reason x; echo "status $?"
  rmct: --counted: expected the counted gross tonnes, zero or more (at most 6 decimals), got "-1"
  status 1


# The lot is in two warehouses now: a release must say which.
  $ RMCT_TODAY=2026-03-10 RMCT_ACTOR=kim rmct stock release --lot DY-2026-01 --tonnes 1 --reason x --kind sale; echo "status $?"
  rmct: --warehouse: expected the warehouse: lot DY-2026-01 is held in GUNSAN (5.4 t), INCHEON (4.02 t) on 2026-03-10
  status 1


# Corrections are reversing movements: the release of movement 2 is put back into GUNSAN, dated
# today (2026-03-10). Reversing it again, or reversing the reversal, is refused.
  $ RMCT_TODAY=2026-03-10 RMCT_ACTOR=kim rmct stock reverse 2 --reason 'entered in error'
  movement 6: reversal on 2026-03-10: 3 t of lot DY-2026-01 back into GUNSAN
  lot DY-2026-01 now holds 8.4 t in GUNSAN, 4.02 t in INCHEON

  $ RMCT_TODAY=2026-03-10 RMCT_ACTOR=kim rmct stock reverse 2 --reason again; echo "status $?"
  rmct: MOVEMENT: movement 2 was already reversed by movement 6
  status 1

  $ RMCT_TODAY=2026-03-10 RMCT_ACTOR=kim rmct stock reverse 6 --reason again; echo "status $?"
  rmct: MOVEMENT: expected a movement that is not itself a reversal: movement 6 reverses movement 2 (record the original movement again instead)
  status 1


# The acquisition of DY-2026-01 (12.5 t into GUNSAN) cannot be reversed: GUNSAN holds 8.4 t of it.
  $ RMCT_TODAY=2026-03-10 RMCT_ACTOR=kim rmct stock reverse 1 --reason x; echo "status $?"
  rmct: MOVEMENT: cannot reverse movement 1 (acquire) on 2026-03-10: expected at most 8.4 t, what lot DY-2026-01 holds in GUNSAN on 2026-03-10, got 12.5 t (no lot may go negative); reverse the later movements first
  status 1


# History is immutable in the database itself, whoever writes to it.
  $ sqlite3 rmct.db "UPDATE stock_movement SET qty_g = 1 WHERE id = 2" 2>&1; sqlite3 rmct.db "DELETE FROM stock_lot" 2>&1; sqlite3 rmct.db "DELETE FROM stock_audit" 2>&1
  Error: stepping, stock ledger: movements cannot be changed (record a reversing movement) (19)
  Error: stepping, stock ledger: lots cannot be deleted (reverse the acquisition instead) (19)
  Error: stepping, stock ledger: the audit log cannot be changed (19)
  [19]

  $ sqlite3 rmct.db "PRAGMA foreign_keys=ON; INSERT INTO stock_movement(lot_id, kind, date, from_wh, to_wh, qty_g, reason, actor, recorded_by) VALUES (1, 'release', '2026-03-09', 'GUNSAN', NULL, 8400001, 'r', 'a', 'a')" 2>&1
  Error: stepping, stock ledger: not enough of the lot in the warehouse (no lot or warehouse may go negative at any date) (19)
  [19]


# What is held: GUNSAN 12.5 - 3 - 4 - 0.1 + 3 = 8.4 t, INCHEON 4 + 0.02 = 4.02 t; contained at
# 10.837051 / 12.5 = 0.86696408 per gross tonne: 7.282 t and 3.485 t.
  $ rmct stock list
  lot         metal  form   formula  purity  warehouse  gross t  contained t  acquired    unit cost/t  cur  supplier
  ----------  -----  -----  -------  ------  ---------  -------  -----------  ----------  -----------  ---  --------
  DY-2026-01  Dy     oxide  Dy2O3    0.9950  GUNSAN     8.4            7.282  2026-01-15    4,200,000  USD  CHN
  DY-2026-01  Dy     oxide  Dy2O3    0.9950  INCHEON    4.02           3.485  2026-01-15    4,200,000  USD  CHN
  
  1 lot: 12.420 t gross, 10.768 t contained. Contained tonnes follow each lot's contained/gross
  ratio; unit cost is per gross tonne as recorded at acquisition.

  $ rmct stock list --by warehouse --format csv
  warehouse,lots,gross_t,contained_t
  GUNSAN,1,8.4,7.282498272
  INCHEON,1,4.02,3.4851956016

  $ rmct stock list --by metal --format json
  [
    {
      "metal": "Dy",
      "lots": 1,
      "gross_t": 12.42,
      "contained_t": 10.7676938736
    }
  ]

  $ rmct stock list --date 2026-01-31 --format csv
  lot,metal,form,formula,purity,warehouse,gross_t,contained_t,acquired,unit_cost,currency,supplier
  DY-2026-01,Dy,oxide,Dy2O3,0.995,GUNSAN,12.5,10.837051,2026-01-15,4200000,USD,CHN

  $ rmct stock list --metal copper; echo "status $?"
  rmct: --metal: expected one of Korea's 35 rare-metal types or one of their elements, got "copper" (Copper)
  status 1

  $ rmct stock warehouse list | sed 's/20[0-9-]*T[0-9:.]*Z/(time)/'
  code     name                       location            lots  gross t  contained t  recorded by  recorded at (UTC)
  -------  -------------------------  ------------------  ----  -------  -----------  -----------  ------------------------
  GUNSAN   KOMIR Gunsan Reserve Base  Saemangeum, Gunsan     1    8.400        7.282  kim          (time)
  INCHEON  PPS Incheon base                                  1    4.020        3.485  kim          (time)

  $ rmct stock export --format json | head -8
  [
    {
      "movement": 1,
      "date": "2026-01-15",
      "kind": "acquire",
      "lot": "DY-2026-01",
      "warehouse": "GUNSAN",
      "to_warehouse": null,


# The history in date order, with the lot's total after each movement: 12.5, 12.5 (transfer),
# 9.5, 9.4, 9.42, 12.42.
  $ rmct stock history
  id  date        kind      lot         metal  from    to       t     lot after t  reverses  reversed by  actor  reason             reference
  --  ----------  --------  ----------  -----  ------  -------  ----  -----------  --------  -----------  -----  -----------------  ------------
   1  2026-01-15  acquire   DY-2026-01  Dy             GUNSAN   12.5  12.5                                kim    acquisition        PO-2026-0115
   3  2026-02-01  transfer  DY-2026-01  Dy     GUNSAN  INCHEON  4     12.5                                kim    rebalance          
   2  2026-03-01  release   DY-2026-01  Dy     GUNSAN           3     9.5                              6  kim    emergency release  
   4  2026-03-05  adjust    DY-2026-01  Dy     GUNSAN           0.1   9.4                                 choi   annual count       
   5  2026-03-05  adjust    DY-2026-01  Dy             INCHEON  0.02  9.42                                choi   annual count       
   6  2026-03-10  reversal  DY-2026-01  Dy             GUNSAN   3     12.42               2               kim    entered in error   
  
  6 movements. 'from'/'to' empty: outside the stockpile. Quantities in gross tonnes.

  $ rmct stock history --format csv | cut -d, -f1-13,15
  movement,date,kind,lot,metal,from,to,tonnes,lot_balance_t,reverses,reversed_by,actor,reason,recorded_by
  1,2026-01-15,acquire,DY-2026-01,Dy,,GUNSAN,12.5,12.5,,,kim,acquisition,kim
  3,2026-02-01,transfer,DY-2026-01,Dy,GUNSAN,INCHEON,4,12.5,,,kim,rebalance,kim
  2,2026-03-01,release,DY-2026-01,Dy,GUNSAN,,3,9.5,,6,kim,emergency release,kim
  4,2026-03-05,adjust,DY-2026-01,Dy,GUNSAN,,0.1,9.4,,,choi,annual count,choi
  5,2026-03-05,adjust,DY-2026-01,Dy,,INCHEON,0.02,9.42,,,choi,annual count,choi
  6,2026-03-10,reversal,DY-2026-01,Dy,,GUNSAN,3,12.42,2,,kim,entered in error,kim

  $ rmct stock history --lot DY-2026-01 --since 2026-03-02 --until 2026-03-05 --format json | grep -c '"movement"'
  2


# The audit log: 2 warehouses, 1 lot, 6 movements, each recorded by its actor, in order.
  $ rmct stock audit --format csv | cut -d, -f1,3-5
  id,actor,action,row_key
  1,kim,warehouse,GUNSAN
  2,kim,warehouse,INCHEON
  3,kim,lot,1
  4,kim,movement,1
  5,kim,movement,2
  6,kim,movement,3
  7,choi,movement,4
  8,choi,movement,5
  9,kim,movement,6

  $ rmct stock audit --format json | grep -c '"at": "20[0-9-]*T[0-9:.]*Z"'
  9

  $ rmct stock verify
  ledger consistent: 2 warehouses, 1 lot, 6 movements (1 reversal), 9 audit rows; held 12.42 t = in 15.52 t - out 3.1 t


# Two writers at once: a lot of 0.03 t and two processes releasing 1 kg 20 times each. Exactly 30
# releases succeed, 10 are refused as over-releases, none is lost or counted twice.
  $ RMCT_TODAY=2026-03-10 RMCT_ACTOR=kim rmct stock add --metal Ga --tonnes 0.03 --form metal --purity 0.99999 --warehouse INCHEON --lot GA-1 --date 2026-03-01 | head -1
  movement 7: acquired lot GA-1 into INCHEON on 2026-03-01: 0.03 t gross, 0.03 t Ga contained (gross x purity 0.99999 (metal))

  $ for w in 1 2; do (for i in $(seq 20); do RMCT_TODAY=2026-03-10 RMCT_ACTOR=w$w rmct stock release --lot GA-1 --warehouse INCHEON --tonnes 0.001 --reason race >/dev/null 2>>err$w && echo ok; done > ok$w) & done; wait; cat ok1 ok2 | wc -l; cat err1 err2 | grep -c 'expected a quantity lot GA-1 holds in INCHEON on 2026-03-10, but it holds nothing there then'
  30
  10

  $ sqlite3 rmct.db "SELECT count(*), sum(qty_g) FROM stock_movement WHERE reason = 'race'; SELECT count(DISTINCT actor) FROM stock_movement WHERE reason = 'race'"
  30|30000
  2

  $ rmct stock list --lot GA-1 --all --format csv | cut -d, -f1,6,7
  lot,warehouse,gross_t
  GA-1,INCHEON,0

  $ rmct stock verify
  ledger consistent: 2 warehouses, 2 lots, 37 movements (1 reversal), 41 audit rows; held 12.42 t = in 15.55 t - out 3.13 t


# kill -9 in the middle of writing, 6 times (tests/unit/test_stockpile.c does it 50 times in-process): a writer records transfers in a loop and notes each
# movement id once rmct has printed it (after COMMIT); it is killed with its whole process group at
# a random moment. Every time the ledger stays consistent and holds every acknowledged movement.
  $ RMCT_TODAY=2026-03-10 RMCT_ACTOR=kim rmct stock add --metal Nd --tonnes 100 --form metal --purity 0.999 --warehouse GUNSAN --lot ND-K --date 2026-03-01 | head -1
  movement 38: acquired lot ND-K into GUNSAN on 2026-03-01: 100 t gross, 99.9 t Nd contained (gross x purity 0.999 (metal))

  $ : > acked; for round in $(seq 6); do setsid bash -c 'while :; do RMCT_TODAY=2026-03-10 RMCT_ACTOR=k rmct stock transfer --lot ND-K --from GUNSAN --to INCHEON --tonnes 0.001 --reason load --format csv | tail -n +2 | cut -d, -f1 >> acked; done' & sleep 0.$((RANDOM % 4 + 2)); kill -9 -- -$!; wait $! 2>/dev/null; rmct stock verify >/dev/null || echo "round $round: inconsistent"; done; n=$(grep -c . acked); [ "$n" -gt 0 ] && echo "some acknowledged"; [ "$(sqlite3 rmct.db "SELECT count(*) FROM stock_movement WHERE id IN ($(paste -sd, acked))")" = "$n" ] && echo "all acknowledged movements present"
  some acknowledged
  all acknowledged movements present

  $ rmct stock verify | sed 's/[0-9][0-9]* movements (1 reversal), [0-9]* audit rows; held [0-9.]* t = in [0-9.]* t - out [0-9.]* t/N movements (1 reversal), N audit rows/'
  ledger consistent: 2 warehouses, 3 lots, N movements (1 reversal), N audit rows


# A whole import killed half way leaves the ledger as it was (one transaction): 200,000 new lots,
# killed once the import has written 4 MB of its transaction to the write-ahead log.
  $ seq 200000 | awk '{print $1 ",2026-01-01,acquire,BULK-" $1 ",GUNSAN,,1,bulk,k,,,Sb,metal,0.99,,,,,"}' | cat <(head -1 fixtures/stock/ledger.csv) - > bulk.csv; before=$(dbhash); RMCT_TODAY=2026-03-10 RMCT_ACTOR=k rmct stock import bulk.csv > /dev/null & for i in $(seq 600); do [ "$(stat -c %s rmct.db-wal 2>/dev/null || echo 0)" -gt 4000000 ] && break; sleep 0.05; done; kill -9 $! && echo killed; wait $! 2>/dev/null; [ "$(dbhash)" = "$before" ] && echo unchanged; rmct stock verify | cut -c1-18
  killed
  unchanged
  ledger consistent:


# Export, and import into an empty ledger: the same ledger again, byte for byte.
  $ rmct stock export --output ledger.csv; head -4 ledger.csv; [ $(wc -l < ledger.csv) = $(($(sqlite3 rmct.db 'SELECT count(*) FROM stock_movement') + 1)) ] && echo 'one row per movement'
  movement,date,kind,lot,warehouse,to_warehouse,tonnes,reason,actor,reference,reverses,metal,form,purity,contained_t,formula,unit_cost,currency,supplier
  1,2026-01-15,acquire,DY-2026-01,GUNSAN,,12.5,acquisition,kim,PO-2026-0115,,Dy,oxide,0.995,10.837051,Dy2O3,4200000,USD,CHN
  2,2026-03-01,release,DY-2026-01,GUNSAN,,3,emergency release,kim,,,,,,,,,,
  3,2026-02-01,transfer,DY-2026-01,GUNSAN,INCHEON,4,rebalance,kim,,,,,,,,,,
  one row per movement

  $ RMCT_TODAY=2026-03-10 RMCT_ACTOR=kim rmct --db fresh.db stock warehouse add GUNSAN --name "KOMIR Gunsan Reserve Base" --location "Saemangeum, Gunsan" >/dev/null; RMCT_TODAY=2026-03-10 RMCT_ACTOR=kim rmct --db fresh.db stock warehouse add INCHEON --name "PPS Incheon base" >/dev/null; RMCT_TODAY=2026-03-10 RMCT_ACTOR=kim rmct --db fresh.db stock import ledger.csv | sed 's/as source [0-9]*/as source N/; s/imported [0-9]* movements/imported N movements/'
  ledger.csv: imported N movements (3 new lots), dated 2026-01-15 to 2026-03-10 as source N

  $ rmct --db fresh.db stock export | cmp - ledger.csv && echo identical
  identical

  $ RMCT_TODAY=2026-03-10 RMCT_ACTOR=kim rmct --db fresh.db stock import ledger.csv | sed 's/source [0-9]*, [0-9]* movements/source N, N movements/'
  ledger.csv: already imported (source N, N movements): nothing done


# Importing the fixture ledger (3 lots, 11 movements) into an empty ledger. Its warehouses are not
# registered: refused, unless --create-warehouses.
  $ RMCT_TODAY=2026-03-10 RMCT_ACTOR=kim rmct --db fixture.db stock import fixtures/stock/ledger.csv; echo "status $?"
  rmct: fixtures/stock/ledger.csv:2:32: warehouse: expected a warehouse in the ledger (see 'rmct stock warehouse list'), got "GUNSAN"
  status 1

  $ RMCT_TODAY=2026-03-10 RMCT_ACTOR=kim rmct --db fixture.db stock import fixtures/stock/ledger.csv --create-warehouses --format csv | sed 's/,[0-9]*,11,/,N,11,/'
  file,status,source_id,rows,lots,warehouses_created,first_date,last_date
  fixtures/stock/ledger.csv,imported,N,11,3,2,2025-11-03,2026-03-06


# W-2025-07: 40 - 0.2 - 10 = 29.8 t of APT, W fraction of (NH4)10H2W12O42.4H2O = 2206.08 / 3132.504 =
# 0.704255, x 0.88 purity: 18.468 t W. LI-2025-02: 250 - 20 - 20 + 20 - 0.05 = 229.95 t (180 in
# INCHEON, 49.95 in GUNSAN) of Li2CO3, Li fraction 13.88 / 73.888 = 0.187852, x 0.995: 42.981 t Li.
# DY-2026-01: 9.5 t, 8.236 t Dy.
  $ rmct --db fixture.db stock list
  lot         metal  form      formula               purity  warehouse  gross t  contained t  acquired    unit cost/t  cur  supplier
  ----------  -----  --------  --------------------  ------  ---------  -------  -----------  ----------  -----------  ---  --------
  LI-2025-02  Li     compound  Li2CO3                0.9950  GUNSAN     49.95          9.336  2025-12-01       10,500  USD  CHL
  LI-2025-02  Li     compound  Li2CO3                0.9950  INCHEON    180           33.644  2025-12-01       10,500  USD  CHL
  DY-2026-01  Dy     oxide     Dy2O3                 0.9950  GUNSAN     9.5            8.236  2026-01-15    4,200,000  USD  CHN
  W-2025-07   W      compound  (NH4)10H2W12O42.4H2O  0.8800  GUNSAN     29.8          18.468  2025-11-03      310,000  USD  VNM
  
  3 lots: 269.250 t gross, 69.685 t contained. Contained tonnes follow each lot's contained/gross
  ratio; unit cost is per gross tonne as recorded at acquisition.

  $ rmct --db fixture.db stock list --by metal
  metal  lots  gross t  contained t
  -----  ----  -------  -----------
  Dy        1  9.5            8.236
  Li        1  229.95        42.981
  W         1  29.8          18.468
  
  3 lots: 269.250 t gross, 69.685 t contained. Contained tonnes follow each lot's contained/gross
  ratio; unit cost is per gross tonne as recorded at acquisition.

  $ rmct --db fixture.db stock verify
  ledger consistent: 2 warehouses, 3 lots, 11 movements (1 reversal), 16 audit rows; held 269.25 t = in 322.5 t - out 53.25 t

  $ rmct --db fixture.db stock history --lot LI-2025-02 --format csv | cut -d, -f1-3,6-9,11
  movement,date,kind,from,to,tonnes,lot_balance_t,reversed_by
  2,2025-12-01,acquire,,INCHEON,250,250,
  4,2026-01-20,transfer,INCHEON,GUNSAN,50,250,
  5,2026-02-02,sale,INCHEON,,20,230,
  6,2026-02-03,release,INCHEON,,20,210,7
  7,2026-02-04,reversal,,INCHEON,20,230,
  10,2026-03-05,adjust,GUNSAN,,0.05,229.95,


# Bad ledger files: the first bad row rejects the whole file, naming line, column and field.
# bad_overrelease.csv: on 2026-03-03 GUNSAN holds 12.5 - 3 - 5 = 4.5 t. bad_tonnes.csv writes 12,5.
  $ h() { sqlite3 bad.db .dump | sha256sum; }; before=$(h); for f in bad_overrelease bad_future bad_tonnes bad_reversal; do RMCT_TODAY=2026-03-10 RMCT_ACTOR=kim rmct --db bad.db stock import fixtures/stock/$f.csv --create-warehouses; echo "status $?"; done; [ "$(h)" = "$before" ] && echo unchanged
  rmct: fixtures/stock/bad_overrelease.csv:5:41: tonnes: expected at most 4.5 t, what lot DY-2026-01 holds in GUNSAN on 2026-03-03, got 5 t (no lot may go negative)
  status 1
  rmct: fixtures/stock/bad_future.csv:3:3: date: expected a date not after today (2026-03-10), got 2026-04-01, a date in the future
  status 1
  rmct: fixtures/stock/bad_tonnes.csv:2:38: tonnes: expected a positive quantity in tonnes (e.g. 12.5, at most 6 decimals), got "12,5"
  status 1
  rmct: fixtures/stock/bad_reversal.csv:4:57: reverses: expected the movement number of an earlier row of this file, got "5"
  status 1
  unchanged


# Days of cover (fixture ledger). Against KR (100 days): Li has the chains' demand, 1,348.15 t a
# month (battery:li) = 44.3226 t/d, so 42.981 t is 0.97 days, 99.03 days and 4,389 t short, at
# 9,000 USD/t (battery-grade lithium carbonate, 2025) = 39.5 million USD. Dy: the chains' 0.0567188 t
# a month = 0.0018647 t/d, 4,417 days. REE as a whole: 8.236 t against the sourced 15 t/d = 0.55 days,
# and against 1,500 t.
  $ rmct --db fixture.db stock cover | head -4
  Days of cover, against target set KR (data/stockpile_targets.csv)
   #  metal      stock t  demand t/d  demand      days  target         target t  days short    t short      USD/t   USD short
  --  ---------  -------  ----------  -------  -------  ------------  ---------  ----------  ---------  ---------  ----------
   1  Ni           0.000       59.98  chains       0.0  KR-100D       5,997.594       100.0  5,997.594     15,000  89,963,908

  $ rmct --db fixture.db stock cover --format csv | cut -d, -f2,5-9,12-16 | grep -E '^(metal|Li|W|Dy|REE),'
  metal,stock_t,demand_t_per_day,demand_kind,days,target_id,target_t,short_days,short_t,price_usd_per_t,short_usd
  REE,8.23615876,15,sourced,0.549077250666667,KR-100D,1500,99.4509227493333,1491.76384124,,
  REE,8.23615876,15,sourced,0.549077250666667,KR-REE-1500T,1500,99.4509227493333,1491.76384124,,
  Li,42.9805578888,44.3226166566781,chains,0.969720678310271,KR-100D,4432.26166566781,99.0302793216897,4389.28110777901,9000,39503529.9700111
  W,18.46836971,0.0342251141552511,chains,539.614553985831,KR-100D,3.42251141552511,0,0,38000,0
  Dy,8.23615876,0.00186472602739726,chains,4416.81975742883,KR-100D,0.186472602739726,0,0,,

  $ rmct --db fixture.db stock cover | grep -A3 '^Targets:'
  Targets:
    KR-100D: 100 days of demand, every metal (2021). Korea's target for the national stockpile of the
      35 designated rare metals: 100 days of demand, announced by MOTIE on 5 Aug 2021 (from 57 days)
      and restated by the National Program for Metal Stockpiling (KOMIR rare metals, from the previous


# A user's demand file overrides the other figures (W: 2 t/d, so 18.468 t is 9.23 days; Dy 0.05 t/d:
# 164.7 days, above the target).
  $ rmct --db fixture.db stock cover --demand fixtures/stock/demand.csv --format csv | cut -d, -f2,5-9,12-14 | grep -E '^(W|Dy),'
  W,18.46836971,2,user,9.234184855,KR-100D,200,90.765815145,181.53163029
  Dy,8.23615876,0.05,user,164.7231752,KR-100D,5,0,0


# Against Japan's 60-day rule, and as of 2026-01-31 (before the Dy lot).
  $ rmct --db fixture.db stock cover --against JP --date 2026-01-31 --format csv | cut -d, -f2,5,8,9,12,13 | grep -E '^(Li|W|Dy),'
  Li,46.728156,1.05427340542539,JP-60D,2659.35699940069,58.9457265945746
  W,24.789758,724.314837564874,JP-60D,2.05350684931507,0
  Dy,10.837051,5811.60494398531,JP-60D,0.111883561643836,0

  $ rmct --db fixture.db stock cover --against KR-2016 --format csv | cut -d, -f2,5,8,9,12,14 | grep -E ',KR-2016-'
  Nb,0,0,KR-2016-Nb,360,360
  Mo,0,0,KR-2016-Mo,2280,2280
  Ti,0,0,KR-2016-Ti,800,800
  W,18.46836971,539.614553985831,KR-2016-W,44,25.53163029
  Sb,0,0,KR-2016-Sb,2280,2280
  REE,8.23615876,0.549077250666667,KR-2016-REE,1164,1155.76384124
  Cr,0,,KR-2016-Cr,69700,69700
  Se,0,,KR-2016-Se,2,2

  $ rmct --db fixture.db stock cover --against XX; echo "status $?"
  rmct stock cover: --against: expected a target set of data/stockpile_targets.csv (KR, KR-2021-level, KR-2023-level, JP, KR-2016, KR-interim), got "XX" (see 'rmct stock cover --help')
  status 2

  $ rmct --db fixture.db stock cover --demand fixtures/stock/bad_demand.csv; echo "status $?"
  rmct: fixtures/stock/bad_demand.csv:3:1: metal: expected one row per metal, got Dy again (first on line 2)
  status 1

