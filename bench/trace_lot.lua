-- wrk script: GET /01/{GTIN-14}/10/L{n} (a lot's provenance page, as a pack's
-- QR opens it) for lots spread over 1..N, where N is the environment variable
-- LOTS and the GTIN is TRACE_GTIN14 (run_wrk places extra arguments before
-- the URL, so wrk's script arguments cannot be used).
--
-- The requests are built before the timed run, TRACE_REQUESTS of them per
-- thread (each a random lot): wrk shares the machine with the server, and
-- building each request in Lua as it is sent cost the client ~3 µs of CPU
-- per page request that the /healthz run beside it (wrk's own static
-- request) does not pay. Past TRACE_REQUESTS a thread builds each request as
-- it goes, so no lot is asked for again just because the list ran out.
local lots = tonumber(os.getenv("LOTS") or "1000")
local gtin14 = os.getenv("TRACE_GTIN14") or "08935012000002"
local prebuilt = tonumber(os.getenv("TRACE_REQUESTS") or "100000")
local requests = {}
local sent = 0

local function build()
  return wrk.format("GET", "/01/" .. gtin14 .. "/10/L" .. math.random(1, lots))
end

-- Each run draws its own lots: Lua's generator starts from the same seed in
-- every process, so without this the rounds of bench/trace.sh would replay
-- one sequence of lots (and its warm-up's).
local urandom = io.open("/dev/urandom", "rb")
local b1, b2, b3, b4 = urandom:read(4):byte(1, 4)
urandom:close()
math.randomseed(((b1 * 256 + b2) * 256 + b3) * 256 + b4)

function setup(thread)
  thread:set("seed", math.random(1, 1000000))
end

function init(args)
  math.randomseed(seed or os.time())
  for i = 1, prebuilt do
    requests[i] = build()
  end
end

function request()
  sent = sent + 1
  return requests[sent] or build()
end
