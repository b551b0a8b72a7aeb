-- wrk script: GET /api/v1/epcis/events?MATCH_anyEPCClass={lot URI} for lots
-- spread over 1..N, where N is the environment variable LOTS and the GTIN is
-- TRACE_GTIN14 (as bench/trace_lot.lua, run_wrk places extra arguments
-- before the URL, so wrk's script arguments cannot be used).
local lots = tonumber(os.getenv("LOTS") or "1000")
local gtin14 = os.getenv("TRACE_GTIN14") or "08935012000002"

function setup(thread)
  thread:set("seed", math.random(1, 1000000))
end

function init(args)
  math.randomseed(seed or os.time())
end

function request()
  return wrk.format("GET", "/api/v1/epcis/events?MATCH_anyEPCClass=https%3A%2F%2Ftruyxuat.example.vn%2F01%2F" ..
    gtin14 .. "%2F10%2FL" .. math.random(1, lots))
end
