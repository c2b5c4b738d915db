# Users, roles, sessions, CSRF, API tokens, limits and the audit log of the HTTP server (docs/API.md,
# "Security"). Every security rule of the issue is a test here: a viewer cannot write, a bad or
# missing CSRF token is refused, passwords are stored as Argon2id hashes, every write is in the
# audit log with its user, bodies are size-limited, clients are rate-limited, idle connections time out.

# Users are added from the command line; the password comes from $RMCT_PASSWORD or standard input.
  $ RMCT_ACTOR=setup RMCT_PASSWORD=viewer-pass-1 rmct user add vera --role viewer
  user vera added with the role viewer

  $ RMCT_ACTOR=setup RMCT_PASSWORD=analyst-pass-1 rmct user add ann --role analyst
  user ann added with the role analyst

  $ echo keeper-pass-1 | RMCT_ACTOR=setup rmct user add kim --role stock-keeper
  user kim added with the role stock-keeper

  $ RMCT_ACTOR=setup RMCT_PASSWORD=admin-pass-01 rmct user add root --role admin
  user root added with the role admin

  $ RMCT_PASSWORD=whatever-pass rmct user add eve --role superuser
  rmct user: expected a role: company, viewer, analyst, stock-keeper or admin, got "superuser" (see 'rmct user --help')
  [2]

  $ RMCT_PASSWORD=short rmct user add eve --role viewer
  rmct: password: expected a password of 10 to 256 characters, got 5
  [2]

  $ RMCT_PASSWORD=whatever-pass rmct user add 'eve smith' --role viewer
  rmct: name: expected a user name of 1 to 64 letters, digits, '.', '_' or '-', got eve smith
  [2]

  $ RMCT_PASSWORD=whatever-pass rmct user add VERA --role viewer
  rmct: name: a user named VERA already exists
  [1]

  $ RMCT_ACTOR=setup rmct user add gen --role viewer --generate-password | sed 's/password: [A-Za-z0-9]\{20\}$/password: (20 random characters)/'
  user gen added with the role viewer
  password: (20 random characters)

  $ rmct user list --format csv | cut -d, -f1-3
  name,role,disabled
  ann,analyst,false
  gen,viewer,false
  kim,stock-keeper,false
  root,admin,false
  vera,viewer,false

  $ sqlite3 rmct.db "SELECT name, substr(password_hash, 1, 10) FROM app_user ORDER BY name"
  ann|$argon2id$
  gen|$argon2id$
  kim|$argon2id$
  root|$argon2id$
  vera|$argon2id$

  $ sqlite3 rmct.db "SELECT count(*) FROM app_user WHERE password_hash LIKE '%pass-1%'"
  0

  $ start_server --web fixtures/web --rate 0 --login-rate 0
  server up


# Logging in: a session cookie (HttpOnly, SameSite=Strict, Path=/) and the session's CSRF token.
  $ login vera viewer-pass-1; header Set-Cookie | sed 's/rmct_session=[0-9a-f]\{64\}/rmct_session=(64 hex)/'; jq -r '.user.name, .user.role, (.csrf_token | length)' body.json
  200
  rmct_session=(64 hex); Path=/; Max-Age=43200; HttpOnly; SameSite=Strict
  vera
  viewer
  64

  $ login ann analyst-pass-1; login kim keeper-pass-1; login root admin-pass-01
  200
  200
  200

  $ login vera wrong-password; err
  401
  bad_credentials -: unknown user or wrong password

  $ login nobody viewer-pass-1; err
  401
  bad_credentials -: unknown user or wrong password

  $ api POST /api/v1/session '{"username":"vera"}'; err
  400
  missing_parameter password: password: expected a string

  $ api POST /api/v1/session '{"username":"vera","password":"viewer-pass-1","remember":true}'; err
  400
  bad_parameter remember: remember: not a field of this request (expected: username,password)

  $ api POST /api/v1/session '{"username":"vera","password":' ; err
  400
  bad_json -: the body is not valid JSON: unexpected token near end of file

  $ api POST /api/v1/session '["vera"]'; err
  400
  bad_json -: expected a JSON object as the body

  $ api POST /api/v1/session --data-binary '{"username":"vera","password":"viewer-pass-1"}' -H 'Content-Type: text/plain'; err
  415
  unsupported_media_type -: expected a JSON body (Content-Type: application/json)

  $ api POST /api/v1/session -d 'username=vera&password=viewer-pass-1'; err
  415
  unsupported_media_type -: expected a JSON body (Content-Type: application/json)

  $ as vera GET /api/v1/session; jq -r '.user.name, .auth, (.csrf_token == "'"$(cat csrf.vera)"'")' body.json
  200
  vera
  session
  true

  $ api GET /api/v1/session; err
  401
  unauthenticated -: log in (POST /api/v1/session) or send an API token


# Reading: the public data needs nobody; the stockpile needs a user.
  $ api GET /api/v1/stock/lots; err
  401
  unauthenticated -: log in (POST /api/v1/session) or send an API token

  $ as vera GET /api/v1/stock/lots; jq -r .lots body.json
  200
  0


# Writing needs the role the route table names: a viewer cannot write, an analyst cannot write the
# ledger, a stock-keeper can; only an admin manages users.
  $ as vera POST /api/v1/stock/warehouses '{"code":"W1","name":"Gunsan"}'; err
  403
  forbidden -: this needs the stock-keeper role or above; vera is viewer

  $ as ann POST /api/v1/stock/warehouses '{"code":"W1","name":"Gunsan"}'; err
  403
  forbidden -: this needs the stock-keeper role or above; ann is analyst

  $ as vera POST /api/v1/scenarios/runs '{"scenario":"baseline","runs":10}'; err
  403
  forbidden -: this needs the analyst role or above; vera is viewer

  $ as kim POST /api/v1/stock/warehouses '{"code":"W1","name":"Gunsan"}'; jq -r '.code, .recorded_by' body.json
  201
  W1
  kim

  $ as kim GET /api/v1/users; err
  403
  forbidden -: this needs the admin role or above; kim is stock-keeper

  $ as root GET /api/v1/users; jq -r 'map("\(.name):\(.role)") | join(" ")' body.json
  200
  ann:analyst gen:viewer kim:stock-keeper root:admin vera:viewer

  $ api POST /api/v1/stock/warehouses '{"code":"W2","name":"x"}'; err
  401
  unauthenticated -: log in (POST /api/v1/session) or send an API token


# CSRF: with a session cookie, a state-changing request must send the session's token back in
# X-CSRF-Token; none, a wrong one or another session's is refused. A cross-site Origin is refused too.
  $ api POST /api/v1/stock/warehouses '{"code":"W2","name":"Incheon"}' -b jar.kim; err
  403
  csrf -: missing or wrong X-CSRF-Token header (GET /api/v1/session gives the session's token)

  $ api POST /api/v1/stock/warehouses '{"code":"W2","name":"Incheon"}' -b jar.kim -H 'X-CSRF-Token: 0000000000000000000000000000000000000000000000000000000000000000'; err
  403
  csrf -: missing or wrong X-CSRF-Token header (GET /api/v1/session gives the session's token)

  $ api POST /api/v1/stock/warehouses '{"code":"W2","name":"Incheon"}' -b jar.kim -H "X-CSRF-Token: $(cat csrf.vera)"; err
  403
  csrf -: missing or wrong X-CSRF-Token header (GET /api/v1/session gives the session's token)

  $ as kim POST /api/v1/stock/warehouses '{"code":"W2","name":"Incheon"}' -H 'Origin: https://evil.example'; err
  403
  bad_origin -: a request from another site (Origin https://evil.example) is refused

  $ as kim POST /api/v1/stock/warehouses '{"code":"W2","name":"Incheon"}' -H "Origin: $(cat url)"; jq -r .code body.json
  201
  W2

  $ as kim GET /api/v1/stock/warehouses -H 'X-CSRF-Token: wrong'; jq -r 'map(.code) | join(" ")' body.json
  200
  W1 W2


# API tokens for scripts: shown once, stored hashed, sent as a Bearer token (no cookie, so no CSRF);
# revoked tokens and malformed or unknown ones are refused.
  $ as vera POST /api/v1/tokens '{"name":"nightly export"}'; jq -r '.name, .user, (.token | test("^rmct_[0-9a-f]{64}$"))' body.json; jq -r .token body.json > token.vera; jq -r .id body.json > token.vera.id
  201
  nightly export
  vera
  true

  $ as kim POST /api/v1/tokens '{"name":"ledger script"}' > /dev/null; jq -r .token body.json > token.kim; jq -r .id body.json > token.kim.id

  $ sqlite3 rmct.db "SELECT count(*) FROM api_token WHERE token_sha256 = '$(cat token.vera)'"; sqlite3 rmct.db "SELECT count(*) FROM api_token WHERE token_sha256 = '$(printf %s "$(cat token.vera)" | sha256sum | cut -c1-64)'"
  0
  1

  $ as vera GET /api/v1/tokens; jq -r 'map("\(.name) \(.prefix | length) \(has("token"))") | .[]' body.json
  200
  nightly export 11 false

  $ bearer token.vera GET /api/v1/session; jq -r '.user.name, .auth' body.json
  200
  vera
  token

  $ bearer token.vera GET /api/v1/stock/lots; jq -r .lots body.json
  200
  0

  $ bearer token.vera POST /api/v1/stock/warehouses '{"code":"W3","name":"x"}'; err
  403
  forbidden -: this needs the stock-keeper role or above; vera is viewer

  $ bearer token.kim POST /api/v1/stock/warehouses '{"code":"W3","name":"Pyeongtaek"}'; jq -r .recorded_by body.json
  201
  kim

  $ api GET /api/v1/session -H 'Authorization: Bearer rmct_0000000000000000000000000000000000000000000000000000000000000000'; err
  401
  invalid_token -: the API token is unknown or revoked

  $ api GET /api/v1/supply -H 'Authorization: Basic dmVyYTp4'; err
  401
  unauthenticated -: Authorization: expected 'Bearer TOKEN'

  $ as kim DELETE /api/v1/tokens/$(cat token.vera.id); err
  404
  not_found -: no token 1

  $ as vera DELETE /api/v1/tokens/$(cat token.vera.id); jq -c . body.json
  200
  {"id":1,"revoked":true}

  $ bearer token.vera GET /api/v1/session; err
  401
  invalid_token -: the API token is unknown or revoked

  $ as vera DELETE /api/v1/tokens/abc; err
  400
  bad_parameter id: id: expected a token number

  $ as vera POST /api/v1/tokens '{"name":""}'; err
  400
  bad_parameter name: name: expected a string of 1 to 64 characters


# Admin: users and roles over the API.
  $ as root POST /api/v1/users '{"name":"lee","role":"analyst","password":"lee-pass-0001"}'; jq -r '.name, .role, .created_by' body.json; header Location
  201
  lee
  analyst
  root
  /api/v1/users/lee

  $ as root POST /api/v1/users '{"name":"LEE","role":"viewer","password":"lee-pass-0001"}'; err
  409
  conflict name: name: a user named LEE already exists

  $ as root POST /api/v1/users '{"name":"sam","role":"owner","password":"sam-pass-0001"}'; err
  400
  bad_parameter role: role: expected one of company, viewer, analyst, stock-keeper or admin

  $ as root POST /api/v1/users '{"name":"sam","role":"viewer","password":"short"}'; err
  400
  bad_parameter password: password: expected a password of 10 to 256 characters, got 5

  $ as root POST /api/v1/users '{"name":"s/m","role":"viewer","password":"sam-pass-0001"}'; err
  400
  bad_parameter name: name: expected a user name of 1 to 64 letters, digits, '.', '_' or '-', got s/m

  $ as root POST /api/v1/users '{"name":"sam","role":"viewer"}'; err
  400
  missing_parameter password: password: required

  $ as root GET /api/v1/users/lee; jq -r .role body.json
  200
  analyst

  $ as root GET /api/v1/users/nobody; err
  404
  not_found -: no user named nobody

  $ as root PATCH /api/v1/users/lee '{"role":"viewer"}'; jq -r .role body.json
  200
  viewer

  $ as root PATCH /api/v1/users/lee '{"shoe_size":44}'; err
  400
  bad_parameter shoe_size: shoe_size: not a field of this request (expected: role,company,password,disabled)

  $ as root PATCH /api/v1/users/root '{"disabled":true}'; err
  409
  conflict -: an admin cannot disable or demote themself (ask another admin)

  $ as root PATCH /api/v1/users/root '{"role":"viewer"}'; err
  409
  conflict -: an admin cannot disable or demote themself (ask another admin)

  $ as ann POST /api/v1/users '{"name":"sam","role":"admin","password":"sam-pass-0001"}'; err
  403
  forbidden -: this needs the admin role or above; ann is analyst


# A disabled user's sessions end and its tokens stop working; enabled again, it logs in again.
  $ login lee lee-pass-0001; as lee POST /api/v1/tokens '{"name":"t"}' > /dev/null; jq -r .token body.json > token.lee
  200

  $ as root PATCH /api/v1/users/lee '{"disabled":true}'; jq -r .disabled body.json
  200
  true

  $ as lee GET /api/v1/session; err
  401
  unauthenticated -: log in (POST /api/v1/session) or send an API token

  $ bearer token.lee GET /api/v1/session; err
  401
  invalid_token -: the API token is unknown or revoked

  $ login lee lee-pass-0001; err
  401
  bad_credentials -: unknown user or wrong password

  $ as root PATCH /api/v1/users/lee '{"disabled":false}' > /dev/null; login lee lee-pass-0001; bearer token.lee GET /api/v1/session
  200
  200


# Changing one's password checks the current one and ends the user's sessions.
  $ as ann POST /api/v1/session/password '{"current_password":"nope-nope-nope","new_password":"analyst-pass-2"}'; err
  403
  bad_credentials current_password: current_password: wrong password

  $ as ann POST /api/v1/session/password '{"current_password":"analyst-pass-1","new_password":"tiny"}'; err
  400
  bad_parameter new_password: new_password: expected a password of 10 to 256 characters, got 4

  $ as ann POST /api/v1/session/password '{"current_password":"analyst-pass-1","new_password":"analyst-pass-2"}'; jq -r .changed body.json
  200
  true

  $ as ann GET /api/v1/session; err
  401
  unauthenticated -: log in (POST /api/v1/session) or send an API token

  $ login ann analyst-pass-1; err
  401
  bad_credentials -: unknown user or wrong password

  $ login ann analyst-pass-2
  200


# Logging out ends the session and clears the cookie.
  $ login vera viewer-pass-1 > /dev/null; as vera DELETE /api/v1/session; header Set-Cookie
  200
  rmct_session=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict

  $ as vera GET /api/v1/session; err
  401
  unauthenticated -: log in (POST /api/v1/session) or send an API token


# Bodies are limited (1 MiB by default: 413, whether the size is announced or streamed).
  $ head -c 2000000 /dev/zero | tr '\0' ' ' > big.json; as kim POST /api/v1/stock/warehouses @big.json; err
  413
  body_too_large -: the body is larger than 1048576 bytes

  $ as kim POST /api/v1/stock/warehouses -H 'Content-Type: application/json' -H 'Transfer-Encoding: chunked' --data-binary @big.json; err
  413
  body_too_large -: the body is larger than 1048576 bytes


# The audit log: every write through the server with its user, status and client; failed logins as
# "anonymous" with the name tried; passwords never recorded. Only an admin reads it.
  $ as root GET '/api/v1/audit?limit=500'; jq -r '.[] | select(.action | test("warehouses|users|session$")) | "\(.actor) \(.action) \(.target) \(.status)"' body.json | sort | uniq -c | sed 's/^ *//'
  200
  2 ann POST /api/v1/session ann 200
  2 anonymous POST /api/v1/session  400
  1 anonymous POST /api/v1/session ann 401
  1 anonymous POST /api/v1/session lee 401
  1 anonymous POST /api/v1/session nobody 401
  1 anonymous POST /api/v1/session vera 401
  1 kim POST /api/v1/session kim 200
  1 kim POST /api/v1/stock/warehouses W1 201
  1 kim POST /api/v1/stock/warehouses W2 201
  1 kim POST /api/v1/stock/warehouses W3 201
  2 lee POST /api/v1/session lee 200
  3 root PATCH /api/v1/users/{name} lee 200
  1 root PATCH /api/v1/users/{name} lee 400
  2 root PATCH /api/v1/users/{name} root 409
  1 root POST /api/v1/session root 200
  2 root POST /api/v1/users  400
  1 root POST /api/v1/users LEE 409
  1 root POST /api/v1/users lee 201
  1 root POST /api/v1/users s/m 400
  1 root POST /api/v1/users sam 400
  1 vera DELETE /api/v1/session  200
  2 vera POST /api/v1/session vera 200

  $ as root GET '/api/v1/audit?limit=500'; jq -r '[.[] | .detail | tostring | select(test("pass-"))] | length' body.json
  200
  0

  $ sqlite3 rmct.db "SELECT actor, action, target FROM audit_log WHERE client = 'cli' ORDER BY id"
  setup|user add|vera
  setup|user add|ann
  setup|user add|kim
  setup|user add|root
  setup|user add|gen

  $ as kim GET /api/v1/audit; err
  403
  forbidden -: this needs the admin role or above; kim is stock-keeper

  $ as root GET '/api/v1/audit?limit=0'; err
  400
  bad_parameter limit: limit: expected a whole number from 1 to 1000

  $ sqlite3 rmct.db "DELETE FROM audit_log" 2>&1; sqlite3 rmct.db "UPDATE audit_log SET actor = 'x'" 2>&1
  Error: stepping, audit log: rows cannot be deleted (19)
  Error: stepping, audit log: rows cannot be changed (19)
  [19]

  $ stop_server
  server stopped cleanly


# Rate limits: a token bucket per client address (here 1 request/s, burst 3): the fourth request
# in a row gets 429 with Retry-After, as JSON. Logins have their own, stricter bucket.
  $ start_server --rate 1 --burst 3
  server up

  $ for i in 1 2 3 4; do api GET /healthz; done; err; header Retry-After
  200
  200
  200
  429
  rate_limited -: too many requests from 127.0.0.1; retry in 1 s
  1

  $ sleep 1.2; api GET /healthz
  200

  $ stop_server
  server stopped cleanly

  $ start_server --rate 0
  server up

  $ for i in $(seq 1 14); do api POST /api/v1/session '{"username":"vera","password":"wrong-password"}'; done | sort | uniq | tr '\n' ' '; echo
  401 429 

  $ stop_server
  server stopped cleanly


# An idle or slow client is cut off after --timeout seconds.
  $ start_server --timeout 1
  server up

  $ exec 3<>/dev/tcp/127.0.0.1/$(sed 's/.*://' url); printf 'GET /healthz HTTP/1.1\r\n' >&3; start=$(date +%s); timeout 10 cat <&3; echo "closed after $(( $(date +%s) - start < 5 ? 1 : 0 )) (1: within 5 s)"
  closed after 1 (1: within 5 s)

  $ stop_server
  server stopped cleanly

