-- wrk script for bench/payments.sh: POSTs pre-signed bank-transfer
-- notifications (bench/payments.sh writes them, with their HMAC-SHA256
-- signatures computed by Python's hmac, into the file named by
-- NOTIFICATIONS), each once per thread slice, so every request is a new
-- transfer the server verifies, records and answers after a durable commit.
local notifications = {}
local next_thread = 0

function setup(thread)
  thread:set("thread_index", next_thread)
  next_thread = next_thread + 1
end

-- thread_index is set in each thread by setup (thread:set), hence global.
function init(args)
  for line in io.lines(os.getenv("NOTIFICATIONS")) do
    local sig, body = line:match("^(%x+) (.*)$")
    notifications[#notifications + 1] = {sig, body}
  end
  position = thread_index
  threads = tonumber(os.getenv("THREADS") or "2")
end

function request()
  local n = notifications[(position % #notifications) + 1]
  position = position + threads
  return wrk.format("POST", "/api/v1/payments/bank-transfers",
                    {["Content-Type"] = "application/json", ["X-Signature"] = n[1]}, n[2])
end
