-- wrk script: GET /api/v1/products/{id} for ids spread over 1..N, where N is
-- the environment variable MAX_PRODUCT_ID (run_wrk places extra arguments
-- before the URL, so wrk's script arguments cannot be used).
local max_id = tonumber(os.getenv("MAX_PRODUCT_ID") or "1000")

function setup(thread)
  thread:set("seed", math.random(1, 1000000))
end

function init(args)
  math.randomseed(seed or os.time())
end

function request()
  return wrk.format("GET", "/api/v1/products/" .. math.random(1, max_id))
end
