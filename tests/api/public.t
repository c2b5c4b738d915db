# The public API (docs/API.md): what anyone may read without logging in, and every way a request
# for it can be wrong. The server runs on a copy of the bundled database, on a free loopback port,
# with the test fixture web directory; the last test stops it and checks it stopped cleanly (under
# the sanitizer build that includes no leak report). The figures checked here are the same library
# results the CLI tests check by hand (tests/cli/supply.t, trade.t, simulate.t); here the point is
# that the API serves them, whole and consistent.
  $ start_server --web fixtures/web
  server up


# Health and the endpoint index (every route of the table in src/serve.c).
  $ api GET /healthz; jq -r '.status, .metal_types' body.json
  200
  ok
  35

  $ api GET /api/v1; jq -r '.endpoints | length, (map(select(.role == "public")) | length), .[0].path' body.json
  200
  59
  22
  /healthz

  $ api GET /api/v1; jq -r '.endpoints[] | select(.path == "/api/v1/scenarios/runs") | "\(.method) \(.role)"' body.json
  200
  GET viewer
  POST analyst


# The OpenAPI document (docs/openapi.json) describes exactly these routes, with their roles and
# query parameters.
  $ api GET /api/v1 > /dev/null; jq -r '.endpoints[] | "\(.method | ascii_downcase) \(.path) \(.role) \(.query | split(",") | sort | join(","))"' body.json | sort > routes; jq -r '.paths | to_entries[] | .key as $p | .value | to_entries[] | "\(.key) \($p) \(.value["x-role"]) \([.value.parameters // [] | .[] | select(.in == "query") | .name] | sort | join(","))"' "$ROOT/docs/openapi.json" | sort > documented; diff routes documented && echo "$(wc -l < routes) routes, each documented with its role and query parameters"
  59 routes, each documented with its role and query parameters


# The registry: 35 types, a list's own members, the lists, the sources.
  $ api GET /api/v1/metals; jq -r 'length, (.[0] | "\(.no) \(.code) \(.name) \(.n_elements) KR=\(.KR_elements)")' body.json
  200
  35
  1 Li Lithium 1 KR=1

  $ api GET '/api/v1/metals?group=ree'; jq -r '.[] | "\(.code) \(.n_elements)"' body.json
  200
  REE 17

  $ api GET '/api/v1/metals?list=EU'; jq -r 'length, .[0].member' body.json
  200
  32
  Antimony

  $ api GET '/api/v1/metals?list=XX'; err
  404
  not_found list: expected a list (KR, KR-CM, JP, US-2022, US, EU), got "XX"

  $ api GET '/api/v1/metals?group=nothing'; err
  404
  not_found group: expected a group (alkali, semimetal, iron, boron, refractory, ree, pgm, or 1-7), got "nothing"

  $ api GET /api/v1/lists; jq -r '(.lists | map(.list) | join(" ")), (.membership | length)' body.json
  200
  KR KR-CM JP US-2022 US EU
  51

  $ api GET /api/v1/sources; jq -r '.[0] | "\(.dataset) \(.sha256 | length)"' body.json; rmct sources --format json > cli.json; cmp <(jq -S . body.json) <(jq -S . cli.json) && echo same as the CLI
  200
  elements 64
  same as the CLI


# One metal's page, by symbol, name or alias; the same JSON as 'rmct show --format json'.
  $ api GET /api/v1/metals/Dy; jq -r '.name, .type, .group, (.lists | map(select(.elements_on_list > 0) | .list) | join(" "))' body.json
  200
  Dysprosium
  REE
  Rare earths
  KR KR-CM JP US-2022 US EU

  $ api GET /api/v1/metals/tungsten; jq -r '.code, (.production[0] | "\(.stage) \(.year) \(.countries[0].country) \(.source.dataset)")' body.json
  200
  W
  mine 2025 China usgs-mcs

  $ api GET /api/v1/metals/tungsten > /dev/null; cp body.json api.json; rmct show tungsten --format json > cli.json; cmp <(jq -S . api.json) <(jq -S . cli.json) && echo same as the CLI
  same as the CLI

  $ api GET '/api/v1/metals/W?year=2024'; jq -r '[.production[] | "\(.stage) \(.year)"] | unique | join(" ")' body.json
  200
  mine 2024

  $ api GET /api/v1/metals/unobtainium; err
  404
  not_found -: expected a metal (element symbol or name, type code such as REE or PGM, or a known alias), got "unobtainium"

  $ api GET /api/v1/metals/Fe; err
  404
  not_found -: Iron (Fe) is not one of Korea's 35 rare-metal types; 'rmct lists' shows which lists name it

  $ api GET '/api/v1/metals/W?stage=smelter'; err
  400
  bad_parameter stage: stage: expected one of mine, refinery

  $ api GET '/api/v1/metals/W?year=20x4'; err
  400
  bad_parameter year: year: expected a whole number from 1800 to 2200


# World supply, ranked; the thresholds are parameters.
  $ api GET /api/v1/supply; jq -r '"\(.types) types, \(.with_data) with data, \(.flagged) flagged", (.metals[0] | "\(.rank) \(.type) \(.top_producer) \(.flags)")' body.json
  200
  35 types, 33 with data, 24 flagged
  1 Ga China HHI ONE>50%

  $ api GET /api/v1/supply > /dev/null; rmct supply --format json > cli.json; cmp <(jq -S .metals body.json) <(jq -S . cli.json) && echo same as the CLI
  same as the CLI

  $ api GET '/api/v1/supply?hhi_threshold=9000&share_threshold=95'; jq -r .flagged body.json
  200
  1

  $ api GET '/api/v1/supply?stage=refinery'; jq -r '.metals[0].series' body.json
  200
  Dysprosium processing, EU 2023 (2016-2020 avg)

  $ api GET '/api/v1/supply?hhi_threshold=12000'; err
  400
  bad_parameter hhi_threshold: hhi_threshold: expected a number from 0 to 10000

  $ api GET '/api/v1/supply?eu=maybe'; err
  400
  bad_parameter eu: eu: expected true or false


# Where Korea's dysprosium comes from: no trade flows are bundled, so the reported facts (China's
# share of Korea's NdFeB magnet imports, from KITA via BusinessKorea) and world production shares,
# labelled as a proxy.
  $ api GET /api/v1/imports/Dy; jq -r '.evidence, (.years | length), (.facts[] | "\(.year) \(.partner) \(.share_pct)% \(.description)"), .proxy.warning, "\(.proxy.top_producer) \(.proxy.top_share_pct | floor)%"' body.json
  200
  reported facts
  0
  2023 China 84.7% Neodymium permanent magnets
  2023 Philippines 14.3% Neodymium permanent magnets
  2022 China 87.5% Neodymium permanent magnets
  2022 Philippines 11% Neodymium permanent magnets
  PROXY, not a measurement of Korea's imports: world production shares
  China 69%

  $ api GET '/api/v1/imports/dysprosium?reporter=KR'; jq -r .reporter body.json
  200
  KOR

  $ api GET '/api/v1/imports/Dy?reporter=Atlantis'; err
  404
  not_found reporter: reporter: expected a known country (ISO 3166 code or name, or an alias in data/country_aliases.csv), got "Atlantis"

  $ api GET '/api/v1/imports/Dy?form=powder'; err
  400
  bad_parameter form: form: expected one of ore, compound, metal, scrap, semi, all

  $ api GET /api/v1/dependence; jq -r 'length, (.[0] | keys_unsorted | join(","))' body.json
  200
  35
  type,name,basis,year,nir_pct,hhi,top_partner,top_pct,china_pct,weak_governance_pct,note

  $ rmct dependence --format json > cli.json; api GET /api/v1/dependence > /dev/null; cmp <(jq -S . body.json) <(jq -S . cli.json) && echo same as the CLI
  same as the CLI

  $ api GET '/api/v1/dependence?look_through=true'; jq -r '.[0] | has("china_lookthrough_pct")' body.json
  200
  true


# The criticality assessment: ranked, with intervals when asked; one metal's whole calculation.
  $ api GET /api/v1/assessment; jq -r '"\(.method.id) v\(.method.version) assessed \(.assessed) of \(.of), critical types \(.critical_types)", (.metals[0] | "\(.rank) \(.code) \(.critical)"), (.metals[0] | has("p_critical"))' body.json
  200
  eu2017-kr v1 assessed 33 of 35, critical types 28
  1 REE true
  false

  $ api GET '/api/v1/assessment?samples=200&seed=7'; jq -r '.samples, (.metals[0] | has("p_critical"))' body.json
  200
  200
  true

  $ api GET '/api/v1/assessment?samples=200&seed=7' > /dev/null; jq -c '.metals[:3] | map([.code, .p_critical])' body.json > a1; api GET '/api/v1/assessment?seed=7&samples=200' > /dev/null; jq -c '.metals[:3] | map([.code, .p_critical])' body.json > a2; cmp a1 a2 && echo same seed, same numbers
  same seed, same numbers

  $ api GET '/api/v1/assessment?samples=100000'; err
  400
  bad_parameter samples: samples: expected a whole number from 0 to 2000

  $ api GET '/api/v1/assessment?stage=mine'; err
  400
  bad_parameter stage: stage: expected one of max, extraction, processing

  $ api GET '/api/v1/assessment/Dy?samples=100'; jq -r '.code, .type, (.stages | map(.stage) | join(" ")), (.intervals.samples), (.sensitivity | length > 0)' body.json
  200
  Dy
  REE
  extraction processing
  100
  true

  $ api GET /api/v1/assessment/Fe; err
  404
  not_found -: Iron is not one of Korea's rare metals


# The event register, filtered as 'rmct events' is.
  $ api GET '/api/v1/events?metal=Dy&country=CHN'; jq -r 'length > 0, (.[0] | "\(.country) \(.source.dataset)")' body.json
  200
  true
  CHN export-controls

  $ rmct events --metal Dy --country CHN --format json > cli.json; cmp <(jq -S . body.json) <(jq -S . cli.json) && echo same as the CLI
  same as the CLI

  $ api GET '/api/v1/events?type=embargo'; err
  400
  bad_parameter type: type: expected one of quota, tax, ban, licensing, technology_ban, suspension, conflict_disruption, other

  $ api GET '/api/v1/events?since=2025-13'; err
  400
  bad_parameter since: since: expected a date YYYY, YYYY-MM or YYYY-MM-DD, got "2025-13"


# Chains, hazards and scenarios; the central run of the issue's scenario.
  $ api GET /api/v1/chains; jq -r 'map(.chain) | join(" ")' body.json; rmct chain list --format json > cli.json; cmp <(jq -S . body.json) <(jq -S . cli.json) && echo same as the CLI
  200
  battery minor-metals ree-magnets refractory-targets
  same as the CLI

  $ api GET /api/v1/chains/ree-magnets; jq -r '.chain, (.nodes | length > 0), (.parameters[0] | keys_unsorted | join(","))' body.json
  200
  ree-magnets
  true
  node,field,value,unit,basis_kind,basis

  $ api GET /api/v1/chains/nope; err
  404
  not_found -: no chain named "nope" in data/chains (see 'rmct chain list')

  $ api GET /api/v1/chains/.secret; err
  404
  not_found -: no such chain

  $ api GET /api/v1/hazards; jq -r '(.hazards | length > 0), (.hazards[0] | keys_unsorted | join(","))' body.json
  200
  true
  country,metal,p_year,depth_low,depth_mode,depth_high,duration_median_months,duration_sdlog,register_restrictions,wgi,basis

  $ api GET '/api/v1/hazards?chains=ree-magnets'; jq -r '[.hazards[].metal] | unique | join(" ")' body.json
  200
  REE magnet

  $ api GET '/api/v1/hazards?chains=no-such'; err
  404
  not_found chains: chains: no chain named "no-such" in data/chains (see 'rmct chain list')

  $ api GET '/api/v1/hazards?chains=a;b'; err
  400
  bad_parameter chains: chains: expected chain names separated by commas

  $ api GET /api/v1/scenarios; jq -r 'length, (map(.scenario) | index("ree-china-halves-6m") != null)' body.json
  200
  10
  true

  $ api GET /api/v1/scenarios/ree-china-halves-6m; jq -r '.name, .start, .months, (.events | length), (.events[0] | "\(.kind) \(.country) depth \(.depth.value) for \(.duration_months.value) months, assumption \(.assumption)")' body.json
  200
  ree-china-halves-6m
  2026-01
  24
  1
  export_restriction CHN depth 0.5 for 6 months, assumption true

  $ api GET /api/v1/scenarios/ree-china-halves-6m/central; jq -r '.run, (.months | length), (.by_metal[] | "\(.metal) short \(.months) month(s) from \(.first)"), (.by_sector[] | "\(.sector) \(.pct | . * 10 | round / 10)% of output lost")' body.json
  200
  one run at the central values
  24
  Nd short 1 month(s) from 2026-05
  Pr short 1 month(s) from 2026-05
  Dy short 1 month(s) from 2026-05
  Tb short 1 month(s) from 2026-05
  wind 3.4% of output lost
  EV 2.2% of output lost

  $ api GET '/api/v1/scenarios/ree-china-halves-6m/central?flows=true'; jq -r '(.flows | length) == ((.months | length) * ([.flows[].node] | unique | length))' body.json
  200
  true

  $ api GET /api/v1/scenarios/..%2Fchains%2Fbattery/central; err
  404
  not_found -: no such endpoint: /api/v1/scenarios/../chains/battery/central

  $ api GET /api/v1/scenarios/no-such; err
  404
  not_found -: no scenario "no-such" (GET /api/v1/scenarios lists them)


# Parameters are checked: unknown, repeated, too long, not UTF-8; path segments too.
  $ api GET '/api/v1/supply?colour=red'; err
  400
  bad_parameter colour: colour: not a parameter of this endpoint (expected: year,stage,edition,eu,hhi_threshold,share_threshold)

  $ api GET '/api/v1/supply?year=2024&year=2025'; err
  400
  bad_parameter year: year: given more than once

  $ api GET "/api/v1/events?metal=$(head -c 300 /dev/zero | tr '\0' x)"; err
  400
  bad_parameter metal: metal: expected at most 256 characters of UTF-8

  $ api GET '/api/v1/events?metal=%ff%fe'; err
  400
  bad_parameter metal: metal: expected at most 256 characters of UTF-8

  $ api GET '/api/v1/metals/%ff'; err
  400
  bad_parameter -: a path segment is not valid text

  $ api GET /api/v1/nothing-here; err
  404
  not_found -: no such endpoint: /api/v1/nothing-here

  $ api DELETE /api/v1/supply; err; header Allow
  405
  method_not_allowed -: DELETE is not allowed here (allowed: GET)
  GET

  $ api POST /api/v1/metals '{}'; err
  405
  method_not_allowed -: POST is not allowed here (allowed: GET)

  $ api GET /api/v1/supply -H 'Content-Type: application/json' --data-binary '{}' -X GET; err
  400
  unexpected_body -: this endpoint takes no body


# Every answer is JSON with security headers; the API is never cached.
  $ api GET /api/v1/supply > /dev/null; header Content-Type; header Cache-Control; header X-Content-Type-Options; header X-Frame-Options
  application/json
  no-store
  nosniff
  DENY


# Public answers are cached until an import changes the data (X-Cache says which); stockpile and
# user answers never are.
  $ api GET /api/v1/sources > /dev/null; api GET /api/v1/sources; header X-Cache; jq length body.json > before
  200
  hit

  $ rmct import generic fixtures/generic/good.csv > /dev/null && api GET /api/v1/sources; header X-Cache; echo "$(( $(jq length body.json) - $(cat before) )) more source after the import"
  200
  miss
  1 more source after the import

  $ api GET /api/v1/sources > /dev/null; header X-Cache; api GET /healthz > /dev/null; header X-Cache | wc -c
  hit
  0


# Static files: content types, caching headers, conditional requests; no path leaves the web
# directory (dot segments, encoded or not, hidden files, symlink escapes) and only GET/HEAD read them.
  $ api GET /; header Content-Type; header Cache-Control; grep -c 'test page' body.json
  200
  text/html; charset=utf-8
  no-cache
  1

  $ api GET /assets/app.js; header Content-Type; header Cache-Control
  200
  text/javascript; charset=utf-8
  public, max-age=3600

  $ api GET /assets/style.css; header Content-Type
  200
  text/css; charset=utf-8

  $ api GET /assets/app.js > /dev/null; etag=$(header ETag); api GET /assets/app.js -H "If-None-Match: $etag"
  304

  $ api HEAD /index.html -I
  200

  $ api GET /../web-secret.txt --path-as-is; err
  404
  not_found -: no such file

  $ api GET /assets/../../web-secret.txt --path-as-is; err
  404
  not_found -: no such file

  $ api GET /%2e%2e/web-secret.txt --path-as-is; err
  404
  not_found -: no such file

  $ api GET /assets/%2e%2e%2f%2e%2e%2fweb-secret.txt --path-as-is; err
  404
  not_found -: no such file

  $ api GET /.hidden; err
  404
  not_found -: no such file

  $ api GET /nothing.html; err
  404
  not_found -: no such file

  $ api POST /index.html '{}'; err
  405
  method_not_allowed -: static files are read with GET


  $ stop_server
  server stopped cleanly

