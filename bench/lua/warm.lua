-- POST /auth/verify once with each access token in $TOKENS, split between the threads, then the thread stops:
-- fills the server's caches before the scale scenario measures. Counts answers that are not active ($BASIC client).
local tokens = {}
local threads_seen = 0
local all = {}
setup = function(thread)
  thread:set("tid", threads_seen)
  threads_seen = threads_seen + 1
  table.insert(all, thread)
end
init = function(args)
  local threads = tonumber(os.getenv("THREADS") or "2")
  local n = 0
  for line in io.lines(os.getenv("TOKENS")) do
    if n % threads == tid then tokens[#tokens + 1] = line end
    n = n + 1
  end
  inactive = 0
end
local i = 0
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Basic " .. os.getenv("BASIC")
request = function()
  i = i + 1
  if i > #tokens then wrk.thread:stop() end
  return wrk.format(nil, "/auth/verify", nil, '{"token":"' .. tokens[((i - 1) % #tokens) + 1] .. '"}')
end
response = function(status, headers, body)
  if not body:find('"active":true', 1, true) then inactive = inactive + 1 end
end
done = function(summary, latency, requests)
  local total = 0
  for _, thread in ipairs(all) do total = total + (thread:get("inactive") or 0) end
  io.write("inactive " .. total .. "\n")
end
