-- Sessions that log in and out: each connection logs in as one of $EMAILS (a file, one address a line, password
-- $PASSWORD), then logs that session out with the access token it got, and so on; $DELAY_MS between requests caps
-- the rate (wrk's delay()). Counts pairs completed and answers that were not 200/204.
local emails = {}
for line in io.lines(os.getenv("EMAILS")) do emails[#emails + 1] = line end
local pending = {}
n, pairs_done, failures = 0, 0, 0
local all = {}
setup = function(thread) table.insert(all, thread) end
local wait = tonumber(os.getenv("DELAY_MS") or "0")
delay = function() return wait end
request = function()
  local token = table.remove(pending)
  if token then
    return wrk.format("POST", "/auth/logout", { ["Authorization"] = "Bearer " .. token, ["Content-Type"] = "application/json" }, "{}")
  end
  n = n + 1
  local email = emails[(n % #emails) + 1]
  return wrk.format("POST", "/auth/login", { ["Content-Type"] = "application/json" },
    '{"email":"' .. email .. '","password":"' .. os.getenv("PASSWORD") .. '"}')
end
response = function(status, headers, body)
  local token = body:match('"access_token":"([^"]+)"')
  if token then table.insert(pending, token)
  elseif status == 204 then pairs_done = pairs_done + 1
  else failures = failures + 1 end
end
done = function(summary, latency, requests)
  local p, f = 0, 0
  for _, thread in ipairs(all) do p = p + (thread:get("pairs_done") or 0); f = f + (thread:get("failures") or 0) end
  io.write("pairs " .. p .. " failures " .. f .. "\n")
end
