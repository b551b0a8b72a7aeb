-- wrk script: GET /01/{GTIN-14}/10/L{n} (a lot's provenance page, as a pack's
-- QR opens it) for lots spread over 1..N, where N is the environment variable
-- LOTS and the GTIN is TRACE_GTIN14 (run_wrk places extra arguments before
-- the URL, so wrk's script arguments cannot be used).
local lots = tonumber(os.getenv("LOTS") or "1000")
local gtin14 = os.getenv("TRACE_GTIN14") or "08935012000002"

function setup(thread)
  thread:set("seed", math.random(1, 1000000))
end

function init(args)
  math.randomseed(seed or os.time())
end

function request()
  return wrk.format("GET", "/01/" .. gtin14 .. "/10/L" .. math.random(1, lots))
end
