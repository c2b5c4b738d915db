-- bench/serve/mix.lua: the requests of the load test, in turn: what the dashboard's public pages
-- ask for (health, the supply overview, one metal's page, its imports, the dependence ranking, the
-- event register filtered, the scenario list and the central run of the issue's scenario).
local paths = {
  "/healthz",
  "/api/v1/supply",
  "/api/v1/metals/Dy",
  "/api/v1/imports/Dy",
  "/api/v1/dependence",
  "/api/v1/events?metal=Dy",
  "/api/v1/scenarios",
  "/api/v1/scenarios/ree-china-halves-6m/central",
}
local i = 0
request = function()
  i = i % #paths + 1
  return wrk.format("GET", paths[i])
end

local bad = 0
response = function(status, headers, body)
  if status ~= 200 then bad = bad + 1 end
end

done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("RESULT requests=%d seconds=%.2f rps=%.1f p50_ms=%.3f p90_ms=%.3f p99_ms=%.3f max_ms=%.3f " ..
                         "non200=%d connect_err=%d read_err=%d write_err=%d timeout_err=%d status_err=%d\n",
                         summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
                         latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000,
                         latency.max / 1000, bad, e.connect, e.read, e.write, e.timeout, e.status))
end
