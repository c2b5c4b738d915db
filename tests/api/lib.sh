# tests/api/lib.sh: helpers for the API tests (tests/api/*.t, see tests/api/README.md), sourced
# before every command of those files. Everything they keep lives in the test's directory: the
# server's URL (url), its process id and exit status (server.pid, server.status), its log
# (server.err), cookie jars (jar.USER), CSRF tokens (csrf.USER), API tokens (token.USER) and the
# last answer (body.json, headers.txt).

# start_server [ARGS...]: 'rmct serve' on a free loopback port (the kernel picks it), on ./rmct.db,
# in the background, at most 300 s (timeout), with the given extra options.
start_server() {
  rm -f url server.pid server.status server.out server.err
  ( timeout -s TERM 300 rmct serve --listen 127.0.0.1:0 --quiet "$@" > server.out 2> server.err < /dev/null &
    echo $! > server.pid; wait $!; echo $? > server.status ) > /dev/null 2>&1 < /dev/null &
  for _ in $(seq 1 200); do
    if grep -q '^RMCT is serving' server.out 2> /dev/null; then
      sed -n 's/^RMCT is serving .* at \(http:[^ ]*\)$/\1/p' server.out | sed 's:/$::' > url
      echo "server up"
      return 0
    fi
    [ -s server.status ] && break
    sleep 0.05
  done
  echo "server did not start:"; cat server.err
  return 1
}

# stop_server: SIGTERM, wait for the exit, and say whether it was clean (status 0, no sanitizer report).
stop_server() {
  [ -s server.pid ] || { echo "no server"; return 1; }
  kill -TERM "$(cat server.pid)" 2> /dev/null
  for _ in $(seq 1 400); do [ -s server.status ] && break; sleep 0.05; done
  if [ "$(cat server.status 2> /dev/null)" = 0 ] && ! grep -qE 'Sanitizer|runtime error' server.err; then
    echo "server stopped cleanly"
  else
    echo "server exit status $(cat server.status 2> /dev/null):"; cat server.err
    return 1
  fi
}

# api METHOD PATH [JSON-BODY] [CURL-ARGS...]: one request; prints the status code. The body is in
# body.json, the headers in headers.txt.
api() {
  local m=$1 p=$2 body=
  shift 2
  if [ $# -gt 0 ] && [ "${1#-}" = "$1" ]; then body=$1; shift; fi
  if [ -n "$body" ]; then
    curl -sS -o body.json -D headers.txt -w '%{http_code}\n' -X "$m" -H 'Content-Type: application/json' \
      --data-binary "$body" "$@" "$(cat url)$p"
  else
    curl -sS -o body.json -D headers.txt -w '%{http_code}\n' -X "$m" "$@" "$(cat url)$p"
  fi
}

# login USER PASSWORD: a session for USER (cookie jar jar.USER, CSRF token csrf.USER; a failed
# login leaves them as they were); prints the status.
login() {
  local st
  rm -f jar.new
  st=$(api POST /api/v1/session "{\"username\":\"$1\",\"password\":\"$2\"}" -c jar.new)
  echo "$st"
  if [ "$st" = 200 ]; then mv jar.new "jar.$1"; jq -r .csrf_token body.json > "csrf.$1"; fi
}

# as USER METHOD PATH [JSON-BODY] [CURL-ARGS...]: a request with USER's session cookie and CSRF token.
as() {
  local u=$1
  shift
  local m=$1 p=$2
  shift 2
  if [ $# -gt 0 ] && [ "${1#-}" = "$1" ]; then
    local b=$1
    shift
    api "$m" "$p" "$b" -b "jar.$u" -c "jar.$u" -H "X-CSRF-Token: $(cat "csrf.$u")" "$@"
  else
    api "$m" "$p" -b "jar.$u" -c "jar.$u" -H "X-CSRF-Token: $(cat "csrf.$u")" "$@"
  fi
}

# bearer TOKEN-FILE METHOD PATH [JSON-BODY] [CURL-ARGS...]: a request with an API token.
bearer() {
  local f=$1
  shift
  local m=$1 p=$2
  shift 2
  if [ $# -gt 0 ] && [ "${1#-}" = "$1" ]; then
    local b=$1
    shift
    api "$m" "$p" "$b" -H "Authorization: Bearer $(cat "$f")" "$@"
  else
    api "$m" "$p" -H "Authorization: Bearer $(cat "$f")" "$@"
  fi
}

# err: the error of the last answer as "code parameter: message" (parameter "-" when none).
err() { jq -r '.error | "\(.code) \(.parameter // "-"): \(.message)"' body.json; }

# header NAME: a header of the last answer (case-insensitive name), without the CR.
header() { grep -i "^$1:" headers.txt | head -n1 | cut -d' ' -f2- | tr -d '\r'; }

# wait_job PATH [USER]: poll a background job until it is no longer queued or running; prints its status.
wait_job() {
  local s
  for _ in $(seq 1 600); do
    if [ -n "${2:-}" ]; then as "$2" GET "$1" > /dev/null; else api GET "$1" > /dev/null; fi
    s=$(jq -r .status body.json)
    case "$s" in queued|running) sleep 0.1 ;; *) echo "$s"; return 0 ;; esac
  done
  echo "still $s"
}
