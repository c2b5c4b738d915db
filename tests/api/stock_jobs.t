# The stockpile ledger and the background runs over HTTP (docs/API.md, "Stockpile", "Background
# runs"): stock-keepers write the ledger (the user is its recorded_by and actor), anyone logged in
# reads it; analysts start Monte Carlo runs and purchase plans, which run in the background with
# progress and can be cancelled. Results are compared with the command line on the same database:
# the same numbers, bit for bit (the ensemble is identical for any number of threads).
  $ RMCT_ACTOR=setup RMCT_PASSWORD=viewer-pass-1 rmct user add vera --role viewer > /dev/null; RMCT_ACTOR=setup RMCT_PASSWORD=analyst-pass-1 rmct user add ann --role analyst > /dev/null; RMCT_ACTOR=setup RMCT_PASSWORD=analyst-pass-2 rmct user add lee --role analyst > /dev/null

  $ RMCT_ACTOR=setup RMCT_PASSWORD=keeper-pass-1 rmct user add kim --role stock-keeper > /dev/null; RMCT_ACTOR=setup RMCT_PASSWORD=admin-pass-01 rmct user add root --role admin > /dev/null

  $ RMCT_TODAY=2026-03-20 start_server --rate 0 --login-rate 0 --job-threads 1
  server up

  $ login vera viewer-pass-1; login ann analyst-pass-1; login lee analyst-pass-2; login kim keeper-pass-1; login root admin-pass-01
  200
  200
  200
  200
  200


# Warehouses and an acquisition: 12.5 t of Dy2O3 at 99.5% holds 12.5 x 0.995 x 0.871321 = 10.837051 t
# of Dy (the figure tests/cli/stock.t works out by hand).
  $ as kim POST /api/v1/stock/warehouses '{"code":"GUNSAN","name":"KOMIR Gunsan Reserve Base","location":"Saemangeum"}'; jq -r .code body.json
  201
  GUNSAN

  $ as kim POST /api/v1/stock/warehouses '{"code":"INCHEON","name":"PPS Incheon base"}' > /dev/null; as kim POST /api/v1/stock/warehouses '{"code":"GUNSAN","name":"again"}'; err
  422
  bad_input code: code: expected a new warehouse code, got "GUNSAN", which is already in the ledger

  $ as kim POST /api/v1/stock/warehouses '{"code":"W 1","name":"x"}'; err
  422
  bad_input code: code: expected a warehouse code of up to 32 letters, digits, '.', '_' or '-', got "W 1"

  $ as kim POST /api/v1/stock/lots '{"lot":"DY-2026-01","metal":"Dy","tonnes":12.5,"form":"oxide","purity":0.995,"warehouse":"GUNSAN","date":"2026-03-10","reason":"annual purchase"}'; jq -r '"\(.movement) \(.kind) \(.lot) \(.metal) \(.tonnes) t, \(.contained_t) t contained"' body.json
  201
  1 acquire DY-2026-01 Dy 12.5 t, 10.837051 t contained

  $ as kim POST /api/v1/stock/lots '{"lot":"W-2026-01","metal":"tungsten","tonnes":"40","form":"metal","purity":"0.999","warehouse":"INCHEON","date":"2026-03-12","unit_cost":41000,"currency":"USD","supplier":"VNM"}'; jq -r '"\(.lot) \(.metal) \(.contained_t)"' body.json
  201
  W-2026-01 W 39.96

  $ as kim POST /api/v1/stock/lots '{"lot":"DY-2026-01","metal":"Dy","tonnes":1,"form":"oxide","purity":0.99,"warehouse":"GUNSAN","date":"2026-03-11"}'; err
  422
  bad_input lot: expected a new lot code, got "DY-2026-01", which is already in the ledger (acquired 2026-03-10)

  $ as kim POST /api/v1/stock/lots '{"lot":"X-1","metal":"unobtainium","tonnes":1,"form":"oxide","purity":0.99,"warehouse":"GUNSAN"}'; err
  422
  bad_input metal: expected a metal (element symbol or name, type code such as REE or PGM, or a known alias), got "unobtainium"

  $ as kim POST /api/v1/stock/lots '{"lot":"X-1","metal":"Dy","tonnes":"12.5.5","form":"oxide","purity":0.99,"warehouse":"GUNSAN"}'; err
  422
  bad_input tonnes: expected a positive quantity in tonnes (e.g. 12.5, at most 6 decimals), got "12.5.5"

  $ as kim POST /api/v1/stock/lots '{"lot":"X-1","metal":"Dy","tonnes":1,"form":"oxide","purity":0.99,"warehouse":"NOWHERE"}'; err
  422
  bad_input warehouse: expected a warehouse in the ledger (see 'rmct stock warehouse list'), got "NOWHERE"

  $ as kim POST /api/v1/stock/lots '{"lot":"X-1","metal":"Dy","tonnes":1,"form":"oxide","purity":0.99,"warehouse":"GUNSAN","date":"2027-01-01"}'; err
  422
  bad_input date: expected a date not after today (2026-03-20), got 2027-01-01, a date in the future

  $ as kim POST /api/v1/stock/lots '{"lot":"X-1","metal":"Dy","tonnes":1,"form":"oxide","warehouse":"GUNSAN"}'; err
  400
  missing_parameter purity: purity: required

  $ as kim POST /api/v1/stock/lots '{"lot":"X-1","metal":"Dy","tonnes":true,"form":"oxide","purity":0.99,"warehouse":"GUNSAN"}'; err
  400
  bad_parameter tonnes: tonnes: expected a number


# Movements: a release, a transfer, a count, a reversal; the ledger refuses what would go negative.
  $ as kim POST /api/v1/stock/movements '{"kind":"release","lot":"DY-2026-01","tonnes":3,"reason":"emergency release","date":"2026-03-15"}'; jq -r '"\(.movement) \(.kind) \(.tonnes) t from \(.from)"' body.json
  201
  3 release 3 t from GUNSAN

  $ as kim POST /api/v1/stock/movements '{"kind":"release","lot":"DY-2026-01","tonnes":100,"reason":"too much"}'; err
  422
  bad_input tonnes: expected at most 9.5 t, what lot DY-2026-01 holds in GUNSAN on 2026-03-20, got 100 t (no lot may go negative)

  $ as kim POST /api/v1/stock/movements '{"kind":"transfer","lot":"DY-2026-01","tonnes":"2.5","warehouse":"GUNSAN","to_warehouse":"INCHEON","reason":"rebalancing","date":"2026-03-16"}'; jq -r '"\(.kind) \(.from) -> \(.to) \(.tonnes)"' body.json
  201
  transfer GUNSAN -> INCHEON 2.5

  $ as kim POST /api/v1/stock/movements '{"kind":"adjust","lot":"DY-2026-01","warehouse":"GUNSAN","counted":"6.9","reason":"stock count","date":"2026-03-17"}'; jq -r '"\(.kind) \(.tonnes) book \(.book_t)"' body.json
  201
  adjust 0.1 book 7

  $ as kim POST /api/v1/stock/movements '{"kind":"reversal","reverses":2,"reason":"entered twice","date":"2026-03-18"}'; jq -r '"\(.kind) \(.tonnes) to \(.to)"' body.json
  201
  reversal 40 to null

  $ as kim POST /api/v1/stock/movements '{"kind":"reversal","reverses":2,"reason":"again"}'; err
  422
  bad_input reverses: movement 2 was already reversed by movement 6

  $ as kim POST /api/v1/stock/movements '{"kind":"acquire","lot":"DY-2026-01","tonnes":1}'; err
  400
  bad_parameter kind: kind: expected release, sale, rotation, write-off, transfer, adjust or reversal (acquisitions: POST /api/v1/stock/lots)

  $ as kim POST /api/v1/stock/movements '{"kind":"release","lot":"NOPE","tonnes":1,"reason":"x"}'; err
  422
  bad_input lot: expected a lot in the ledger (see 'rmct stock list --all'), got "NOPE"

  $ as ann POST /api/v1/stock/movements '{"kind":"release","lot":"DY-2026-01","tonnes":1,"reason":"x"}'; err
  403
  forbidden -: this needs the stock-keeper role or above; ann is analyst


# Reading the ledger: the same JSON as the command line's; the ledger's own audit log names kim.
  $ as vera GET /api/v1/stock/lots; jq -r '"\(.lots) lots, \(.contained_t) t contained", (.holdings[] | "\(.lot) \(.warehouse) \(.gross_t)")' body.json
  200
  1 lots, 8.149462352 t contained
  DY-2026-01 GUNSAN 6.9
  DY-2026-01 INCHEON 2.5

  $ as vera GET /api/v1/stock/lots > /dev/null; rmct stock list --format json > cli.json; cmp <(jq -S .holdings body.json) <(jq -S . cli.json) && echo same as the CLI
  same as the CLI

  $ as vera GET '/api/v1/stock/lots?by=metal'; jq -r '.holdings[] | "\(.metal) \(.lots) \(.gross_t)"' body.json
  200
  Dy 1 9.4

  $ as vera GET '/api/v1/stock/lots?date=2026-03-11'; jq -r '.holdings | map(.lot) | join(" ")' body.json
  200
  DY-2026-01

  $ as vera GET '/api/v1/stock/lots?by=colour'; err
  400
  bad_parameter by: by: expected one of lot, metal, warehouse

  $ as vera GET '/api/v1/stock/lots?date=2026-02-30'; err
  400
  bad_parameter date: date: expected a date YYYY-MM-DD

  $ as vera GET /api/v1/stock/movements; jq -r '.[] | "\(.movement) \(.date) \(.kind) \(.lot) \(.tonnes) \(.actor)"' body.json
  200
  1 2026-03-10 acquire DY-2026-01 12.5 kim
  2 2026-03-12 acquire W-2026-01 40 kim
  3 2026-03-15 release DY-2026-01 3 kim
  4 2026-03-16 transfer DY-2026-01 2.5 kim
  5 2026-03-17 adjust DY-2026-01 0.1 kim
  6 2026-03-18 reversal W-2026-01 40 kim

  $ as vera GET /api/v1/stock/movements > /dev/null; rmct stock history --format json > cli.json; cmp <(jq -S . body.json) <(jq -S . cli.json) && echo same as the CLI
  same as the CLI

  $ as vera GET '/api/v1/stock/movements?lot=W-2026-01&since=2026-03-01&until=2026-03-31'; jq -r length body.json
  200
  2

  $ as vera GET /api/v1/stock/verify; jq -r '"consistent \(.consistent): \(.lots) lots, \(.movements) movements, \(.audit_rows) audit rows"' body.json
  200
  consistent true: 2 lots, 6 movements, 10 audit rows

  $ as kim GET /api/v1/stock/audit; jq -r 'map(.actor) | unique | join(" ")' body.json
  200
  kim

  $ as vera GET /api/v1/stock/audit; err
  403
  forbidden -: this needs the stock-keeper role or above; vera is viewer

  $ as vera GET /api/v1/stock/cover; jq -r '.against, (.metals[] | select(.metal == "Dy") | "\(.metal) \(.stock_t) t, \(.days | floor) days, target \(.target_id)")' body.json
  200
  KR
  Dy 8.149462352 t, 4370 days, target KR-100D

  $ as vera GET /api/v1/stock/cover > /dev/null; rmct stock cover --format json > cli.json; cmp <(jq -S .metals body.json) <(jq -S . cli.json) && echo same as the CLI
  same as the CLI

  $ as vera GET '/api/v1/stock/cover?against=MARS'; err
  400
  bad_parameter against: against: expected a target set of the targets file (KR, KR-2021-level, KR-2023-level, JP, KR-2016, KR-interim), got MARS

  $ api GET /api/v1/stock/cover; err
  401
  unauthenticated -: log in (POST /api/v1/session) or send an API token


# Monte Carlo runs: queued at once (202 with its URL), run in the background, read by any user.
  $ as ann POST /api/v1/scenarios/runs '{"scenario":"ree-china-halves-6m","runs":2000,"seed":3}'; jq -r '"\(.id) \(.status) \(.owner) \(.url)"' body.json; header Location
  202
  1 queued ann /api/v1/scenarios/runs/1
  /api/v1/scenarios/runs/1

  $ wait_job /api/v1/scenarios/runs/1 vera
  done

  $ as vera GET /api/v1/scenarios/runs/1; jq -r '.progress_pct, .result.runs, .result.seed, (.result.p_any_shortfall > 0), (.result.fans | length > 0), (.result.months | length), (.result.metrics[0] | "\(.kind) \(.what)")' body.json
  200
  100
  2000
  3
  true
  true
  24
  metal shortfall Nd

  $ as vera GET /api/v1/scenarios/runs/1 > /dev/null; rmct simulate ree-china-halves-6m --runs 2000 --seed 3 --threads 2 --format json > cli.json; cmp <(jq -S .result.metrics body.json) <(jq -S . cli.json) && echo same as the CLI
  same as the CLI

  $ as vera GET /api/v1/scenarios/runs; jq -r '(map("\(.id) \(.status)") | join(" ")), (.[0] | has("result"))' body.json
  200
  1 done
  false

  $ as ann POST /api/v1/scenarios/runs '{"scenario":"ree-china-halves-6m","runs":0}'; err
  400
  bad_parameter runs: runs: expected a whole number from 1 to 1000000

  $ as ann POST /api/v1/scenarios/runs '{"scenario":"ree-china-halves-6m","runs":2000000}'; err
  400
  bad_parameter runs: runs: expected a whole number from 1 to 1000000

  $ as ann POST /api/v1/scenarios/runs '{"scenario":"../../etc/passwd"}'; err
  400
  bad_parameter scenario: scenario: no bundled scenario "?" (GET /api/v1/scenarios)

  $ as ann POST /api/v1/scenarios/runs '{"scenario":"no-such"}'; err
  400
  bad_parameter scenario: scenario: no bundled scenario "no-such" (GET /api/v1/scenarios)

  $ as ann POST /api/v1/scenarios/runs '{"runs":10}'; err
  400
  missing_parameter scenario: scenario: required

  $ as ann POST /api/v1/scenarios/runs '{"scenario":"baseline","threads":64}'; err
  400
  bad_parameter threads: threads: not a field of this request (expected: scenario,runs,seed,hazards,chains,edits)

  $ as ann POST /api/v1/scenarios/runs '{"scenario":"baseline","chains":"no-such-chain","runs":10}' > /dev/null; wait_job /api/v1/scenarios/runs/$(jq -r .id body.json) ann; jq -r '.error.code, .error.message' body.json
  failed
  bad_parameter
  no chain named "no-such-chain" in data/chains (see 'rmct chain list')

  $ as vera GET /api/v1/scenarios/runs/999; err
  404
  not_found -: no run 999 (the newest 200 runs and plans are kept)

  $ as vera GET /api/v1/scenarios/runs/x1; err
  400
  bad_parameter id: id: expected a run number


# Cancelling: by its owner or an admin, while queued or running; a finished run cannot be.
  $ as ann POST /api/v1/scenarios/runs '{"scenario":"ree-china-halves-6m","runs":1000000}' > /dev/null; id=$(jq -r .id body.json); as lee DELETE /api/v1/scenarios/runs/$id; err; as vera DELETE /api/v1/scenarios/runs/$id; err; as ann DELETE /api/v1/scenarios/runs/$id; jq -r .cancel_requested body.json; wait_job /api/v1/scenarios/runs/$id ann; jq -r .error.code body.json
  403
  forbidden -: only ann (who started it) or an admin can cancel it
  403
  forbidden -: this needs the analyst role or above; vera is viewer
  202
  true
  cancelled
  cancelled

  $ as ann DELETE /api/v1/scenarios/runs/1; err
  409
  conflict -: it has already finished (done)


# At most 4 runs queued or running per user: the fifth is refused with 429 (and cancelled ones free the places).
  $ for i in 1 2 3 4 5; do as ann POST /api/v1/scenarios/runs '{"scenario":"ree-china-halves-6m","runs":1000000}'; done; err
  202
  202
  202
  202
  429
  too_many_jobs -: you have too many runs queued or running (at most 4 per user, 32 in all); wait or cancel one

  $ as vera GET /api/v1/scenarios/runs; for id in $(jq -r '.[] | select(.status == "queued" or .status == "running") | .id' body.json); do as root DELETE /api/v1/scenarios/runs/$id > /dev/null; wait_job /api/v1/scenarios/runs/$id root; done | sort | uniq -c | sed 's/^ *//'
  200
  4 cancelled


# A purchase plan: the same LP and numbers as 'rmct stock plan' on the same ledger.
  $ as ann POST /api/v1/stock/plans '{"budget_usd":5e7,"runs":500}'; jq -r '"\(.kind) \(.status) \(.params.scenario) \(.params.runs)"' body.json; jq -r .url body.json > plan.url
  202
  stock-plan queued baseline 500

  $ wait_job $(cat plan.url) vera; jq -r '.result.scenario, (.result.metals | length > 0), (.result.summary.spent_usd <= 5e7), (.result.frontier | length), .result.lp.form' body.json
  done
  baseline
  true
  true
  6
  compact

  $ as vera GET $(cat plan.url) > /dev/null; rmct stock plan --budget 5e7 --runs 500 --format json > cli.json; cmp <(jq -S .result.metals body.json) <(jq -S . cli.json) && echo same as the CLI
  same as the CLI

  $ as ann POST /api/v1/stock/plans '{"runs":500}'; err
  400
  missing_parameter budget_usd: budget_usd: required

  $ as ann POST /api/v1/stock/plans '{"budget_usd":-1}'; err
  400
  bad_parameter budget_usd: budget_usd: expected a number from 0 to 1e+13

  $ as ann POST /api/v1/stock/plans '{"budget_usd":1e6,"as_of":"yesterday"}'; err
  400
  bad_parameter as_of: as_of: expected a date YYYY-MM-DD

  $ as ann POST /api/v1/stock/plans '{"budget_usd":1e6,"extensive":true,"runs":10000}'; err
  400
  bad_parameter runs: runs: at most 5000 with the extensive form (it is a check)

  $ as vera POST /api/v1/stock/plans '{"budget_usd":1e6}'; err
  403
  forbidden -: this needs the analyst role or above; vera is viewer

  $ as ann POST /api/v1/stock/plans '{"budget_usd":1e8,"runs":200000}' > /dev/null; jq -r .url body.json > plan2.url; as lee DELETE $(cat plan2.url); err; as ann DELETE $(cat plan2.url); jq -r .cancel_requested body.json; wait_job $(cat plan2.url) ann; jq -r .error.code body.json
  403
  forbidden -: only ann (who started it) or an admin can cancel it
  202
  true
  cancelled
  cancelled

  $ as ann DELETE $(cat plan.url); err
  409
  conflict -: it has already finished (done)

  $ as ann DELETE /api/v1/stock/plans/999; err
  404
  not_found -: no plan 999 (the newest 200 runs and plans are kept)

  $ as vera GET /api/v1/stock/plans; jq -r 'map("\(.kind) \(.status)") | .[]' body.json
  200
  stock-plan cancelled
  stock-plan done


# Every write above is in the audit log with its user.
  $ as root GET '/api/v1/audit?limit=1000'; jq -r '.[] | select(.action | test("stock|runs|plans")) | "\(.actor) \(.action) \(.status)"' body.json | sort | uniq -c | sed 's/^ *//'
  200
  1 ann DELETE /api/v1/scenarios/runs/{id} 202
  1 ann DELETE /api/v1/scenarios/runs/{id} 409
  1 ann DELETE /api/v1/stock/plans/{id} 202
  1 ann DELETE /api/v1/stock/plans/{id} 404
  1 ann DELETE /api/v1/stock/plans/{id} 409
  7 ann POST /api/v1/scenarios/runs 202
  6 ann POST /api/v1/scenarios/runs 400
  1 ann POST /api/v1/scenarios/runs 429
  2 ann POST /api/v1/stock/plans 202
  4 ann POST /api/v1/stock/plans 400
  2 kim POST /api/v1/stock/lots 201
  2 kim POST /api/v1/stock/lots 400
  5 kim POST /api/v1/stock/lots 422
  4 kim POST /api/v1/stock/movements 201
  1 kim POST /api/v1/stock/movements 400
  3 kim POST /api/v1/stock/movements 422
  2 kim POST /api/v1/stock/warehouses 201
  2 kim POST /api/v1/stock/warehouses 422
  1 lee DELETE /api/v1/scenarios/runs/{id} 403
  1 lee DELETE /api/v1/stock/plans/{id} 403
  4 root DELETE /api/v1/scenarios/runs/{id} 202

# (kept for the restart below: run 1's result and the list of runs)
  $ as vera GET /api/v1/scenarios/runs/1 > /dev/null; jq -S .result body.json > before.json; as vera GET /api/v1/scenarios/runs > /dev/null; jq -r 'map("\(.id) \(.status)") | .[]' body.json > runs-before.txt; wc -l < runs-before.txt
  7

  $ stop_server
  server stopped cleanly

# Finished runs and plans are stored in the database: a restarted server still has them, with their
# results (the same bytes as before the restart), and new ids continue after the stored ones.

  $ RMCT_TODAY=2026-03-20 start_server --rate 0 --login-rate 0 --job-threads 1
  server up

  $ login vera viewer-pass-1; login ann analyst-pass-1
  200
  200

  $ as vera GET /api/v1/scenarios/runs/1; jq -r '.status, .owner, .progress_pct' body.json; jq -S .result body.json | cmp - before.json && echo the same result as before the restart
  200
  done
  ann
  100
  the same result as before the restart

  $ as vera GET /api/v1/scenarios/runs > /dev/null; jq -r 'map("\(.id) \(.status)") | .[]' body.json | cmp - runs-before.txt && echo the same runs; as vera GET /api/v1/stock/plans; jq -r 'map("\(.kind) \(.status)") | .[]' body.json
  the same runs
  200
  stock-plan cancelled
  stock-plan done

  $ as ann POST /api/v1/scenarios/runs '{"scenario":"ree-china-halves-6m","runs":100,"seed":3}' > /dev/null; new=$(jq -r .id body.json); max=$(sort -n runs-before.txt | tail -1 | cut -d' ' -f1); test "$new" -gt "$max" && echo "new id after the stored ones"; wait_job /api/v1/scenarios/runs/$new ann
  new id after the stored ones
  done

  $ sqlite3 rmct.db "SELECT kind, status, count(*), sum(result IS NOT NULL) FROM server_job GROUP BY kind, status ORDER BY kind, status"
  scenario-run|cancelled|5|0
  scenario-run|done|2|2
  scenario-run|failed|1|0
  stock-plan|cancelled|1|0
  stock-plan|done|1|1

  $ stop_server
  server stopped cleanly
