-- wrk script for bench/run and bench/load: counts non-2xx responses in every thread,
-- optionally rotates through WRK_PATHS (one path a line) and stops each thread after
-- WRK_MAX_PER_THREAD requests, then prints one JSON line for the caller to parse.

local threads = {}
local paths = {}
for line in (os.getenv("WRK_PATHS") or ""):gmatch("[^\n]+") do
  table.insert(paths, line)
end
local max_per_thread = tonumber(os.getenv("WRK_MAX_PER_THREAD") or "0") or 0

function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end

function init(args)
  non2xx = 0
  responses = 0
  next_path = id or 0
  per_thread = max_per_thread
end

if #paths > 0 then
  function request()
    next_path = next_path % #paths + 1
    return wrk.format(nil, paths[next_path])
  end
end

function response(status, headers, body)
  responses = responses + 1
  if status < 200 or status > 299 then
    non2xx = non2xx + 1
  end
  if per_thread > 0 and responses >= per_thread then
    wrk.thread:stop()
  end
end

function done(summary, latency, requests)
  local non2xx_total = 0
  for _, thread in ipairs(threads) do
    non2xx_total = non2xx_total + thread:get("non2xx")
  end
  local e = summary.errors
  io.write(string.format(
    'WRK_JSON {"requests": %d, "duration_us": %d, "p50_us": %d, "p95_us": %d, ' ..
    '"non_2xx": %d, "connect": %d, "read": %d, "write": %d, "timeout": %d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(95),
    non2xx_total, e.connect, e.read, e.write, e.timeout))
end
