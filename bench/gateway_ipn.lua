-- wrk script for bench/gateway_ipn.sh: each thread sends its own share of the
-- signed IPN paths in IPN_FILE once each (then repeats them: replays), and
-- counts VNPay's answer codes. Args: IPN_FILE THREADS.
threads_made = 0
all_threads = {}
function setup(thread)
  thread:set("thread_no", threads_made)
  threads_made = threads_made + 1
  table.insert(all_threads, thread)
end

function init(args)
  local file, nthreads = args[1], tonumber(args[2])
  paths = {}
  local n = 0
  for line in io.lines(file) do
    if line ~= "" then
      if n % nthreads == thread_no then table.insert(paths, line) end
      n = n + 1
    end
  end
  next_path = 0
  confirmed, already, other = 0, 0, 0
end

function request()
  next_path = next_path % #paths + 1
  return wrk.format("GET", paths[next_path])
end

function response(status, headers, body)
  if body:find('"RspCode":"00"', 1, true) then confirmed = confirmed + 1
  elseif body:find('"RspCode":"02"', 1, true) then already = already + 1
  else other = other + 1 end
end

function done(summary, latency, requests)
  local c, a, o = 0, 0, 0
  for _, t in ipairs(all_threads) do
    c = c + t:get("confirmed"); a = a + t:get("already"); o = o + t:get("other")
  end
  io.write(string.format("   answers: %d \"00\" (applied), %d \"02\" (replays), %d other\n", c, a, o))
end
