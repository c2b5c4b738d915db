# Editing a scenario's events (docs/API.md, "Editing a scenario"): the query parameter "edits" of
# GET .../central and the field "edits" of POST /api/v1/scenarios/runs change an event's start,
# depth or duration before the run; an edited number is fixed across futures and labelled as the
# request's. Checked against the command line on a scenario file edited the same way with jq: the
# same flows for the central run, the same metrics for an ensemble (same seed).
  $ RMCT_ACTOR=setup RMCT_PASSWORD=analyst-pass-1 rmct user add ann --role analyst > /dev/null

  $ start_server --rate 0 --login-rate 0 --job-threads 1
  server up

  $ login ann analyst-pass-1
  200


# The issue's question with a deeper, longer cut: China cuts 90% for 12 months instead of 50% for 6.
  $ api GET /api/v1/scenarios/ree-china-halves-6m/central -G --data-urlencode 'edits=[{"event":0,"depth":0.9,"duration_months":12}]'; jq -r '.scenario.events[0] | "depth \(.depth.value) (varies \(.depth.varies), assumption \(.depth.assumption)), \(.duration_months.value) months, from \(.from)"' body.json; jq -r '.scenario.events[0].depth.basis, (.by_metal[] | "\(.metal) short \(.months) month(s) from \(.first) to \(.recovered)")' body.json
  200
  depth 0.9 (varies false, assumption true), 12 months, from 2026-03
  EDITED in the request: 0.9 instead of the file's 0.5 (the file's basis: HYPOTHETICAL (not a register event): the question: China's exports halved)
  Nd short 4 month(s) from 2026-04 to 2026-08
  Pr short 11 month(s) from 2026-04 to 2027-03
  Dy short 11 month(s) from 2026-04 to 2027-03
  Tb short 11 month(s) from 2026-04 to 2027-03

  $ jq '.events[0].cut = {"value": 0.9, "unit": "fraction", "assumption": "edited"} | .events[0].duration_months = {"value": 12, "unit": "months", "assumption": "edited"}' data/scenarios/ree-china-halves-6m.json > edited.json; rmct simulate edited.json --format json > cli.json; api GET '/api/v1/scenarios/ree-china-halves-6m/central?flows=true' -G --data-urlencode 'edits=[{"event":0,"depth":0.9,"duration_months":12}]' > /dev/null; cmp <(jq -S .flows body.json) <(jq -S . cli.json) && echo same flows as the command line on the edited file
  same flows as the command line on the edited file

# The scenario as bundled is unchanged (answers are cached by URL, edits included).
  $ api GET /api/v1/scenarios/ree-china-halves-6m/central; jq -r '(.scenario.events[0] | "depth \(.depth.value), \(.duration_months.value) months"), (.by_metal[0] | "\(.metal) short \(.months) month(s)")' body.json; header X-Cache
  200
  depth 0.5, 6 months
  Nd short 1 month(s)
  miss

# A later start moves the shortfall: from June instead of March.
  $ api GET /api/v1/scenarios/ree-china-halves-6m/central -G --data-urlencode 'edits=[{"event":0,"from":"2026-06"}]'; jq -r '.scenario.events[0].from, (.by_metal[0] | "\(.metal) short from \(.first)")' body.json
  200
  2026-06
  Nd short from 2026-08

# Wrong edits are refused with 400 naming "edits" and what is wrong.
  $ api GET /api/v1/scenarios/ree-china-halves-6m/central -G --data-urlencode 'edits=[{"event":1,"depth":0.5}]'; err
  400
  bad_parameter edits: edits[0].event: expected the number of one of the scenario's events, 0 to 0

  $ api GET /api/v1/scenarios/ree-china-halves-6m/central -G --data-urlencode 'edits=[{"event":0,"depth":1.5}]'; err
  400
  bad_parameter edits: edits[0].depth: expected a number from 0 to 1 (the cut of this export_restriction event)

  $ api GET /api/v1/scenarios/ree-china-halves-6m/central -G --data-urlencode 'edits=[{"event":0,"duration_months":0}]'; err
  400
  bad_parameter edits: edits[0].duration_months: expected a number of months from 0.5 to 1200

  $ api GET /api/v1/scenarios/ree-china-halves-6m/central -G --data-urlencode 'edits=[{"event":0,"from":"2031-01"}]'; err
  400
  bad_parameter edits: edits[0].from: expected a month YYYY-MM from ten years before the scenario's start to its last month

  $ api GET /api/v1/scenarios/ree-china-halves-6m/central -G --data-urlencode 'edits=[{"event":0,"cut":0.5}]'; err
  400
  bad_parameter edits: edits[0].cut: unknown field (event, depth, duration_months, from)

  $ api GET /api/v1/scenarios/ree-china-halves-6m/central -G --data-urlencode 'edits={"event":0}'; err
  400
  bad_parameter edits: edits: expected an array of objects {"event", "depth", "duration_months", "from"}, at most one per event (the scenario has 1)

  $ api GET /api/v1/scenarios/ree-china-halves-6m/central -G --data-urlencode 'edits=[{"event":0'; err
  400
  bad_parameter edits: edits: expected JSON: an array of {"event", "depth", "duration_months", "from"}

  $ api GET /api/v1/scenarios/cn-w-te-bi-mo-in-2025/central -G --data-urlencode 'edits=[{"event":1,"depth":0.2},{"event":1,"duration_months":3}]'; err
  400
  bad_parameter edits: edits[1].event: event 1 is edited twice

  $ api GET /api/v1/scenarios/baseline/central -G --data-urlencode 'edits=[{"event":0}]'; err
  400
  bad_parameter edits: edits: expected an array of objects {"event", "depth", "duration_months", "from"}, at most one per event (the scenario has 0)

  $ api GET /api/v1/scenarios/ree-china-halves-6m/central -G --data-urlencode "edits=[$(printf '{"event":0},%.0s' $(seq 30)){\"event\":0}]"; err
  400
  bad_parameter edits: edits: expected at most 256 characters of UTF-8


# A Monte Carlo run with edits: an event that varies across futures (a triangular cut) fixed at
# 0.3 for 6 months; the same numbers as the command line on the file edited that way.
  $ as ann POST /api/v1/scenarios/runs '{"scenario":"cn-w-te-bi-mo-in-2025","runs":2000,"seed":3,"edits":[{"event":1,"depth":0.3,"duration_months":6}]}'; jq -c .params body.json
  202
  {"scenario":"cn-w-te-bi-mo-in-2025","runs":2000,"seed":3,"hazards":true,"edits":[{"event":1,"depth":0.3,"duration_months":6}]}

  $ wait_job /api/v1/scenarios/runs/1 ann; jq -r '.result.scenario.events[1] | "depth \(.depth.value) varies \(.depth.varies), \(.duration_months.value) months varies \(.duration_months.varies)"' body.json
  done
  depth 0.3 varies false, 6 months varies false

  $ jq '.events[1].cut = {"value": 0.3, "unit": "fraction", "assumption": "edited"} | .events[1].duration_months = {"value": 6, "unit": "months", "assumption": "edited"}' data/scenarios/cn-w-te-bi-mo-in-2025.json > edited2.json; rmct simulate edited2.json --runs 2000 --seed 3 --threads 2 --format json > cli2.json; cmp <(jq -S .result.metrics body.json) <(jq -S . cli2.json) && echo same as the command line on the edited file
  same as the command line on the edited file

  $ rmct simulate cn-w-te-bi-mo-in-2025 --runs 2000 --seed 3 --threads 2 --format json > cli3.json; cmp -s <(jq -S .result.metrics body.json) <(jq -S . cli3.json) || echo the edits changed the answer
  the edits changed the answer

  $ as ann POST /api/v1/scenarios/runs '{"scenario":"ree-china-halves-6m","edits":[{"event":2,"depth":0.5}]}'; err
  400
  bad_parameter edits: edits[0].event: expected the number of one of the scenario's events, 0 to 0

  $ as ann POST /api/v1/scenarios/runs '{"scenario":"ree-china-halves-6m","edits":"deeper"}'; err
  400
  bad_parameter edits: edits: expected an array of objects {"event", "depth", "duration_months", "from"}, at most one per event (the scenario has 1)

  $ as ann POST /api/v1/scenarios/runs '{"scenario":"ree-china-halves-6m","runs":10,"edits":[]}'; jq -r '.params | has("edits")' body.json
  202
  false

  $ stop_server
  server stopped cleanly

