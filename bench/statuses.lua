-- wrk script: runs the endpoint script named by WRK_SCRIPT (bench/permit.lua, bench/lease.lua)
-- and counts the answers by status, printed at the end as "status 200: n" lines (wrk itself only
-- says how many were not 2xx or 3xx, so a 429 and a 500 look alike).
dofile(os.getenv("WRK_SCRIPT"))
local threads = {}
function setup(thread)
  table.insert(threads, thread)
end
statuses = {}
function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end
function done(summary, latency, requests)
  local total = {}
  for _, thread in ipairs(threads) do
    -- thread:get copies the table across Lua states: read each count from it
    local counts = thread:get("statuses")
    for status, n in pairs(counts) do
      total[status] = (total[status] or 0) + n
    end
  end
  for status, n in pairs(total) do
    io.write(string.format("status %d: %d\n", status, n))
  end
end
